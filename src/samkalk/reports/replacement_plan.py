"""Utbytesplan: which devices reach the end of their life in the coming years, and the cost.

For every asset the federation still holds (in stock, leased or returned) the end of life is the
activation month + the depreciation time (``core.replacement.end_of_life``: the first month
after the life, so a device depreciated to December is replaced the following year). The plan
counts them per year, asset type and member (the member of the organisation that holds the
device; ``None`` for devices in stock with no holder), and prices them at the type's expected
unit price: the average acquisition cost of the type's assets acquired in the most recent year
that has any, whatever their status or who paid (``core.replacement.expected_unit_price``).

As in the depreciation schedule, direct purchases are left out (the member paid for them and
replaces them at its own cost), and the life is the investment's own or else the asset type's;
assets without a life are reported, not guessed. Devices held past their end of life before the
first year are returned apart, as ``overdue``.

:func:`investment_need` sets the replacements beside the investment plan: the sum of the
``InvestmentLine`` amounts per asset type and year in the newest adopted budget (or, with a
warning, the newest budget when none is adopted).

Queries: the asset types, the held assets (``values_list`` in chunks) and the acquisitions per
type and year (one aggregate); the need adds the budget and one sum of its plan lines.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from samkalk.apps.assets.models import Asset, AssetType, InvestmentLine
from samkalk.apps.budget.models import Budget
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, from_ore, round_ore
from samkalk.core.replacement import end_of_life, expected_unit_price
from samkalk.reports.asset_schedule import CHUNK_SIZE, AssetTypeInfo, fetch_types, life_months

HELD = (Asset.Status.IN_STOCK, Asset.Status.LEASED, Asset.Status.RETURNED)
NO_MEMBER = "—"


@dataclass(frozen=True, slots=True)
class ReplacementRow:
    """Devices of one type and member that reach the end of their life in ``year``."""

    year: int
    type_code: str
    type_name: str
    member_code: str | None
    member_name: str | None
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """A type's expected unit price: the average of its ``count`` acquisitions in ``year``."""

    type_code: str
    type_name: str
    year: int
    count: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class ReplacementPlan:
    """Utbytesplan for ``years`` years from ``from_year``; rows by year, type, then member."""

    from_year: int
    years: int
    rows: tuple[ReplacementRow, ...]
    overdue: tuple[ReplacementRow, ...]
    unit_prices: tuple[UnitPrice, ...]
    direct_purchases: int
    errors: tuple[CoreError, ...]


@dataclass(frozen=True, slots=True)
class InvestmentNeedRow:
    """One year and type: replacements due beside the amount the investment plan sets aside."""

    year: int
    type_code: str
    type_name: str
    replacement_count: int
    replacement_amount: Decimal
    planned_amount: Decimal
    growth_count: int = 0
    growth_amount: Decimal = ZERO

    @property
    def need(self) -> Decimal:
        """Replacements plus planned growth."""
        return self.replacement_amount + self.growth_amount

    @property
    def difference(self) -> Decimal:
        """Planned − needed: negative when the plan does not cover replacements and growth."""
        return self.planned_amount - self.need


@dataclass(frozen=True, slots=True)
class InvestmentNeed:
    """Investeringsbehov per year and type; ``budget_year`` None when there is no budget."""

    from_year: int
    years: int
    budget_year: int | None
    budget_status: str
    rows: tuple[InvestmentNeedRow, ...]
    errors: tuple[CoreError, ...]


_Key = tuple[int, int, str | None, str | None]  # end-of-life year, type id, member code, name


# --- fetch ------------------------------------------------------------------------------------


