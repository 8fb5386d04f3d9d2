"""The staff budget (personalbudget): posts and parameters → the staff cost pool.

Salaries are budgeted per post (title, FTE %, monthly salary) for twelve months, reduced by a
general absence deduction (vacancies and absence mean staffing is never 100 %). Holiday pay,
pension and insurance are percentages of the salaries; employer contributions are a percentage of
salaries plus holiday pay. Hired staff and other staff-related costs are added as amounts. Each
component is rounded to öre once, where it is computed, so the table adds up as printed.

Invalid input is reported as errors and left out, so the figures always add up: a post with its
FTE outside 0–100 % or a negative salary is not counted, and a percentage outside 0–100 counts
as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, round_ore

DEFAULT_EMPLOYER_CONTRIBUTION_PERCENT = Decimal("31.42")
_HUNDRED = Decimal(100)
_MONTHS = Decimal(12)


@dataclass(frozen=True, slots=True)
class Post:
    """Befattning: a post, its FTE percentage (0–100) and its monthly salary in kronor."""

    title: str
    fte_percent: Decimal
    monthly_salary: Decimal


@dataclass(frozen=True, slots=True)
class StaffParameters:
    """Personalbudgetens parametrar for one year (percentages are 0–100)."""

    holiday_pay_percent: Decimal = ZERO
    employer_contribution_percent: Decimal = DEFAULT_EMPLOYER_CONTRIBUTION_PERCENT
    pension_percent: Decimal = ZERO
    insurance_percent: Decimal = ZERO
    absence_deduction_percent: Decimal = ZERO
    hired_staff: Decimal = ZERO
    other_costs: Decimal = ZERO  # other staff-related costs (training, travel …)


@dataclass(frozen=True, slots=True)
class PostCost:
    title: str
    annual_salary: Decimal  # monthly × 12 × FTE, before the absence deduction


@dataclass(frozen=True, slots=True)
class StaffBudget:
    """Personalbudget: the table the budget document prints, and the pool it produces."""

    posts: tuple[PostCost, ...]
    gross_salaries: Decimal  # Σ annual salaries
    absence_deduction: Decimal
    salaries: Decimal  # gross − absence deduction ("Lön")
    holiday_pay: Decimal
    employer_contributions: Decimal
    pension: Decimal
    insurance: Decimal
    salary_costs: Decimal  # salaries + holiday pay + contributions + pension + insurance
    hired_staff: Decimal
    other_costs: Decimal
    total: Decimal  # salary costs + hired staff + other costs: the staff pool


def staff_budget(
    posts: tuple[Post, ...], parameters: StaffParameters
) -> tuple[StaffBudget, tuple[CoreError, ...]]:
    """Compute the staff budget; invalid posts or percentages are reported as errors."""
    errors: list[CoreError] = []
    costs = tuple(
        PostCost(post.title, annual_salary(post))
        for number, post in enumerate(posts, start=1)
        if not _post_problems(number, post, errors)
    )
    pct = _valid_percents(parameters, errors)
    gross = sum((c.annual_salary for c in costs), _NO_AMOUNT)
    absence = round_ore(gross * pct["absence_deduction_percent"] / _HUNDRED)
    salaries = gross - absence
    holiday_pay = round_ore(salaries * pct["holiday_pay_percent"] / _HUNDRED)
    contributions = round_ore(
        (salaries + holiday_pay) * pct["employer_contribution_percent"] / _HUNDRED
    )
    pension = round_ore(salaries * pct["pension_percent"] / _HUNDRED)
    insurance = round_ore(salaries * pct["insurance_percent"] / _HUNDRED)
    salary_costs = salaries + holiday_pay + contributions + pension + insurance
    budget = StaffBudget(
        posts=costs,
        gross_salaries=gross,
        absence_deduction=absence,
        salaries=salaries,
        holiday_pay=holiday_pay,
        employer_contributions=contributions,
        pension=pension,
        insurance=insurance,
        salary_costs=salary_costs,
        hired_staff=parameters.hired_staff,
        other_costs=parameters.other_costs,
        total=salary_costs + parameters.hired_staff + parameters.other_costs,
    )
    return budget, tuple(errors)


def annual_salary(post: Post) -> Decimal:
    """Årslön: monthly salary × 12 × FTE, before the absence deduction, to öre."""
    return round_ore(post.monthly_salary * _MONTHS * post.fte_percent / _HUNDRED)


def index_posts(posts: tuple[Post, ...], salary_increase_percent: Decimal) -> tuple[Post, ...]:
    """The posts a year later: every monthly salary raised by the salary increase (to öre)."""
    factor = 1 + salary_increase_percent / _HUNDRED
    return tuple(
        Post(post.title, post.fte_percent, round_ore(post.monthly_salary * factor))
        for post in posts
    )


_PERCENTS = (
    "absence_deduction_percent",
    "holiday_pay_percent",
    "employer_contribution_percent",
    "pension_percent",
    "insurance_percent",
)
_NO_AMOUNT = Decimal("0.00")


def _post_problems(number: int, post: Post, errors: list[CoreError]) -> bool:
    """Report what is wrong with a post; True when it cannot be counted."""
    before = len(errors)
    if not 0 <= post.fte_percent <= _HUNDRED:
        errors.append(
            CoreError(
                "staff.fte_range",
                f"post {number} ({post.title}): FTE {post.fte_percent} % is outside 0–100 %",
            )
        )
    if post.monthly_salary < 0:
        errors.append(
            CoreError(
                "staff.negative_salary",
                f"post {number} ({post.title}): monthly salary {post.monthly_salary} is negative",
            )
        )
    return len(errors) > before


def _valid_percents(parameters: StaffParameters, errors: list[CoreError]) -> dict[str, Decimal]:
    """Each percentage by name; one outside 0–100 is reported and counts as zero."""
    valid: dict[str, Decimal] = {}
    for name in _PERCENTS:
        value: Decimal = getattr(parameters, name)
        if 0 <= value <= _HUNDRED:
            valid[name] = value
        else:
            errors.append(CoreError("staff.percent_range", f"{name} {value} % is outside 0–100 %"))
            valid[name] = ZERO
    return valid
