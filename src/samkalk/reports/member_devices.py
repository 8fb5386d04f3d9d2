"""Medlemmens enheter: which devices a member holds, what each costs this month, when it is due.

A fetch → compute selector over ``core.leasing``: the member's leased assets (through the
organisation that holds them) are mapped to :class:`core.leasing.Lease` and each month's
charge comes from :func:`core.leasing.monthly_charges`, so the rent agrees to the öre with the
asset's own plan on its page and with the depreciation report.

The rules:

* **Which devices**: assets with status *leased* whose holder is one of the member's
  organisations and whose lease covers at least one day of the month. A device received after
  the 1st is listed but not charged that month (``charged`` is false), as the leasing rules say.
* **Lease**: from the asset's ``lease_start``, or its acquisition date when none is recorded,
  to its ``lease_end``. The rent basis is the asset type's rent product's: its own capital cost
  (the month's row of the device's own plan), or the pooled price — the rent product's price in
  force, which the full-cost calculation sets as the type's capital cost ÷ device-months. A
  direct purchase is flagged and pays no rent, only the support fee.
* **Rate and basis**: the ``CapitalCostRule`` of the month's year
  (:func:`reports.asset_schedule.capital_cost_rate`); without one, no interest and a warning.
* **Fees**: the prices in force (``ProductPrice``) on the 1st of the month of the asset type's
  support and licence products. A type whose product has no price in force pays no such fee,
  and ``errors`` names the product.
* **Life**: the investment's own depreciation time, else the asset type's. A device without any
  is left out and reported in ``errors``.

Rows are sorted by replacement month (the last month of the depreciation life), then tag. The
totals are sums of whole-öre rents and are asserted to add up, in total and per asset type.

Queries: one for the assets, plus those of ``capital_cost_rate`` (one, or three when the rule
uses the loans' average rate); the number does not grow with the number of devices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from samkalk.apps.assets.models import Asset, AssetType
from samkalk.apps.billing.models import BilledDeviceGroup, BillingRun
from samkalk.apps.catalogue.models import ProductPrice, RentBasis
from samkalk.apps.federation.models import Member, Organisation
from samkalk.core import depreciation as core
from samkalk.core import leasing
from samkalk.core.billing import DeviceGroup
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, from_ore, to_ore
from samkalk.core.months import add_months
from samkalk.reports.asset_schedule import CapitalCostRate, capital_cost_rate, life_months
from samkalk.reports.device_rents import RentTerms, device_rents, group_totals


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """One device the member holds: what it is, who holds it, its rent this month, its due."""

    asset_id: int
    tag: str
    type_name: str
    model: str
    organisation: str
    charge: leasing.Charge
    charged: bool  # the member holds it on the 1st, so pays this month
    replacement_due: dt.date  # utbytesmånad: the last month of the depreciation life
    direct_purchase: bool
    overdue: bool  # the replacement month is before this month: the life is over
    included: bool = False  # not charged per device: priced into its rent product's unit


@dataclass(frozen=True, slots=True)
class TypeCount:
    """One asset type's devices and their rent this month."""

    type_name: str
    count: int
    rent: Decimal


@dataclass(frozen=True, slots=True)
class MemberDevices:
    """Medlemmens enheter och månadsavgifter for ``month`` (the first of the month)."""

    member_id: int
    month: dt.date
    rate: CapitalCostRate
    rows: tuple[DeviceRow, ...]
    by_type: tuple[TypeCount, ...]
    total: leasing.Charge
    errors: tuple[CoreError, ...]


# --- fetch ------------------------------------------------------------------------------------

_FIELDS = (
    "asset_type_id",
    "pk",
    "tag",
    "asset_type__name",
    "asset_type__activation_convention",
    "model",
    "organisation__name",
    "acquired_on",
    "acquisition_cost_ore",
    "lease_start",
    "lease_end",
    "direct_purchase",
    "decision__reference",
    "life",
)


