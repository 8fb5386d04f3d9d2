"""Avskrivningar och kapitalkostnad per tillgångstyp for one year (a fetch → compute selector).

For each asset type: how many assets the federation held during the year, what it acquired,
the year's depreciation, interest and capital cost, and the book value on 31 December; and the
totals. The figures come from ``core.depreciation`` (``pool_year_totals``), so they agree to the
öre with one asset's plan on its page.

Which assets, and how:

* **Held in the year** (``count``): acquired on or before 31 December and not disposed of
  before 1 January. An asset disposed of during the year is counted (``disposals`` says how
  many of them there were) but has no book value at the end of the year.
* **Direct purchases are left out** (``direct_purchase``): the member paid for the device at
  once, so the federation neither depreciates it nor charges interest on it; the number left
  out is ``AssetSchedule.direct_purchases``.
* **Life and activation**: the activation convention of the asset type, and its depreciation
  time, or the investment's own where the plan line sets one (as the asset register and the
  asset page do). Assets with no depreciation time at all (an unspecified development pool)
  are left out and reported as a warning per type.
* **Disposal** (sold or scrapped, ``disposed_on``): the disposal month is not depreciated, as in
  ``core.depreciation.dispose``, and interest stops with the depreciation; the book value left
  is ``disposed_book_value``.
* **Rate and basis**: the ``CapitalCostRule`` of the year. ``internal`` uses the decided rate;
  ``loan_average`` the loans' actual average rate of the year, see :func:`loan_average_rate`.
  Without a rule for the year the interest is zero, with a warning in ``errors``.

Queries: one for the rule, one for the asset types and one for the assets (``values_list``
read in chunks), plus two for the loans when the rule uses their average rate. The number does
not grow with the number of assets.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce

from samkalk.apps.assets.models import Asset, AssetType, CapitalCostRule, Investment
from samkalk.core import depreciation as core
from samkalk.core import loans as core_loans
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, from_ore, round_ore
from samkalk.core.replacement import disposal_year_totals
from samkalk.reports.financing import fetch_loans

CHUNK_SIZE = 2000
DISPOSED = (Asset.Status.SOLD, Asset.Status.SCRAPPED)
_RATE_PLACES = Decimal("0.0001")  # as CapitalCostRule.internal_rate_percent


@dataclass(frozen=True, slots=True)
class AssetTypeInfo:
    """What the reports need of an asset type."""

    code: str
    name: str
    convention: core.ActivationConvention


@dataclass(frozen=True, slots=True)
class CapitalCostRate:
    """The year's internal rate in percent, its basis, and where it came from.

    ``source`` is ``internal``, ``loan_average``, or empty when the year has no rule.
    """

    rate_percent: Decimal
    basis: core.InterestBasis
    source: str


@dataclass(frozen=True, slots=True)
class AssetScheduleRow:
    """One asset type's year (the totals row has an empty code and name)."""

    type_code: str
    type_name: str
    count: int
    acquisitions: Decimal
    depreciation: Decimal
    interest: Decimal
    capital_cost: Decimal
    book_value_end: Decimal
    disposals: int
    disposed_book_value: Decimal


@dataclass(frozen=True, slots=True)
class AssetSchedule:
    """Avskrivningssammanställning: the year per asset type (by name) and the totals."""

    year: int
    rate: CapitalCostRate
    rows: tuple[AssetScheduleRow, ...]
    totals: AssetScheduleRow
    direct_purchases: int
    errors: tuple[CoreError, ...]


@dataclass
class _Pool:
    """One type's assets while they are read (internal, mutable)."""

    running: list[core.Asset] = field(default_factory=list)
    disposed: list[tuple[core.Asset, dt.date]] = field(default_factory=list)
    count: int = 0
    acquisitions_ore: int = 0


# --- fetch ------------------------------------------------------------------------------------


def fetch_types() -> dict[int, AssetTypeInfo]:
    rows = AssetType.objects.values_list("pk", "code", "name", "activation_convention")
    return {
        pk: AssetTypeInfo(code, name, core.ActivationConvention(convention))
        for pk, code, name, convention in rows
    }


def life_months() -> Coalesce:
    """The depreciation time: the investment's own if it sets one, else the asset type's."""
    return Coalesce("investment__depreciation_months", "asset_type__depreciation_months")


