"""Budget years: indexation of plan years and the income statement (resultatbudget).

A budget covers its year and two plan years. A plan-year amount is the budget-year amount
carried forward by the year's index (salary increase for staff costs, price index for the rest),
compounded year by year and rounded to öre once, unless the line gives the plan year explicitly
(a per-line override). The income statement groups costs by nature: operating costs,
depreciation, financial costs; the result shows the planned use of equity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from samkalk.core.money import ZERO, round_ore

_HUNDRED = Decimal(100)
_NO_AMOUNT = Decimal("0.00")


class IndexKind(StrEnum):
    SALARY = "salary"
    PRICE = "price"
    NONE = "none"  # carried forward unchanged


@dataclass(frozen=True, slots=True)
class Indexation:
    """Uppräkning for one plan year: the percentages applied going into that year."""

    year: int
    salary_increase_percent: Decimal = ZERO
    price_index_percent: Decimal = ZERO


def indexed(
    amount: Decimal,
    from_year: int,
    to_year: int,
    kind: IndexKind,
    indexations: Mapping[int, Indexation],
) -> Decimal:
    """``amount`` of ``from_year`` carried to ``to_year`` (≥ from_year), compounded, to öre.

    A year without an Indexation entry has a zero increase. Compounded exactly and rounded once,
    so a three-year plan is not off by the öre that rounding every year would add up to.
    """
    if to_year < from_year:
        raise ValueError(f"cannot index {from_year} back to {to_year}")
    factor = Decimal(1)
    for year in range(from_year + 1, to_year + 1):
        factor *= 1 + _increase(indexations.get(year), kind) / _HUNDRED
    return round_ore(amount * factor)


def _increase(indexation: Indexation | None, kind: IndexKind) -> Decimal:
    if indexation is None or kind is IndexKind.NONE:
        return ZERO
    if kind is IndexKind.SALARY:
        return indexation.salary_increase_percent
    return indexation.price_index_percent


def plan_amounts(
    base_year: int,
    years: tuple[int, ...],
    explicit: Mapping[int, Decimal],
    kind: IndexKind,
    indexations: Mapping[int, Indexation],
) -> dict[int, Decimal]:
    """A line's amount for each of ``years``: explicit where given, else indexed from the latest
    earlier explicit year (so an override in the first plan year carries into the second).
    Years before any explicit amount are zero.

    ``base_year`` (the budget year) does not change the figures: every explicit year counts,
    also one before it, since ``explicit`` holds only the amounts the line actually gives."""
    given = sorted(explicit)
    amounts: dict[int, Decimal] = {}
    for year in years:
        if year in explicit:
            amounts[year] = explicit[year]
            continue
        earlier = [y for y in given if y < year]
        amounts[year] = (
            indexed(explicit[earlier[-1]], earlier[-1], year, kind, indexations)
            if earlier
            else _NO_AMOUNT
        )
    return amounts


@dataclass(frozen=True, slots=True)
class IncomeStatement:
    """Resultatbudget for one year (costs as negative amounts, as the document prints them)."""

    year: int
    revenue: Decimal
    costs: Decimal
    depreciation: Decimal
    operating_result: Decimal
    financial_costs: Decimal
    result: Decimal
    equity_use: Decimal  # planned use of equity (positive amount)
    result_after_equity: Decimal  # result + equity use: zero when the budget is in balance


def income_statement(
    year: int,
    revenue: Decimal,
    operating_costs: Decimal,
    depreciation: Decimal,
    financial_costs: Decimal,
    equity_use: Decimal,
) -> IncomeStatement:
    """Build the statement from positive cost amounts."""
    operating_result = revenue - operating_costs - depreciation
    result = operating_result - financial_costs
    return IncomeStatement(
        year=year,
        revenue=revenue,
        costs=-operating_costs,
        depreciation=-depreciation,
        operating_result=operating_result,
        financial_costs=-financial_costs,
        result=result,
        equity_use=equity_use,
        result_after_equity=result + equity_use,
    )