def _leased_assets(member: Member) -> list[tuple[Any, ...]]:
    """The member's leased assets as tuples in ``_FIELDS`` order (one query)."""
    return list(
        Asset.objects.filter(status=Asset.Status.LEASED, organisation__member=member)
        .annotate(life=life_months())
        .order_by("tag")
        .values_list(*_FIELDS)
    )


# --- compute ----------------------------------------------------------------------------------


def _covers(lease: leasing.Lease, first: dt.date, last: dt.date) -> bool:
    """Whether the lease holds the device on any day of the month [first, last]."""
    return lease.lease_start <= last and (lease.lease_end is None or lease.lease_end > first)


NO_FEES = leasing.Fees(ZERO, ZERO)


@dataclass(frozen=True, slots=True)
class TypeTerms:
    """What a device of one asset type pays besides its own plan: fees, rent basis, pool price."""

    fees: leasing.Fees
    rent_basis: leasing.RentBasis
    pooled_price: Decimal | None
    billed: bool = True  # False: priced into the rent product's unit, not charged per device


def prices_in_force(day: dt.date) -> dict[int, Decimal]:
    """Product id → the unit price in force on ``day`` (the latest from on or before it)."""
    prices: dict[int, Decimal] = {}
    rows = ProductPrice.objects.filter(valid_from__lte=day).order_by("product_id", "valid_from")
    for product_id, ore in rows.values_list("product_id", "amount_ore"):
        prices[product_id] = from_ore(ore)
    return prices


def type_terms(day: dt.date) -> tuple[dict[int, TypeTerms], dict[int, list[CoreError]]]:
    """Per asset type id: its fees and rent basis on ``day``, and the prices it lacks."""
    prices = prices_in_force(day)
    terms: dict[int, TypeTerms] = {}
    missing: dict[int, list[CoreError]] = {}
    types = AssetType.objects.select_related("rent_product", "support_product", "licence_product")
    for t in types:
        errors = missing.setdefault(t.pk, [])

        def price(product: Any, what: str, errors: list[CoreError] = errors) -> Decimal:
            if product is None:
                return ZERO
            if product.pk not in prices:
                errors.append(
                    CoreError(
                        "member_devices.no_price",
                        f"{product.code}: no {what} price in force on {day.isoformat()}",
                    )
                )
                return ZERO
            return prices[product.pk]

        if not t.billed_per_device:
            terms[t.pk] = TypeTerms(NO_FEES, leasing.RentBasis.POOLED, ZERO, billed=False)
            continue
        pooled = t.rent_product is not None and t.rent_product.rent_basis == RentBasis.POOLED
        terms[t.pk] = TypeTerms(
            leasing.Fees(price(t.support_product, "support"), price(t.licence_product, "licence")),
            leasing.RentBasis.POOLED if pooled else leasing.RentBasis.OWN_CAPITAL_COST,
            price(t.rent_product, "pooled rent") if pooled else None,
        )
    return terms, missing


def _lease(member_code: str, values: tuple[Any, ...], terms: TypeTerms) -> leasing.Lease:
    """One fetched asset (``_FIELDS`` order, with a life) as the member's lease of it."""
    (
        _type,
        _pk,
        tag,
        type_name,
        convention,
        _model,
        _org,
        acquired,
        cost,
        start,
        end,
        direct,
        ref,
        life,
    ) = values
    return leasing.Lease(
        device=tag,
        asset_type=type_name,
        asset=core.Asset(from_ore(cost), acquired, life, core.ActivationConvention(convention)),
        member=member_code,
        lease_start=start or acquired,
        lease_end=end,
        direct_purchase=direct,
        rent_basis=terms.rent_basis,
        decision_reference=ref,
    )