def _assets_of(year: int, only: Q | None = None) -> Iterator[tuple[Any, ...]]:
    """(type id, acquired on, cost in öre, status, disposed on, direct purchase, life months)."""
    gone_before = Q(status__in=DISPOSED, disposed_on__lt=dt.date(year, 1, 1))
    return (
        Asset.objects.filter(acquired_on__lte=dt.date(year, 12, 31))
        .filter(only if only is not None else Q())
        .exclude(gone_before)
        .annotate(life=life_months())
        .order_by()
        .values_list(
            "asset_type_id",
            "acquired_on",
            "acquisition_cost_ore",
            "status",
            "disposed_on",
            "direct_purchase",
            "life",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def loan_average_rate(loans: Iterable[core_loans.Loan], year: int) -> Decimal | None:
    """The loans' average rate of ``year`` in percent, to four decimals; None without debt.

    The year's interest (``core.loans.interest``: the balance on the 1st of each month × rate
    / 12, rounded per month) divided by the average debt, the mean of the debt on the 1st of
    the twelve months — the same balances the interest is charged on.
    """
    valid = [loan for loan in loans if not core_loans.validate_loan(loan)]
    debt_sum = sum((core_loans.debt(valid, dt.date(year, m, 1)) for m in range(1, 13)), ZERO)
    if debt_sum <= 0:
        return None
    rate = core_loans.interest(valid, year) * 12 * 100 / debt_sum
    return rate.quantize(_RATE_PLACES, rounding=ROUND_HALF_UP)


def capital_cost_rate(year: int) -> tuple[CapitalCostRate, list[CoreError]]:
    """The rate and basis of ``year``'s ``CapitalCostRule`` (zero with a warning if none)."""
    rule = CapitalCostRule.objects.filter(year=year).first()
    if rule is None:
        warning = CoreError("capital_cost.no_rule", f"{year}: no capital cost rule; interest 0 %")
        return CapitalCostRate(ZERO, core.InterestBasis.BOOK_VALUE, ""), [warning]
    basis = core.InterestBasis(rule.interest_basis)
    if rule.rate_source == CapitalCostRule.RateSource.INTERNAL:
        rate = rule.internal_rate_percent if rule.internal_rate_percent is not None else ZERO
        return CapitalCostRate(rate, basis, rule.rate_source), []
    average = loan_average_rate(fetch_loans(), year)
    if average is None:
        warning = CoreError("capital_cost.no_debt", f"{year}: no debt to average; interest 0 %")
        return CapitalCostRate(ZERO, basis, rule.rate_source), [warning]
    return CapitalCostRate(average, basis, rule.rate_source), []


# --- compute ----------------------------------------------------------------------------------


def _pools(
    year: int, types: dict[int, AssetTypeInfo], only: Q | None = None
) -> tuple[dict[int, _Pool], Counter[int], int]:
    """Every asset of the year into its type's pool; types without life and direct purchases."""
    pools: dict[int, _Pool] = {}
    no_life: Counter[int] = Counter()
    direct = 0
    for type_id, acquired_on, cost_ore, status, disposed_on, direct_purchase, life in _assets_of(
        year, only
    ):
        if direct_purchase:
            direct += 1
            continue
        if not life:
            no_life[type_id] += 1
            continue
        pool = pools.setdefault(type_id, _Pool())
        asset = core.Asset(from_ore(cost_ore), acquired_on, life, types[type_id].convention)
        pool.count += 1
        if acquired_on.year == year:
            pool.acquisitions_ore += cost_ore
        if status in DISPOSED and disposed_on is not None and disposed_on.year == year:
            pool.disposed.append((asset, disposed_on))
        else:
            pool.running.append(asset)
    return pools, no_life, direct


def _row(info: AssetTypeInfo, pool: _Pool, rate: CapitalCostRate, year: int) -> AssetScheduleRow:
    kept = core.pool_year_totals(pool.running, rate.rate_percent, rate.basis, year)
    gone = [
        disposal_year_totals(asset, rate.rate_percent, rate.basis, year, on)
        for asset, on in pool.disposed
    ]
    left = [
        core.dispose(asset, on, basis=rate.basis, rate=rate.rate_percent).book_value
        for asset, on in pool.disposed
    ]
    depreciation = kept.depreciation + sum((t.depreciation for t in gone), ZERO)
    interest = kept.interest + sum((t.interest for t in gone), ZERO)
    return AssetScheduleRow(
        type_code=info.code,
        type_name=info.name,
        count=pool.count,
        acquisitions=from_ore(pool.acquisitions_ore),
        depreciation=round_ore(depreciation),
        interest=round_ore(interest),
        capital_cost=round_ore(depreciation + interest),
        book_value_end=round_ore(kept.book_value_end),
        disposals=len(pool.disposed),
        disposed_book_value=round_ore(sum(left, ZERO)),
    )


def _totals(rows: Iterable[AssetScheduleRow]) -> AssetScheduleRow:
    rows = list(rows)

    def total(name: str) -> Decimal:
        return round_ore(sum((getattr(r, name) for r in rows), ZERO))

    return AssetScheduleRow(
        type_code="",
        type_name="",
        count=sum(r.count for r in rows),
        acquisitions=total("acquisitions"),
        depreciation=total("depreciation"),
        interest=total("interest"),
        capital_cost=total("capital_cost"),
        book_value_end=total("book_value_end"),
        disposals=sum(r.disposals for r in rows),
        disposed_book_value=total("disposed_book_value"),
    )


def asset_schedule(year: int) -> AssetSchedule:
    """Depreciation, interest, capital cost and book value per asset type for ``year``."""
    rate, errors = capital_cost_rate(year)
    types = fetch_types()
    pools, no_life, direct = _pools(year, types)
    rows = sorted(
        (_row(types[pk], pool, rate, year) for pk, pool in pools.items()),
        key=lambda r: (r.type_name, r.type_code),
    )
    for pk, count in sorted(no_life.items(), key=lambda item: types[item[0]].code):
        errors.append(
            CoreError(
                "asset_schedule.no_life",
                f"{types[pk].code}: {count} asset(s) left out: no depreciation time",
            )
        )
    return AssetSchedule(year, rate, tuple(rows), _totals(rows), direct, tuple(errors))


@dataclass(frozen=True, slots=True)
class MemberInvestmentYear:
    """The year's capital cost of the registered assets of one member's own investment."""

    investment_code: str
    investment_name: str
    member_code: str
    type_code: str
    depreciation: Decimal
    interest: Decimal


def member_investment_years(year: int) -> tuple[MemberInvestmentYear, ...]:
    """Per investment that belongs to one member: its assets' depreciation and interest.

    Computed as ``asset_schedule`` computes a type's row, so the amounts can be taken out of
    their type's row exactly (to the öre) and charged to the member alone.
    """
    rate, _ = capital_cost_rate(year)
    types = fetch_types()
    investments = Investment.objects.filter(scope=Investment.Scope.MEMBER).select_related(
        "member", "asset_type"
    )
    result = []
    for investment in investments.order_by("code"):
        pools, _, _ = _pools(year, types, Q(investment=investment))
        for type_id, pool in sorted(pools.items()):
            row = _row(types[type_id], pool, rate, year)
            if row.depreciation or row.interest:
                result.append(
                    MemberInvestmentYear(
                        investment.code,
                        investment.name,
                        investment.member.code if investment.member else "",
                        row.type_code,
                        row.depreciation,
                        row.interest,
                    )
                )
    return tuple(result)


# --- output -----------------------------------------------------------------------------------


def asset_schedule_rows(schedule: AssetSchedule) -> list[dict[str, Any]]:
    """The schedule as rows for ``cli_output.emit``; the last row is the totals (code None)."""
    return [_row_dict(r) for r in schedule.rows] + [
        _row_dict(schedule.totals) | {"type_code": None, "type_name": "Total"}
    ]


def _row_dict(row: AssetScheduleRow) -> dict[str, Any]:
    return {
        "type_code": row.type_code,
        "type_name": row.type_name,
        "count": row.count,
        "acquisitions": round_ore(row.acquisitions),
        "depreciation": round_ore(row.depreciation),
        "interest": round_ore(row.interest),
        "capital_cost": round_ore(row.capital_cost),
        "book_value_end": round_ore(row.book_value_end),
        "disposals": row.disposals,
        "disposed_book_value": round_ore(row.disposed_book_value),
    }
