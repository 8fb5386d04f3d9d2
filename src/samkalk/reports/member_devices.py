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
  to its ``lease_end``; rent basis ``OWN_CAPITAL_COST`` (the month's row of the device's own
  plan). A direct purchase is flagged and pays no rent.
* **Rate and basis**: the ``CapitalCostRule`` of the month's year
  (:func:`reports.asset_schedule.capital_cost_rate`); without one, no interest and a warning.
* **Fees**: the catalogue has no support or licence prices per asset type yet, so the fees are
  zero (``NO_FEES``) and the charge is the rent; the page says so.
* **Life**: the investment's own depreciation time, else the asset type's. A device without any
  is left out and reported in ``errors``.

Rows are sorted by replacement month (the last month of the depreciation life), then tag. The
totals are sums of whole-öre rents and are asserted to add up, in total and per asset type.

Queries: one for the assets, plus those of ``capital_cost_rate`` (one, or three when the rule
uses the loans' average rate); the number does not grow with the number of devices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from samkalk.apps.assets.models import Asset
from samkalk.apps.federation.models import Member
from samkalk.core import depreciation as core
from samkalk.core import leasing
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, from_ore
from samkalk.reports.asset_schedule import CapitalCostRate, capital_cost_rate, life_months

NO_FEES = leasing.Fees(ZERO, ZERO)  # support and licence: no catalogue prices per type yet


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


def _next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _lease(member_code: str, values: tuple[Any, ...]) -> leasing.Lease:
    """One fetched asset (``_FIELDS`` order, with a life) as the member's lease of it."""
    _pk, tag, type_name, convention, _model, _org, acquired, cost, start, end, direct, ref, life = (
        values
    )
    return leasing.Lease(
        device=tag,
        asset_type=type_name,
        asset=core.Asset(from_ore(cost), acquired, life, core.ActivationConvention(convention)),
        member=member_code,
        lease_start=start or acquired,
        lease_end=end,
        direct_purchase=direct,
        rent_basis=leasing.RentBasis.OWN_CAPITAL_COST,
        decision_reference=ref,
    )


def _row(
    values: tuple[Any, ...], lease: leasing.Lease, rate: CapitalCostRate, first: dt.date
) -> DeviceRow:
    due = leasing.replacement_month(lease.asset)
    return DeviceRow(
        asset_id=values[0],
        tag=lease.device,
        type_name=lease.asset_type,
        model=values[4],
        organisation=values[5],
        charge=leasing.monthly_charges(lease, NO_FEES, rate.rate_percent, rate.basis, first),
        charged=leasing.is_charged(lease, first),
        replacement_due=due,
        direct_purchase=lease.direct_purchase,
        overdue=due < first,
    )


def member_devices(member: Member, month: dt.date) -> MemberDevices:
    """The devices ``member`` holds in ``month`` (any day in it), their rent and replacement."""
    first = month.replace(day=1)
    last = _next_month(first) - dt.timedelta(days=1)
    rate, warnings = capital_cost_rate(first.year)
    errors = list(warnings)
    rows: list[DeviceRow] = []
    no_life: list[str] = []
    for values in _leased_assets(member):
        if not values[-1]:
            no_life.append(values[1])
            continue
        lease = _lease(member.code, values)
        if _covers(lease, first, last):
            rows.append(_row(values, lease, rate, first))
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