def _row(
    values: tuple[Any, ...],
    lease: leasing.Lease,
    terms: TypeTerms,
    rate: CapitalCostRate,
    first: dt.date,
) -> DeviceRow:
    due = leasing.replacement_month(lease.asset)
    return DeviceRow(
        asset_id=values[1],
        tag=lease.device,
        type_name=lease.asset_type,
        model=values[5],
        organisation=values[6],
        charge=leasing.monthly_charges(
            lease, terms.fees, rate.rate_percent, rate.basis, first, terms.pooled_price
        ),
        charged=leasing.is_charged(lease, first),
        replacement_due=due,
        direct_purchase=lease.direct_purchase,
        included=not terms.billed,
        overdue=due < first,
    )


def member_devices(member: Member, month: dt.date) -> MemberDevices:
    """The devices ``member`` holds in ``month`` (any day in it), their rent and replacement."""
    first = month.replace(day=1)
    last = add_months(first, 1) - dt.timedelta(days=1)
    rate, warnings = capital_cost_rate(first.year)
    terms, missing = type_terms(first)
    errors = list(warnings)
    rows: list[DeviceRow] = []
    no_life: list[str] = []
    held: set[int] = set()
    for values in _leased_assets(member):
        if not values[-1]:
            no_life.append(values[2])
            continue
        lease = _lease(member.code, values, terms[values[0]])
        if _covers(lease, first, last):
            rows.append(_row(values, lease, terms[values[0]], rate, first))
            held.add(values[0])
    for type_id in sorted(held):
        errors.extend(missing[type_id])
    if no_life:
        errors.append(
            CoreError(
                "member_devices.no_life",
                f"{len(no_life)} device(s) left out, no depreciation time: {', '.join(no_life)}",
            )
        )
    rows.sort(key=lambda row: (row.replacement_due, row.tag))
    total = _total(rows)
    return MemberDevices(
        member.pk, first, rate, tuple(rows), _by_type(rows, total), total, tuple(errors)
    )


def _total(rows: list[DeviceRow]) -> leasing.Charge:
    total = leasing.Charge(
        sum((row.charge.rent for row in rows), ZERO),
        sum((row.charge.support for row in rows), ZERO),
        sum((row.charge.licence for row in rows), ZERO),
    )
    assert total.total == sum((row.charge.total for row in rows), ZERO)
    return total


def _by_type(rows: list[DeviceRow], total: leasing.Charge) -> tuple[TypeCount, ...]:
    counts: dict[str, list[DeviceRow]] = {}
    for row in rows:
        counts.setdefault(row.type_name, []).append(row)
    types = tuple(
        TypeCount(name, len(held), sum((row.charge.rent for row in held), ZERO))
        for name, held in sorted(counts.items())
    )
    assert sum((t.rent for t in types), ZERO) == total.rent
    assert sum(t.count for t in types) == len(rows)
    return types


# --- every member at once (billing) -----------------------------------------------------------


