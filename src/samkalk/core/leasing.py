"""Uthyrning till medlemmar: what a member pays each month for a leased device, and on return.

The federation buys devices with loans and leases them to its members. A leased device's monthly
charge is rent + support fee + licence fee. The rent recovers the capital cost (depreciation +
internal rate) either device by device (``OWN_CAPITAL_COST``: the month's row of the device's own
plan) or as one price per asset type (``POOLED``: the type's capital cost ÷ its device-months,
rounded to öre; the over- or under-coverage that rounding causes is reported, never hidden).
Support and licence fees are catalogue prices per month, in whole öre. Nothing here reads a clock.

The rules, all in one place:

* **Lease period.** ``lease_start`` is the day the member receives the device; ``lease_end`` is
  the day it is returned or handed over (the next lease starts on the same day), or ``None``
  while the member still has it. The lease is the half-open day interval [start, end).
* **Partial months.** A month is charged, in full, to the lease that holds the device *on the 1st
  of the month*. So a member pays from the month it receives the device if it receives it on the
  1st, otherwise from the following month; and it pays the month it returns the device unless it
  returns it on the 1st. At a hand-over on day D the returning lease ends and the receiving lease
  starts on D: on the 1st the receiving member pays that month; later in the month the returning
  member pays it and the receiving member pays from the next. A month is never charged twice and,
  for back-to-back leases, never skipped. (A first lease that starts after the 1st of the
  device's activation month leaves that month's capital cost uncharged: start leases on the 1st
  or use the following-month activation.)
* **Rent months.** Rent is charged only for charged months inside the depreciation life; support
  and licence fees for every charged month. Both rent bases charge the same device-months, which
  are the ``months`` of :func:`depreciation.pool_year_totals` for a device leased the whole year.
* **Direct purchase** (direktbetalning): the member pays the acquisition cost once and then only
  the support fee while the device remains (no rent, no licence fee). Allowed where the asset
  type allows it, otherwise only with a referenced decision (``lease.direct_purchase_not_allowed``).
  A directly purchased device has no book value with the federation and is not in any pool.
* **Return, sale, scrapping.** The device leaves the lease at the end of its last charged month:
  the remaining book value is the plan's book value after that month (``depreciation.dispose``
  on the 1st of the following month), so rent already paid and the buy-out never cover the same
  month's depreciation. Under ``CHARGE_MEMBER`` the member pays that value as a buy-out; under
  ``KEEP_IN_POOL`` it is written off into the type's pool (a cost for the next pooled price).
  Sale proceeds are always the federation's revenue (``disposal_sale``), never netted against
  the buy-out; scrapping is a sale for zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from samkalk.core.depreciation import (
    Asset,
    InterestBasis,
    ScheduleRow,
    activation_month,
    dispose,
    month_row,
    pool_year_totals,
    validate_asset,
)
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, round_ore
from samkalk.core.months import month_number, month_start


class LeasingError(ValueError):
    """A lease or price that cannot be charged (a programming error by now)."""


class RentBasis(StrEnum):
    """Hyresgrund: how a product's rent is set."""

    OWN_CAPITAL_COST = "own_capital_cost"  # enhetens egen kapitalkostnad för månaden
    POOLED = "pooled"  # schablonhyra per tillgångstyp: typens kapitalkostnad / enhetsmånader


class DisposalRule(StrEnum):
    """Regel vid förtida återlämning: who bears the remaining book value."""

    CHARGE_MEMBER = "charge_member"  # medlemmen löser ut restvärdet
    KEEP_IN_POOL = "keep_in_pool"  # restvärdet stannar i typens pool


@dataclass(frozen=True, slots=True)
class Lease:
    """Uthyrning: one member's lease of one device (``device`` is its inventory number)."""

    device: str
    asset_type: str
    asset: Asset
    member: str
    lease_start: dt.date
    lease_end: dt.date | None = None
    direct_purchase: bool = False
    rent_basis: RentBasis = RentBasis.OWN_CAPITAL_COST
    decision_reference: str | None = None  # Dnr/§ that allowed a direct purchase


@dataclass(frozen=True, slots=True)
class Fees:
    """Supportavgift och licensavgift: the catalogue prices per device and month, whole öre."""

    support: Decimal
    licence: Decimal


@dataclass(frozen=True, slots=True)
class Charge:
    """Månadsavgift: one device's rent, support fee and licence fee for one month."""

    rent: Decimal
    support: Decimal
    licence: Decimal

    @property
    def total(self) -> Decimal:
        return self.rent + self.support + self.licence


NO_CHARGE = Charge(ZERO, ZERO, ZERO)


@dataclass(frozen=True, slots=True)
class PooledRent:
    """Schablonhyra: price per device-month and the coverage it gives on the type's cost.

    ``coverage`` = price × device_months − cost: positive is over-coverage (surplus), negative
    under-coverage (deficit); at most half an öre per device-month either way.
    """

    price: Decimal
    cost: Decimal
    device_months: int
    coverage: Decimal