def _held_assets() -> Iterator[tuple[Any, ...]]:
    """(type id, acquired on, life months, direct purchase, member code, member name)."""
    return (
        Asset.objects.filter(status__in=HELD)
        .annotate(life=life_months())
        .order_by()
        .values_list(
            "asset_type_id",
            "acquired_on",
            "life",
            "direct_purchase",
            "organisation__member__code",
            "organisation__member__name",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def fetch_unit_prices(types: dict[int, AssetTypeInfo]) -> dict[int, UnitPrice]:
    """Each type's expected unit price, from one aggregate of acquisitions per type and year."""
    sums = (
        Asset.objects.annotate(acquired_year=ExtractYear("acquired_on"))
        .order_by()
        .values_list("asset_type_id", "acquired_year")
        .annotate(total=Sum("acquisition_cost_ore"), count=Count("pk"))
    )
    by_type: dict[int, dict[int, tuple[Decimal, int]]] = defaultdict(dict)
    for type_id, year, total, count in sums:
        by_type[type_id][year] = (from_ore(total), count)
    prices: dict[int, UnitPrice] = {}
    for type_id, years in by_type.items():
        price = expected_unit_price(years)
        if price is not None:
            year = max(y for y, (_t, n) in years.items() if n > 0)
            info = types[type_id]
            prices[type_id] = UnitPrice(info.code, info.name, year, years[year][1], price)
    return prices


# --- compute ----------------------------------------------------------------------------------


def _count_ends(types: dict[int, AssetTypeInfo]) -> tuple[Counter[_Key], Counter[int], int]:
    """Held assets counted by end-of-life year, type and member; no-life types; direct ones."""
    ends: Counter[_Key] = Counter()
    no_life: Counter[int] = Counter()
    direct = 0
    for type_id, acquired_on, life, direct_purchase, code, name in _held_assets():
        if direct_purchase:
            direct += 1
        elif not life:
            no_life[type_id] += 1
        else:
            end = end_of_life(acquired_on, life, types[type_id].convention)
            ends[(end.year, type_id, code, name)] += 1
    return ends, no_life, direct


def _rows(
    ends: Counter[_Key], types: dict[int, AssetTypeInfo], prices: dict[int, UnitPrice]
) -> list[ReplacementRow]:
    rows = [
        ReplacementRow(
            year=year,
            type_code=types[type_id].code,
            type_name=types[type_id].name,
            member_code=code,
            member_name=name,
            count=count,
            amount=round_ore(count * prices[type_id].unit_price) if type_id in prices else ZERO,
        )
        for (year, type_id, code, name), count in ends.items()
    ]
    return sorted(rows, key=lambda r: (r.year, r.type_name, r.member_name is None, r.member_name))


def _plan(from_year: int, years: int, types: dict[int, AssetTypeInfo]) -> ReplacementPlan:
    ends, no_life, direct = _count_ends(types)
    prices = fetch_unit_prices(types)
    rows = _rows(ends, types, prices)
    last = from_year + years - 1
    errors = [
        CoreError(
            "replacement_plan.no_life",
            f"{types[pk].code}: {count} held asset(s) left out: no depreciation time",
        )
        for pk, count in sorted(no_life.items(), key=lambda item: types[item[0]].code)
    ]
    return ReplacementPlan(
        from_year=from_year,
        years=years,
        rows=tuple(r for r in rows if from_year <= r.year <= last),
        overdue=tuple(r for r in rows if r.year < from_year),
        unit_prices=tuple(sorted(prices.values(), key=lambda p: (p.type_name, p.type_code))),
        direct_purchases=direct,
        errors=tuple(errors),
    )


def replacement_plan(from_year: int, years: int) -> ReplacementPlan:
    """Devices reaching the end of their life in ``years`` years from ``from_year``, priced."""
    return _plan(from_year, years, fetch_types())


def _plan_budget() -> tuple[Budget | None, list[CoreError]]:
    """The newest adopted budget; else the newest budget, with a warning."""
    adopted = Budget.objects.filter(status=Budget.Status.ADOPTED).order_by("-year").first()
    if adopted is not None:
        return adopted, []
    newest = Budget.objects.order_by("-year").first()
    if newest is None:
        return None, [CoreError("investment_need.no_budget", "no budget: nothing is planned")]
    message = f"no adopted budget: the plan of budget {newest.year} ({newest.status}) is used"
    return newest, [CoreError("investment_need.not_adopted", message)]


def _planned(budget: Budget | None, first: int, last: int) -> dict[tuple[int, int], Decimal]:
    """Planned amounts by (year, asset type id) in the budget's investment plan."""
    if budget is None:
        return {}
    sums = (
        InvestmentLine.objects.filter(budget=budget, year__gte=first, year__lte=last)
        .order_by()
        .values_list("year", "investment__asset_type_id")
        .annotate(total=Sum("amount_ore"))
    )
    return {(year, type_id): from_ore(total) for year, type_id, total in sums}


def investment_need(from_year: int, years: int) -> InvestmentNeed:
    """Per year and asset type: what replacements will cost beside what the plan sets aside."""
    types = fetch_types()
    plan = _plan(from_year, years, types)
    budget, errors = _plan_budget()
    planned = _planned(budget, from_year, from_year + years - 1)
    by_code = {info.code: pk for pk, info in types.items()}
    counts: Counter[tuple[int, int]] = Counter()
    amounts: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for r in plan.rows:
        key = (r.year, by_code[r.type_code])
        counts[key] += r.count
        amounts[key] += r.amount
    growth = _growth(types, plan)
    span = range(from_year, from_year + years)
    keys = set(counts) | set(planned) | {(y, pk) for pk in growth for y in span}
    rows = [
        InvestmentNeedRow(
            year=year,
            type_code=types[pk].code,
            type_name=types[pk].name,
            replacement_count=counts[(year, pk)],
            replacement_amount=round_ore(amounts[(year, pk)]),
            planned_amount=round_ore(planned.get((year, pk), ZERO)),
            growth_count=growth.get(pk, (0, ZERO))[0],
            growth_amount=growth.get(pk, (0, ZERO))[1],
        )
        for year, pk in keys
    ]
    rows.sort(key=lambda r: (r.year, r.type_name))
    return InvestmentNeed(
        from_year=from_year,
        years=years,
        budget_year=budget.year if budget is not None else None,
        budget_status=budget.status if budget is not None else "",
        rows=tuple(rows),
        errors=(*plan.errors, *errors),
    )


def _growth(
    types: dict[int, AssetTypeInfo], plan: ReplacementPlan
) -> dict[int, tuple[int, Decimal]]:
    """Per type with planned growth: devices added a year (of the fleet held now) and their cost.

    Growth is not compounded over the plan's years: each year adds the same share of today's
    fleet, priced at the type's expected unit price.
    """
    rates = dict(
        AssetType.objects.filter(planned_growth_percent__gt=0).values_list(
            "pk", "planned_growth_percent"
        )
    )
    if not rates:
        return {}
    fleet = dict(
        Asset.objects.filter(status__in=HELD, direct_purchase=False, asset_type_id__in=rates)
        .order_by()
        .values_list("asset_type_id")
        .annotate(n=Count("pk"))
    )
    prices = {p.type_code: p.unit_price for p in plan.unit_prices}
    result = {}
    for pk, rate in rates.items():
        added = int((fleet.get(pk, 0) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        price = prices.get(types[pk].code, ZERO)
        result[pk] = (added, round_ore(added * price))
    return result


# --- output -----------------------------------------------------------------------------------


def replacement_rows(plan: ReplacementPlan) -> list[dict[str, Any]]:
    """The plan as rows for ``cli_output.emit``; no holder is member None, name "—"."""
    return [
        {
            "year": r.year,
            "type_code": r.type_code,
            "type_name": r.type_name,
            "member": r.member_code,
            "member_name": r.member_name if r.member_name is not None else NO_MEMBER,
            "count": r.count,
            "amount": round_ore(r.amount),
        }
        for r in plan.rows
    ]


def investment_need_rows(need: InvestmentNeed) -> list[dict[str, Any]]:
    """The need as rows for ``cli_output.emit``, with planned − needed as ``difference``."""
    return [
        {
            "year": r.year,
            "type_code": r.type_code,
            "type_name": r.type_name,
            "replacement_count": r.replacement_count,
            "replacement_amount": round_ore(r.replacement_amount),
            "growth_count": r.growth_count,
            "growth_amount": round_ore(r.growth_amount),
            "planned_amount": round_ore(r.planned_amount),
            "difference": round_ore(r.difference),
        }
        for r in need.rows
    ]