def device_charges(
    first: dt.date, run: BillingRun | None = None
) -> tuple[tuple[DeviceGroup, ...], list[CoreError]]:
    """Every device a member organisation holds on the 1st of ``first``'s month, summed per
    organisation, asset type and direct purchase, with the type's fees — as ``run``, being
    posted, wrote them down (``apps.billing.itemisation``), or else from the register now.

    The holder on the 1st pays the month, whatever the asset's status is today (a device
    returned later in the month is still charged for it). The charge is
    :func:`core.leasing.monthly_charges`'s: a direct purchase pays the support fee alone; the
    rent is the pooled price or the month's row of the device's own plan (inside the life,
    else nothing), each device's worked out in the database (``reports.device_rents``).
    Each group's key (``group_key``) finds its devices again (``group_devices``).

    Queries: one for the sums (or the run's groups), and a few small ones for the rate, the
    types and their prices and the organisations; the number does not grow with the number of
    devices.
    """
    first = first.replace(day=1)
    rate, errors = capital_cost_rate(first.year)
    terms, missing = type_terms(first)
    types = _billing_types()
    holders = {
        pk: (code, member)
        for pk, code, member in Organisation.objects.values_list("pk", "code", "member__code")
    }
    result, held = [], set()
    if run is None:
        totals = group_totals(rent_terms(first, rate, terms))
    else:
        totals = [
            (org, type_id, direct, count, rent, each)
            for org, type_id, direct, count, rent, each in BilledDeviceGroup.objects.filter(
                run=run, month=first
            )
            .order_by("organisation", "asset_type", "direct_purchase")
            .values_list(
                "organisation", "asset_type", "direct_purchase", "count", "rent_ore", "each_ore"
            )
        ]
    for org, type_id, direct, count, rent, each in totals:
        info, term = types[type_id], terms[type_id]
        organisation, member = holders[org]
        result.append(
            DeviceGroup(
                group_key(first, org, type_id, direct),
                organisation,
                member,
                first,
                info.rent_product,
                term.pooled_price is not None,
                info.support_product,
                term.fees.support,
                info.licence_product,
                ZERO if direct else term.fees.licence,
                count,
                from_ore(rent),
                None if each is None else from_ore(each),
            )
        )
        held.add(type_id)
    for type_id in sorted(held):
        errors.extend(missing[type_id])
    return tuple(result), errors


def rent_terms(first: dt.date, rate: CapitalCostRate, terms: dict[int, TypeTerms]) -> RentTerms:
    """The month's rate as a fraction and the pooled rents, for ``reports.device_rents``."""
    num, den = core.monthly_rate(rate.rate_percent)
    pooled = {
        pk: to_ore(term.pooled_price) for pk, term in terms.items() if term.pooled_price is not None
    }
    return RentTerms(first, num, den, rate.basis, pooled)


def month_rent_terms(first: dt.date) -> RentTerms:
    """The rent terms of ``first``'s month as ``device_charges`` reads them."""
    rate, _ = capital_cost_rate(first.year)
    terms, _ = type_terms(first)
    return rent_terms(first, rate, terms)


def group_key(first: dt.date, organisation: int, asset_type: int, direct: bool) -> str:
    """A device group's name: its month, organisation and asset type (ids), direct purchase."""
    return f"{first.isoformat()}/{organisation}/{asset_type}/{int(direct)}"


def parse_group_key(key: str) -> tuple[dt.date, int, int, bool]:
    """(month, organisation id, asset type id, direct purchase) of a ``group_key``."""
    day, organisation, asset_type, direct = key.split("/")
    return dt.date.fromisoformat(day), int(organisation), int(asset_type), direct == "1"


def group_devices(groups: Iterable[DeviceGroup]) -> dict[str, list[tuple[str, Decimal]]]:
    """Each group's devices, (tag, rent) by tag, by key: as ``device_charges`` summed them
    (one query per month)."""
    wanted: dict[dt.date, set[tuple[int, int, bool]]] = {}
    listed: dict[str, list[tuple[str, Decimal]]] = {}
    for group in groups:
        month, organisation, asset_type, direct = parse_group_key(group.key)
        wanted.setdefault(month, set()).add((organisation, asset_type, direct))
        listed[group.key] = []
    for month, keys in sorted(wanted.items()):
        for org, type_id, direct, tag, rent in device_rents(month_rent_terms(month), keys):
            listed[group_key(month, org, type_id, direct)].append((tag, from_ore(rent)))
    return listed


@dataclass(frozen=True, slots=True)
class _BillingType:
    rent_product: str
    support_product: str
    licence_product: str


def _billing_types() -> dict[int, _BillingType]:
    """The asset types billed per device and the products that carry their charges."""
    rows = AssetType.objects.filter(billed_per_device=True).values_list(
        "pk", "rent_product__code", "support_product__code", "licence_product__code"
    )
    return {
        pk: _BillingType(rent or "", support or "", licence or "")
        for pk, rent, support, licence in rows
    }