@dataclass(frozen=True, slots=True)
class DisposalOutcome:
    """Avyttring: the remaining book value, who bears it, and the sale proceeds as revenue.

    ``member_buy_out`` + ``pool_write_off`` = ``book_value``; ``disposed_month`` is the first
    month no longer charged to the member.
    """

    book_value: Decimal
    member_buy_out: Decimal
    pool_write_off: Decimal
    sale_revenue: Decimal
    disposed_month: dt.date


@dataclass(frozen=True, slots=True)
class DeviceLine:
    """Rad i medlemmens enhetsförteckning: a device, its charge this month, its replacement."""

    device: str
    asset_type: str
    charge: Charge
    replacement_due: dt.date  # last month of the depreciation life (utbytesplan)
    direct_purchase: bool


@dataclass(frozen=True, slots=True)
class MemberStatement:
    """Medlemmens enheter: every device charged to ``member`` in ``month`` and the sums."""

    member: str
    month: dt.date
    lines: tuple[DeviceLine, ...]
    total: Charge


# --- validation (errors as data) ----------------------------------------------------------


def validate_direct_purchase(type_allows: bool, decision_reference: str | None) -> list[CoreError]:
    """A direct purchase needs an asset type that allows it, or a referenced decision."""
    if type_allows or (decision_reference or "").strip():
        return []
    return [
        CoreError(
            "lease.direct_purchase_not_allowed",
            "direct purchase is not allowed for this asset type without a referenced decision",
        )
    ]


def validate_fees(fees: Fees) -> list[CoreError]:
    """Catalogue fees must be zero or more and whole öre."""
    errors: list[CoreError] = []
    for name, fee in (("support", fees.support), ("licence", fees.licence)):
        if not fee.is_finite() or fee < 0:
            errors.append(CoreError("lease.fee_negative", f"{name} fee {fee} is not ≥ 0"))
        elif round_ore(fee) != fee:
            errors.append(CoreError("lease.fee_not_whole_ore", f"{name} fee {fee} is not öre"))
    return errors


def validate_leases(
    leases: Iterable[Lease], direct_purchase_types: Collection[str]
) -> list[CoreError]:
    """Every problem with a set of leases: dates, assets, direct purchases, overlaps per device."""
    errors: list[CoreError] = []
    by_device: dict[str, list[Lease]] = {}
    for lease in leases:
        errors.extend(validate_asset(lease.asset))
        if lease.lease_end is not None and lease.lease_end < lease.lease_start:
            errors.append(
                CoreError("lease.ends_before_start", f"{lease.device}: lease ends before it starts")
            )
        if lease.direct_purchase:
            errors.extend(
                validate_direct_purchase(
                    lease.asset_type in direct_purchase_types, lease.decision_reference
                )
            )
        by_device.setdefault(lease.device, []).append(lease)
    for device, held in sorted(by_device.items()):
        held.sort(key=lambda lease: lease.lease_start)
        for before, after in pairwise(held):
            if before.lease_end is None or before.lease_end > after.lease_start:
                errors.append(
                    CoreError(
                        "lease.overlapping",
                        f"{device}: leased to {before.member} and {after.member} at once",
                    )
                )
    return errors


# --- the monthly charge -------------------------------------------------------------------


def is_charged(lease: Lease, month: dt.date) -> bool:
    """Whether the lease pays ``month`` (any day in it): it holds the device on the 1st."""
    first = month.replace(day=1)
    return lease.lease_start <= first and (lease.lease_end is None or first < lease.lease_end)


def replacement_month(asset: Asset) -> dt.date:
    """Utbytesmånad: the last month of the depreciation life."""
    return month_start(
        month_number(activation_month(asset.acquired_on, asset.convention))
        + (asset.depreciation_months - 1)
    )


def monthly_charges(
    lease: Lease,
    fees: Fees,
    rate: Decimal,
    basis: InterestBasis,
    month: dt.date,
    pooled_price: Decimal | None = None,
) -> Charge:
    """The lease's charge for ``month`` (any day in it); zero if the month is not charged."""
    if not is_charged(lease, month):
        return NO_CHARGE
    if lease.direct_purchase:
        return Charge(ZERO, fees.support, ZERO)
    row = _life_row(lease.asset, rate, basis, month)
    if row is None:
        rent = ZERO
    elif lease.rent_basis is RentBasis.POOLED:
        if pooled_price is None:
            raise LeasingError(f"{lease.device}: pooled rent needs the type's pooled price")
        rent = pooled_price
    else:
        rent = row.capital_cost
    return Charge(rent, fees.support, fees.licence)


def direct_purchase_price(lease: Lease) -> Decimal:
    """What the member pays once for a direct purchase: the acquisition cost."""
    if not lease.direct_purchase:
        raise LeasingError(f"{lease.device} is leased, not bought directly")
    return lease.asset.acquisition_cost


# --- pooled rent --------------------------------------------------------------------------


def pooled_rent(type_capital_cost: Decimal, device_months: int) -> PooledRent:
    """The price per device-month (rounded to öre) and the coverage the rounding causes."""
    if device_months <= 0:
        raise LeasingError(f"a pooled price needs device-months above zero, not {device_months}")
    price = round_ore(type_capital_cost / device_months)
    return PooledRent(
        price=price,
        cost=type_capital_cost,
        device_months=device_months,
        coverage=price * device_months - type_capital_cost,
    )


