"""The billing run's arithmetic: which months a run covers, twelfths, device lines, signs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core import billing as core
from samkalk.core.money import ZERO

JAN, MAR, APR = dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)
RENT = core.BillingProduct("dator-hyra", "Datorer hyra")
SUPPORT = core.BillingProduct("dator-support", "Datorer support")
GRANT = core.BillingProduct(
    "grundanslag",
    "Grundanslag",
    core.BillingPeriod.QUARTER,
    core.Timing.ADVANCE,
    core.Level.MEMBER,
    "C62",
)
PRODUCTS = {p.code: p for p in (RENT, SUPPORT, GRANT)}
RECIPIENTS = {"alfa": "alfa-ks", "beta": "beta-ks"}


def test_a_quarterly_product_in_advance_is_billed_in_the_quarters_first_month():
    assert core.covered_months(GRANT, JAN) == (JAN, dt.date(2026, 2, 1), MAR)
    assert core.covered_months(GRANT, MAR) == ()
    arrears = core.BillingProduct("x", "x", core.BillingPeriod.QUARTER, core.Timing.ARREARS)
    assert core.covered_months(arrears, MAR) == (JAN, dt.date(2026, 2, 1), MAR)
    assert core.covered_months(arrears, APR) == ()
    assert core.covered_months(RENT, MAR) == (MAR,)


@given(st.decimals(min_value=-(10**8), max_value=10**8, places=2))
def test_the_twelve_monthly_parts_add_up_to_the_annual_amount(annual):
    parts = [core.monthly_part(annual, dt.date(2026, m, 1)) for m in range(1, 13)]
    assert sum(parts, ZERO) == annual
    assert max(parts) - min(parts) <= Decimal("0.01")


def _group(key, org, member, pairs, support="45.00", month=MAR, rent="dator-hyra", pooled=False):
    """A ``DeviceGroup`` of the devices ``pairs`` of (tag, rent), and its device list."""
    rents = [Decimal(r) for _, r in pairs]
    each = rents[0] if len(set(rents)) == 1 else None
    group = core.DeviceGroup(
        key,
        org,
        member,
        month,
        rent,
        pooled,
        "dator-support",
        Decimal(support),
        "",
        ZERO,
        len(pairs),
        sum(rents, ZERO),
        each,
    )
    return group, [(tag, Decimal(r)) for tag, r in sorted(pairs)]


def test_two_municipalities_with_a_key_share_and_devices_in_march():
    data = core.BillingInput(
        month=JAN,
        products=PRODUCTS,
        member_recipients=RECIPIENTS,
        key_charges=(
            core.KeyCharge("alfa", "grundanslag", Decimal("120000.00"), Decimal("0.6")),
            core.KeyCharge("beta", "grundanslag", Decimal("80000.00"), Decimal("0.4")),
        ),
    )
    drafts, errors = core.bill_month(data)
    assert not errors
    assert [(d.recipient, d.net) for d in drafts] == [
        ("alfa-ks", Decimal("30000.00")),
        ("beta-ks", Decimal("20000.01")),  # 80 000 / 12: the first eight months take 6 666.67
    ]
    assert drafts[0].vat == Decimal("7500.00") and drafts[0].total == Decimal("37500.00")
    group, listed = _group("g1", "alfa-skola", "alfa", [("A-2", "382.50"), ("A-1", "258.13")])
    march = core.BillingInput(
        month=MAR,
        products=PRODUCTS,
        member_recipients=RECIPIENTS,
        device_groups=(group,),
    )
    (draft,), _ = core.bill_month(march)
    rent, support = draft.lines
    assert (rent.quantity, rent.unit_price, rent.amount) == (
        Decimal(1),
        Decimal("640.63"),
        Decimal("640.63"),
    )
    assert rent.devices.parts == ((group, None),) and rent.note == "2 enheter"
    assert core.itemise(rent.devices.keyed(), {"g1": listed}) == [
        ("A-1", Decimal("258.13")),
        ("A-2", Decimal("382.50")),
    ]
    assert support.devices.parts == ((group, Decimal("45.00")),)
    assert (support.quantity, support.unit_price, support.amount) == (
        Decimal(2),
        Decimal("45.00"),
        Decimal("90.00"),
    )
    assert draft.recipient == "alfa-skola"  # devices go to the organisation that holds them


def test_usage_at_the_price_in_force_and_a_negative_adjustment():
    data = core.BillingInput(
        month=MAR,
        products=PRODUCTS,
        member_recipients=RECIPIENTS,
        usage=(core.Usage("beta-ks", "beta", "dator-support", MAR, Decimal("12.5")),),
        prices={"dator-support": Decimal("45.10")},
        charges=(
            core.Charge(
                "beta-ks",
                "beta",
                "dator-hyra",
                core.LineSource.ADJUSTMENT,
                Decimal("-100.00"),
                "Justering februari",
                MAR,
            ),
        ),
    )
    (draft,), errors = core.bill_month(data)
    assert not errors
    usage, adjustment = draft.lines
    assert usage.amount == Decimal("563.75")  # 12.5 × 45.10
    assert (adjustment.quantity, adjustment.unit_price, adjustment.amount) == (
        Decimal(-1),
        Decimal("100.00"),
        Decimal("-100.00"),
    )
    assert draft.net == Decimal("463.75")


def test_a_member_without_an_invoice_recipient_is_reported():
    data = core.BillingInput(
        month=JAN,
        products=PRODUCTS,
        member_recipients={},
        key_charges=(core.KeyCharge("alfa", "grundanslag", Decimal("12.00"), Decimal(1)),),
    )
    drafts, errors = core.bill_month(data)
    assert drafts == () and [e.code for e in errors] == ["billing.no_recipient"]


def test_usage_without_a_price_is_reported():
    data = core.BillingInput(
        month=MAR,
        products=PRODUCTS,
        member_recipients=RECIPIENTS,
        usage=(core.Usage("beta-ks", "beta", "dator-support", MAR, Decimal(1)),),
    )
    _, errors = core.bill_month(data)
    assert [e.code for e in errors] == ["billing.no_price"]


_pairs = st.lists(
    st.tuples(
        st.sampled_from(["A-1", "A-2", "B-7", "C-3", "D-9"]),
        st.sampled_from(["0", "0.00", "45.00", "258.13", "382.50"]),
    ),
    max_size=5,
    unique_by=lambda pair: pair[0],
)


@st.composite
def _groups(draw):
    """Groups of one member's devices in March and April (a device in one group a month)."""
    found = []
    for n, pairs in enumerate(draw(st.lists(_pairs, max_size=4))):
        found.append(
            _group(
                f"g{n}",
                draw(st.sampled_from(["alfa-skola", "alfa-ks"])),
                "alfa",
                pairs,
                support=draw(st.sampled_from(["45.00", "0"])),
                month=draw(st.sampled_from([MAR, APR])),
                rent=draw(st.sampled_from(["dator-hyra", "grundanslag", "okand", ""])),
                pooled=draw(st.booleans()),
            )
        )
    return found


