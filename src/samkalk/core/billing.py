"""The billing run (debitering): one month's charges → invoice drafts per recipient.

A run bills a month. Each product says how often it is billed (monthly, or quarterly: the run of
the quarter's first month bills it in advance, the run of its last month in arrears) and at
which level (to the member's invoice recipient, or to each organisation that ordered). The
shell supplies what the run needs as plain values; this module only arranges and sums them:

* **key charges**: an allocated product's annual amount for a member (its key share of the
  product's expected revenue) is split into twelve monthly parts with ``money.apportion``, so
  the twelve parts add up to the annual amount to the öre; a quarter is three parts;
* **usage**: the quantity a recipient called off in the covered months × the unit price;
* **devices**: each leased device's rent, support and licence for the covered months, one line
  per product (support and licence as device-months × the fee; rent at a pooled price likewise;
  rent at the devices' own capital cost as one amount). The devices come summed per
  organisation, asset type and month (``DeviceGroup``); a line names its groups, and the shell
  lists their devices one by one where a line is explained;
* **pass-through** costs at cost plus the product's mark-up, **direct purchases** at their
  acquisition cost, **buy-outs** of devices returned before the end of their life (where the
  asset type's rule says the member buys out the remaining book value), and **adjustments**
  (differences found in months already posted).

Every line's amount is rounded to öre where it is made; an invoice's VAT is computed by
``core.invoice`` per VAT rate, as the e-invoice computes it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from samkalk.core.errors import CoreError
from samkalk.core.invoice import category_of_rate, line_amount, vat_subtotals
from samkalk.core.money import ZERO, apportion, round_ore
from samkalk.core.months import add_months

ONE = Decimal(1)
_MONTHS = [Decimal(1)] * 12


class BillingPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


class Timing(StrEnum):
    ADVANCE = "advance"
    ARREARS = "arrears"


class Level(StrEnum):
    MEMBER = "member"  # to the member's invoice recipient
    ORGANISATION = "organisation"  # to each organisation that ordered


class LineSource(StrEnum):
    KEY_SHARE = "key_share"
    USAGE = "usage"
    DEVICE = "device"
    PASS_THROUGH = "pass_through"
    DIRECT_PURCHASE = "direct_purchase"
    BUY_OUT = "buy_out"  # the remaining book value of a device returned early
    ADJUSTMENT = "adjustment"


@dataclass(frozen=True, slots=True)
class BillingProduct:
    """How one product is billed."""

    code: str
    name: str
    period: BillingPeriod = BillingPeriod.MONTH
    timing: Timing = Timing.ARREARS
    level: Level = Level.ORGANISATION
    unit_code: str = "EA"
    vat_percent: Decimal = Decimal(25)
    markup_percent: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class KeyCharge:
    """A member's annual amount of an allocated product (its key share of the product)."""

    member: str
    product: str
    annual: Decimal
    share: Decimal  # the exact key share, for the explanation


@dataclass(frozen=True, slots=True)
class Usage:
    """Avrop: what an organisation called off of a product in a month."""

    organisation: str
    member: str
    product: str
    month: dt.date
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class DeviceGroup:
    """Devices of one asset type that one organisation holds on the 1st of a month, summed.

    A national register is a million devices and a few thousand groups. The run needs only
    their number and their rents in all; the devices themselves stay where they are listed, and
    ``key`` names the group there, so that the shell can itemise a line device by device (a
    type's direct purchases, which pay no rent or licence, form their own group).
    """

    key: str
    organisation: str
    member: str
    month: dt.date
    rent_product: str
    pooled: bool
    support_product: str
    support: Decimal
    licence_product: str
    licence: Decimal
    count: int  # devices
    rent: Decimal  # their rents in all
    rent_each: Decimal | None  # the rent every one of them pays, or None: they differ

    def __post_init__(self) -> None:
        if self.rent_each is not None and self.rent_each * self.count != self.rent:
            raise ValueError(f"group {self.key}: {self.count} × {self.rent_each} ≠ {self.rent}")


@dataclass(frozen=True, slots=True)
class Devices:
    """The devices behind a line, by the groups they come from.

    Each part is a group and what each of its devices pays on this line: the one fee, or None
    for the device's own rent. ``count`` is the device-months, ``total`` their amounts and
    ``each`` the one amount they all pay, when it is the same for all.
    """

    parts: tuple[tuple[DeviceGroup, Decimal | None], ...] = ()
    count: int = 0
    total: Decimal = ZERO
    each: Decimal | None = None

    def __len__(self) -> int:
        return self.count

    def keyed(self) -> list[tuple[str, Decimal | None]]:
        """The parts as (group key, fee or None), as ``itemise`` takes them."""
        return [(group.key, fee) for group, fee in self.parts]


@dataclass(frozen=True, slots=True)
class Charge:
    """A single amount: a pass-through cost, a direct purchase or an adjustment."""

    organisation: str
    member: str
    product: str
    source: LineSource
    amount: Decimal  # at cost; a pass-through's mark-up is added by the run
    description: str
    month: dt.date