def type_pool_rent(
    leases: Iterable[Lease], rate: Decimal, basis: InterestBasis, year: int
) -> PooledRent:
    """The pooled price of one asset type for ``year`` from its plans (a forecast price).

    The pool is every device of the type that is leased at all (direct purchases are not in it),
    each counted once however many times it changed hands; device-months are its life months in
    the year. A cost kept in the pool at disposal is added by the caller to ``cost`` and priced
    again with :func:`pooled_rent`.
    """
    assets: dict[str, Asset] = {}
    types: set[str] = set()
    for lease in leases:
        if not lease.direct_purchase:
            assets[lease.device] = lease.asset
            types.add(lease.asset_type)
    if len(types) != 1:
        raise LeasingError(f"a pool is one asset type with devices, not {sorted(types)}")
    totals = pool_year_totals(assets.values(), rate, basis, year)
    return pooled_rent(totals.capital_cost, totals.months)


# --- return, sale, scrapping --------------------------------------------------------------


def buy_out(lease: Lease, returned_on: dt.date, rate: Decimal, basis: InterestBasis) -> Decimal:
    """Restvärde: the book value after the last month charged to the lease returned on a day."""
    if returned_on < lease.lease_start:
        raise LeasingError(f"{lease.device}: returned before the lease started")
    if lease.direct_purchase:
        return ZERO
    return dispose(lease.asset, _disposed_month(returned_on), basis=basis, rate=rate).book_value


def disposal_outcome(
    lease: Lease,
    returned_on: dt.date,
    rate: Decimal,
    basis: InterestBasis,
    rule: DisposalRule,
    sale_proceeds: Decimal = ZERO,
) -> DisposalOutcome:
    """Early return, sale (``sale_proceeds`` > 0) or scrapping (0): who bears what is left."""
    if sale_proceeds < 0:
        raise LeasingError(f"{lease.device}: sale proceeds {sale_proceeds} are negative")
    book = buy_out(lease, returned_on, rate, basis)
    to_member = book if rule is DisposalRule.CHARGE_MEMBER else ZERO
    return DisposalOutcome(
        book_value=book,
        member_buy_out=to_member,
        pool_write_off=book - to_member,
        sale_revenue=sale_proceeds,
        disposed_month=_disposed_month(returned_on),
    )


# --- per member ---------------------------------------------------------------------------


def member_statements(
    leases: Iterable[Lease],
    fees_by_type: Mapping[str, Fees],
    rate: Decimal,
    basis: InterestBasis,
    month: dt.date,
    pooled_prices: Mapping[str, Decimal] | None = None,
) -> tuple[tuple[MemberStatement, ...], list[CoreError]]:
    """Every member's devices charged in ``month``, sorted by member and device, with sums.

    A device whose type has no fees (or, pooled, no price) is left out and reported.
    """
    first = month.replace(day=1)
    prices = pooled_prices or {}
    lines: dict[str, list[DeviceLine]] = {}
    errors: list[CoreError] = []
    for lease in leases:
        if not is_charged(lease, first):
            continue
        fees = fees_by_type.get(lease.asset_type)
        price = prices.get(lease.asset_type)
        if fees is None:
            errors.append(CoreError("lease.no_fees", f"{lease.device}: no fees for the type"))
            continue
        if lease.rent_basis is RentBasis.POOLED and price is None and not lease.direct_purchase:
            errors.append(CoreError("lease.no_pooled_price", f"{lease.device}: no pooled price"))
            continue
        charge = monthly_charges(lease, fees, rate, basis, first, price)
        lines.setdefault(lease.member, []).append(
            DeviceLine(
                lease.device,
                lease.asset_type,
                charge,
                replacement_month(lease.asset),
                lease.direct_purchase,
            )
        )
    statements = tuple(
        _statement(member, first, sorted(held, key=lambda line: line.device))
        for member, held in sorted(lines.items())
    )
    return statements, errors


def _statement(member: str, month: dt.date, lines: list[DeviceLine]) -> MemberStatement:
    total = Charge(
        sum((line.charge.rent for line in lines), ZERO),
        sum((line.charge.support for line in lines), ZERO),
        sum((line.charge.licence for line in lines), ZERO),
    )
    assert total.total == sum((line.charge.total for line in lines), ZERO)
    return MemberStatement(member, month, tuple(lines), total)


# --- months -------------------------------------------------------------------------------


def _life_row(
    asset: Asset, rate: Decimal, basis: InterestBasis, month: dt.date
) -> ScheduleRow | None:
    """The plan's row for ``month``, or None outside the depreciation life (no schedule built)."""
    return month_row(asset, rate, basis, month)


def _disposed_month(returned_on: dt.date) -> dt.date:
    """The first month not charged to a lease returned on ``returned_on``."""
    number = month_number(returned_on)
    return month_start(number if returned_on.day == 1 else number + 1)
