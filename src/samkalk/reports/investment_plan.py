"""The investment plan of a budget as a table: investments by financing, amounts per year.

Read-only. Sums are taken in integer öre by the database; the caller passes the investments
the reader may see (``access.visible_investments``), so one member's investments stay hidden
from other members' readers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from samkalk.apps.assets.models import Investment, InvestmentLine
from samkalk.apps.budget.models import Budget
from samkalk.core.money import from_ore


@dataclass(frozen=True, slots=True)
class InvestmentRow:
    """One line of the plan (investeringsbudget) with its amount for each year of the table."""

    code: str
    name: str
    asset_type: str
    depreciation_months: int | None
    member: str
    development_pool: bool
    amounts: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class InvestmentGroup:
    financing: str
    label: str
    rows: tuple[InvestmentRow, ...]
    totals: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class InvestmentPlan:
    budget_year: int
    years: tuple[int, ...]
    groups: tuple[InvestmentGroup, ...]


def investment_plan(budget: Budget, investments: QuerySet[Investment]) -> InvestmentPlan:
    sums = (
        InvestmentLine.objects.filter(budget=budget, investment__in=investments)
        .values_list("investment_id", "year")
        .annotate(total=Sum("amount_ore"))
    )
    by_investment: dict[int, dict[int, int]] = defaultdict(dict)
    for investment_id, year, total in sums:
        by_investment[investment_id][year] = total
    years = tuple(sorted({year for amounts in by_investment.values() for year in amounts}))
    chosen = investments.filter(pk__in=by_investment).select_related("asset_type", "member")
    groups = []
    for value, label in Investment.Financing.choices:
        rows = tuple(
            _row(inv, by_investment[inv.pk], years) for inv in chosen if inv.financing == value
        )
        if rows:
            totals = tuple(sum((r.amounts[i] for r in rows), Decimal(0)) for i in range(len(years)))
            groups.append(InvestmentGroup(value, str(label), rows, totals))
    return InvestmentPlan(budget.year, years, tuple(groups))


def _row(investment: Investment, amounts: dict[int, int], years: tuple[int, ...]) -> InvestmentRow:
    return InvestmentRow(
        code=investment.code,
        name=investment.name,
        asset_type=investment.asset_type.name,
        depreciation_months=investment.effective_depreciation_months,
        member=investment.member.name if investment.member else "",
        development_pool=investment.development_pool,
        amounts=tuple(from_ore(amounts.get(year, 0)) for year in years),
    )