@dataclass(frozen=True, slots=True)
class BillingInput:
    month: dt.date  # the first of the month the run bills
    products: Mapping[str, BillingProduct]
    member_recipients: Mapping[str, str]  # member → organisation that receives member invoices
    key_charges: tuple[KeyCharge, ...] = ()
    usage: tuple[Usage, ...] = ()
    prices: Mapping[str, Decimal] = field(default_factory=dict)  # product → unit price
    charges: tuple[Charge, ...] = ()
    device_groups: tuple[DeviceGroup, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftLine:
    """Fakturaunderlag: one line and what it rests on (the explanation)."""

    product: str
    name: str
    source: LineSource
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    amount: Decimal
    vat_percent: Decimal
    period_start: dt.date
    period_end: dt.date
    note: str = ""
    devices: Devices = Devices()  # behind a device line


@dataclass(frozen=True, slots=True)
class DraftInvoice:
    recipient: str  # organisation code
    member: str
    lines: tuple[DraftLine, ...]
    net: Decimal
    vat: Decimal
    total: Decimal


def covered_months(product: BillingProduct, month: dt.date) -> tuple[dt.date, ...]:
    """The months a run of ``month`` bills for ``product`` (none when it is not its turn)."""
    if product.period is BillingPeriod.MONTH:
        return (month,)
    position = (month.month - 1) % 3
    if product.timing is Timing.ADVANCE and position == 0:
        return tuple(add_months(month, i) for i in range(3))
    if product.timing is Timing.ARREARS and position == 2:
        return tuple(add_months(month, i) for i in range(-2, 1))
    return ()


def monthly_part(annual: Decimal, month: dt.date) -> Decimal:
    """The month's twelfth of an annual amount; the twelve parts add up to the amount."""
    return apportion(annual, _MONTHS)[month.month - 1]


def bill_month(data: BillingInput) -> tuple[tuple[DraftInvoice, ...], tuple[CoreError, ...]]:
    """Every recipient's invoice draft for the run of ``data.month``."""
    errors: list[CoreError] = []
    lines: dict[tuple[str, str], list[DraftLine]] = defaultdict(list)
    months = {code: covered_months(p, data.month) for code, p in data.products.items()}

    def recipient(member: str, organisation: str, product: BillingProduct) -> str | None:
        if product.level is Level.ORGANISATION and organisation:
            return organisation
        found = data.member_recipients.get(member)
        if found is None:
            errors.append(
                CoreError(
                    "billing.no_recipient",
                    f"member {member} has no organisation that receives member invoices",
                )
            )
        return found

    for key, line in _key_lines(data, months, errors):
        to = recipient(key, "", data.products[line.product])
        if to is not None:
            lines[(to, key)].append(line)
    for (member, organisation), line in _usage_lines(data, months, errors):
        to = recipient(member, organisation, data.products[line.product])
        if to is not None:
            lines[(to, member)].append(line)
    for (member, organisation), line in _device_lines(data, months, errors):
        to = recipient(member, organisation, data.products[line.product])
        if to is not None:
            lines[(to, member)].append(line)
    for (member, organisation), line in _charge_lines(data, errors):
        to = recipient(member, organisation, data.products[line.product])
        if to is not None:
            lines[(to, member)].append(line)
    drafts = tuple(
        _draft(to, member, tuple(found))
        for (to, member), found in sorted(lines.items())
        if any(line.amount for line in found)
    )
    return drafts, tuple(dict.fromkeys(errors))


def _draft(recipient: str, member: str, lines: tuple[DraftLine, ...]) -> DraftInvoice:
    net = sum((line.amount for line in lines), ZERO)
    subtotals = vat_subtotals(
        (category_of_rate(line.vat_percent), line.vat_percent, line.amount) for line in lines
    )
    vat = sum((s.tax for s in subtotals), ZERO)
    return DraftInvoice(recipient, member, lines, net, vat, net + vat)


@functools.cache
def _span(months: tuple[dt.date, ...]) -> tuple[dt.date, dt.date]:
    """The first and last day of the covered months (a run asks for the same few spans for
    each of its hundred thousand lines)."""
    return months[0], add_months(months[-1], 1) - dt.timedelta(days=1)


def _key_lines(
    data: BillingInput, months: Mapping[str, tuple[dt.date, ...]], errors: list[CoreError]
) -> list[tuple[str, DraftLine]]:
    result = []
    for charge in data.key_charges:
        product = data.products.get(charge.product)
        if product is None:
            errors.append(_unknown(charge.product))
            continue
        covered = months[charge.product]
        if not covered:
            continue
        amount = sum((monthly_part(charge.annual, m) for m in covered), ZERO)
        start, end = _span(covered)
        note = (
            f"andel {_swedish(charge.share * 100, 2)} % av {_swedish(charge.annual, 2)} kr per år"
        )
        line = DraftLine(
            product.code,
            product.name,
            LineSource.KEY_SHARE,
            ONE,
            "EA",
            amount,
            amount,
            product.vat_percent,
            start,
            end,
            note,
        )
        result.append((charge.member, line))
    return result


def _usage_lines(
    data: BillingInput, months: Mapping[str, tuple[dt.date, ...]], errors: list[CoreError]
) -> list[tuple[tuple[str, str], DraftLine]]:
    quantities: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for usage in data.usage:
        if usage.product not in data.products:
            errors.append(_unknown(usage.product))
        elif usage.month in months[usage.product]:
            quantities[(usage.member, usage.organisation, usage.product)] += usage.quantity
    result = []
    for (member, organisation, code), quantity in sorted(quantities.items()):
        product = data.products[code]
        price = data.prices.get(code)
        if price is None:
            errors.append(CoreError("billing.no_price", f"product {code} has no price in force"))
            continue
        start, end = _span(months[code])
        line = DraftLine(
            code,
            product.name,
            LineSource.USAGE,
            quantity,
            product.unit_code,
            price,
            line_amount(quantity, price),
            product.vat_percent,
            start,
            end,
        )
        result.append(((member, organisation), line))
    return result


def _device_lines(
    data: BillingInput, months: Mapping[str, tuple[dt.date, ...]], errors: list[CoreError]
) -> list[tuple[tuple[str, str], DraftLine]]:
    """One line per (member, organisation, product, pooled): the groups' devices that the
    product bills in its covered months — at the fee each, or at each device's own rent."""
    parts: dict[tuple[str, str, str, bool], list[tuple[DeviceGroup, Decimal | None]]]
    parts = defaultdict(list)
    for g in data.device_groups:
        if not g.count:
            continue
        for code, fee, pooled in (
            (g.rent_product, None, g.pooled),
            (g.support_product, g.support, True),
            (g.licence_product, g.licence, True),
        ):
            if not code:
                continue
            if code not in data.products:
                errors.append(_unknown(code))
            elif g.month in months[code]:
                parts[(g.member, g.organisation, code, pooled)].append((g, fee))
    result = []
    for (member, organisation, code, per_unit), found in sorted(parts.items()):
        product = data.products[code]
        start, end = _span(months[code])
        devices = _devices(found)
        if per_unit and devices.each is not None:
            quantity, price = Decimal(devices.count), devices.each
        else:
            quantity, price = ONE, devices.total
        line = DraftLine(
            code,
            product.name,
            LineSource.DEVICE,
            quantity,
            product.unit_code,
            price,
            line_amount(quantity, price),
            product.vat_percent,
            start,
            end,
            _devices_note(devices.count, len(months[code])),
            devices,
        )
        assert line.amount == devices.total, "a device line is the sum of its devices"
        result.append(((member, organisation), line))
    return result


def _devices(found: list[tuple[DeviceGroup, Decimal | None]]) -> Devices:
    """One line's devices from every group (and month) that bills its product."""
    count, total, amounts = 0, ZERO, set()
    for group, fee in found:
        count += group.count
        total += group.rent if fee is None else fee * group.count
        amounts.add(group.rent_each if fee is None else fee)
    each = amounts.pop() if len(amounts) == 1 else None
    return Devices(tuple(found), count, total, each)


def _charge_lines(
    data: BillingInput, errors: list[CoreError]
) -> list[tuple[tuple[str, str], DraftLine]]:
    result = []
    for c in data.charges:
        product = data.products.get(c.product)
        if product is None:
            errors.append(_unknown(c.product))
            continue
        amount = c.amount
        if c.source is LineSource.PASS_THROUGH and product.markup_percent:
            amount = round_ore(amount * (1 + product.markup_percent / 100))
        start, end = _span((c.month,))
        # A price is never negative (EN 16931): a reduction is −1 × a positive price.
        quantity, price = (ONE, amount) if amount >= 0 else (-ONE, -amount)
        line = DraftLine(
            c.product,
            product.name,
            c.source,
            quantity,
            "EA",
            price,
            amount,
            product.vat_percent,
            start,
            end,
            c.description,
        )
        result.append(((c.member, c.organisation), line))
    return result


def _unknown(code: str) -> CoreError:
    return CoreError("billing.unknown_product", f"product {code} is not billed by this run")


def _swedish(value: Decimal, places: int) -> str:
    """A number as a Swedish invoice prints it: 1 500 000,00 (no rounding of the amount)."""
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",")


def _devices_note(count: int, months: int) -> str:
    """How many devices a line bills; over several months, how many device-months."""
    if months > 1:
        return "1 enhetsmånad" if count == 1 else f"{count} enhetsmånader"
    return "1 enhet" if count == 1 else f"{count} enheter"


def itemise(
    parts: Iterable[tuple[str, Decimal | None]], listed: Mapping[str, Sequence[tuple[str, Decimal]]]
) -> list[tuple[str, Decimal]]:
    """A line's devices one by one, by tag: every device of each part's group (``listed``
    (tag, rent) by the group's key) at the part's fee, or at its own rent."""
    found = [(tag, rent if fee is None else fee) for key, fee in parts for tag, rent in listed[key]]
    found.sort()
    return found
