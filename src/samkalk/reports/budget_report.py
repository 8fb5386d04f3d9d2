"""The priced budget as plain rows and mappings: for the command line, exports and pages.

``budget_for_year`` picks the budget a year belongs to (its own budget, else the newest budget
that has it as a plan year). The shapes here are the command line's JSON contract: amounts are
Decimal kronor with two decimals (printed as strings), names are the records' own.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from samkalk.apps.budget.models import Budget
from samkalk.apps.federation.models import Member
from samkalk.core.errors import CoreError
from samkalk.core.forecast import Basis, MemberForecast
from samkalk.core.money import ZERO, percent
from samkalk.reports.pricing import (
    MEMBER_INVESTMENT,
    PLAN_YEARS,
    YearPricing,
    price_budget,
    price_year,
)


def budget_for_year(year: int) -> Budget | None:
    """The budget whose budget year is ``year``, else the newest one covering it as a plan year."""
    own = Budget.objects.filter(year=year).first()
    if own is not None:
        return own
    return (
        Budget.objects.filter(year__lt=year, year__gte=year - PLAN_YEARS).order_by("-year").first()
    )


def find_member(name: str) -> Member | None:
    """A member by code or name, ignoring case."""
    wanted = name.strip().casefold()
    for member in Member.objects.all():
        if wanted in (member.code.casefold(), member.name.casefold()):
            return member
    return None


def price_rows(priced: YearPricing) -> list[dict[str, Any]]:
    """One row per product: its full cost, volume, unit price, expected revenue and coverage."""
    rows = []
    for cost in priced.result.products:
        info = priced.info(cost.code)
        rows.append(
            {
                "code": cost.code,
                "name": info.name,
                "object": info.object_name,
                "category": info.category,
                "full_cost": cost.full_cost,
                "volume": cost.volume,
                "unit": info.unit,
                "unit_price": cost.unit_price,
                "expected_revenue": cost.expected_revenue,
                "coverage": cost.coverage,
            }
        )
    return rows


def budget_summary(budget: Budget, priced: Sequence[YearPricing] | None = None) -> dict[str, Any]:
    """The budget at a glance: revenue, categories, objects, base grant, statement, pools."""
    priced = priced if priced is not None else price_budget(budget)
    first = priced[0]
    objects: dict[str, dict[str, Decimal]] = {}
    base_grant: dict[str, Decimal] = {}
    for year in priced:
        for cost in year.result.products:
            info = year.info(cost.code)
            if info.object_name:
                by_year = objects.setdefault(info.object_name, {})
                by_year[str(year.year)] = by_year.get(str(year.year), ZERO) + cost.expected_revenue
            else:
                base_grant[str(year.year)] = (
                    base_grant.get(str(year.year), ZERO) + cost.expected_revenue
                )
    return {
        "year": budget.year,
        "status": budget.status,
        "revenue_total": first.statement.revenue,
        "revenue_by_category": dict(first.revenue_by_category),
        "revenue_by_category_percent": {
            name: percent(amount, first.statement.revenue)
            for name, amount in first.revenue_by_category.items()
        },
        "objects": dict(sorted(objects.items())),
        "base_grant": base_grant.get(str(budget.year), ZERO),
        "base_grant_by_year": base_grant,
        "income_statement": {str(y.year): statement_dict(y) for y in priced},
        "cost_pools": {pool.name: pool.amount for pool in first.pools},
        "unallocated": {
            pool.name: first.result.unallocated.get(pool.code, ZERO) for pool in first.pools
        },
    }


def statement_dict(priced: YearPricing) -> dict[str, Decimal]:
    s = priced.statement
    return {
        "revenue": s.revenue,
        "costs": s.costs,
        "depreciation": s.depreciation,
        "operating_result": s.operating_result,
        "financial_costs": s.financial_costs,
        "result": s.result,
        "equity_use": s.equity_use,
        "result_after_equity": s.result_after_equity,
    }


def member_forecast(
    budget: Budget, year: int, member: Member
) -> tuple[MemberForecast, YearPricing, tuple[CoreError, ...]]:
    """What ``member`` pays in ``year`` by the budget, product by product."""
    priced = price_year(budget, year)
    forecasts, errors = priced.forecasts()
    found = next(f for f in forecasts if f.member == member.code)
    return found, priced, errors


def forecast_dict(
    member: Member, year: int, forecast: MemberForecast, priced: YearPricing
) -> dict[str, Any]:
    lines = []
    investments = {c.investment: c.investment_name for c in priced.member_investments}
    for line in forecast.lines:
        own = line.basis == Basis.OWN_INVESTMENT
        info = None if own else priced.info(line.product)
        lines.append(
            {
                "code": line.product,
                "name": investments[line.product] if info is None else info.name,
                "object": "" if info is None else info.object_name,
                "category": MEMBER_INVESTMENT if info is None else info.category,
                "basis": str(line.basis),
                "quantity": line.quantity,
                "key_share": None if line.share is None else round(line.share, 6),
                "amount": line.amount,
            }
        )
    return {
        "member": member.name,
        "member_code": member.code,
        "year": year,
        "products": lines,
        "total": forecast.total,
    }


def coverage_rows(priced: YearPricing) -> tuple[list[dict[str, Any]], dict[str, Decimal]]:
    """Kostnadstäckning per object: full cost, expected revenue and their difference; the total.

    The base grant (products without an object) is one row; members' own investments are
    charged at their cost and cover themselves, so they are not listed.
    """
    rows: dict[str, dict[str, Any]] = {}
    for cost in priced.result.products:
        info = priced.info(cost.code)
        row = rows.setdefault(
            info.object_name,
            {"object": info.object_name, "full_cost": ZERO, "expected_revenue": ZERO},
        )
        row["full_cost"] += cost.full_cost
        row["expected_revenue"] += cost.expected_revenue
    result = sorted(rows.values(), key=lambda r: (r["object"] == "", r["object"]))
    for row in result:
        row["coverage"] = row["expected_revenue"] - row["full_cost"]
    total = {
        key: sum((row[key] for row in result), ZERO)
        for key in ("full_cost", "expected_revenue", "coverage")
    }
    total["unallocated"] = sum(priced.result.unallocated.values(), ZERO)
    return result, total