@given(_groups())
def test_device_lines_add_up_their_groups_and_itemise_to_their_amount(found):
    """Every device line is the sum of its groups' devices on it (each at its own rent or the
    fee), its quantity × price is its amount, its devices one by one add up to it, and the
    lines of the run together bill every group of the month once per product."""
    groups = tuple(g for g, _ in found)
    listed = {g.key: devices for g, devices in found}
    data = core.BillingInput(
        month=MAR, products=PRODUCTS, member_recipients=RECIPIENTS, device_groups=groups
    )
    drafts, errors = core.bill_month(data)
    billed = ZERO
    for draft in drafts:
        for line in draft.lines:
            devices = line.devices
            assert line.quantity * line.unit_price == line.amount == devices.total
            items = core.itemise(devices.keyed(), listed)
            assert len(items) == devices.count == sum(g.count for g, _ in devices.parts)
            assert sum((amount for _, amount in items), ZERO) == line.amount
            assert items == sorted(items)
            if devices.each is not None:
                assert {amount for _, amount in items} <= {devices.each}
            billed += line.amount
    expected = ZERO
    for g in groups:
        if g.month == MAR and g.count:
            rent = PRODUCTS.get(g.rent_product)
            if rent is not None and MAR in core.covered_months(rent, MAR):
                expected += g.rent
            expected += g.support * g.count
    assert billed == expected
    if any(g.rent_product == "okand" and g.count for g in groups):
        assert "billing.unknown_product" in {e.code for e in errors}
