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


def _device(tag, org, member, rent, support="45.00"):
    return core.DeviceMonth(
        org,
        member,
        tag,
        MAR,
        "dator-hyra",
        Decimal(rent),
        False,
        "dator-support",
        Decimal(support),
        "",
        ZERO,
    )


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
    march = core.BillingInput(
        month=MAR,
        products=PRODUCTS,
        member_recipients=RECIPIENTS,
        devices=(
            _device("A-1", "alfa-skola", "alfa", "258.13"),
            _device("A-2", "alfa-skola", "alfa", "382.50"),
        ),
    )
    (draft,), _ = core.bill_month(march)
    rent, support = draft.lines
    assert (rent.quantity, rent.unit_price, rent.amount) == (
        Decimal(1),
        Decimal("640.63"),
        Decimal("640.63"),
    )
    assert tuple(rent.devices) == (("A-1", Decimal("258.13")), ("A-2", Decimal("382.50")))
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


_rents = st.lists(
    st.tuples(
        st.sampled_from(["A-1", "A-2", "B-7", "C-3"]),
        st.sampled_from([ZERO, Decimal("0.00"), Decimal("45.00"), Decimal("258.13")]),
    ),
    max_size=6,
)


def _group(*fields, pairs):
    """A ``DeviceGroup`` whose devices are ``pairs`` of (tag, rent)."""
    tags = tuple(tag for tag, _ in pairs)
    return core.DeviceGroup(*fields, tags, tuple(rent for _, rent in pairs))


_groups = st.lists(
    st.builds(
        _group,
        st.sampled_from(["alfa-skola", "alfa-ks"]),
        st.just("alfa"),
        st.sampled_from([MAR, APR]),
        st.sampled_from(["dator-hyra", "grundanslag", "okand", ""]),
        st.booleans(),
        st.sampled_from(["dator-support", ""]),
        st.sampled_from([Decimal("45.00"), ZERO]),
        st.just("dator-support"),
        st.sampled_from([Decimal("45.00"), ZERO]),
        pairs=_rents,
    ),
    max_size=4,
)


@given(_groups)
def test_a_device_group_bills_as_its_devices_one_by_one(groups):
    """A type's devices in one ``DeviceGroup`` give the very lines their ``DeviceMonth``s give."""
    common = {"month": MAR, "products": PRODUCTS, "member_recipients": RECIPIENTS}
    grouped = core.bill_month(core.BillingInput(**common, device_groups=tuple(groups)))
    months = tuple(d for g in groups for d in g.device_months())
    single = core.bill_month(core.BillingInput(**common, devices=months))
    assert grouped[0] == single[0]
    assert set(grouped[1]) == set(single[1])


@given(_rents)
def test_an_itemisation_is_its_devices_and_canonical(pairs):
    """``Devices.of`` keeps every (tag, amount) in order, adds them up, and holds one amount
    for all exactly when the amounts are all the same."""
    tags, amounts = tuple(t for t, _ in pairs), tuple(a for _, a in pairs)
    devices = core.Devices.of(tags, amounts)
    assert list(devices) == list(pairs) and len(devices) == len(pairs)
    assert devices.total() == sum(amounts, ZERO)
    assert (devices.amounts == ()) == (len(set(amounts)) <= 1)
