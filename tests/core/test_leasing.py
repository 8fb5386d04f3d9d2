"""Leasing to members: two municipalities, a laptop that changes hands, pooled rent, a buy-out."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.depreciation import (
    ActivationConvention,
    Asset,
    InterestBasis,
    activation_month,
    schedule,
)
from samkalk.core.leasing import (
    NO_CHARGE,
    Charge,
    DisposalRule,
    Fees,
    Lease,
    LeasingError,
    RentBasis,
    buy_out,
    direct_purchase_price,
    disposal_outcome,
    is_charged,
    member_statements,
    monthly_charges,
    pooled_rent,
    replacement_month,
    type_pool_rent,
    validate_direct_purchase,
    validate_fees,
    validate_leases,
)
from samkalk.core.money import ZERO, from_ore

ACQ = ActivationConvention.ACQUISITION_MONTH
FOLLOWING = ActivationConvention.FOLLOWING_MONTH
HALF_YEAR = ActivationConvention.HALF_YEAR
ON_BOOK_VALUE = InterestBasis.BOOK_VALUE
RATE = Decimal("2.5")
D = Decimal

# Bought 16 February 2026, depreciated from March 2026 over 48 months (to February 2030).
LAPTOP = Asset(D("12000.00"), dt.date(2026, 2, 16), 48, FOLLOWING)
LAPTOP_FEES = Fees(support=D("95.00"), licence=D("40.00"))
FEES = {"laptop": LAPTOP_FEES}


def _lease(member, start, end=None, **kwargs):
    fields = {"device": "IT-1001", "asset_type": "laptop", "asset": LAPTOP} | kwargs
    return Lease(member=member, lease_start=start, lease_end=end, **fields)


def _month(year, month):
    return dt.date(year, month, 1)


def _months(first, count):
    number = first.year * 12 + first.month - 1
    return [dt.date((number + i) // 12, (number + i) % 12 + 1, 1) for i in range(count)]


# --- worked examples ----------------------------------------------------------------------


def test_two_municipalities_one_leased_laptop_march():
    ystad = _lease("Ystad", dt.date(2026, 3, 1))
    # March: depreciation 12 000 / 48 = 250.00, interest 12 000 × 2.5 % / 12 = 25.00.
    charge = monthly_charges(ystad, LAPTOP_FEES, RATE, ON_BOOK_VALUE, dt.date(2026, 3, 20))
    assert charge == Charge(rent=D("275.00"), support=D("95.00"), licence=D("40.00"))
    assert charge.total == D("410.00")
    statements, errors = member_statements([ystad], FEES, RATE, ON_BOOK_VALUE, _month(2026, 3))
    assert errors == []
    [statement] = statements  # Skurup holds nothing and gets no statement
    assert statement.member == "Ystad"
    [line] = statement.lines
    assert line.device == "IT-1001"
    assert line.replacement_due == dt.date(2030, 2, 1)
    assert statement.total.total == D("410.00")


def test_laptop_handed_over_mid_month_is_charged_once():
    # Ystad hands the laptop to Skurup on 15 April: Ystad pays April, Skurup from May.
    ystad = _lease("Ystad", dt.date(2026, 3, 1), dt.date(2026, 4, 15))
    skurup = _lease("Skurup", dt.date(2026, 4, 15))
    april, may = _month(2026, 4), _month(2026, 5)
    assert is_charged(ystad, april) and not is_charged(skurup, april)
    assert not is_charged(ystad, may) and is_charged(skurup, may)
    # April: 250.00 + 11 750 / 480 = 24.479… → 24.48.
    assert monthly_charges(ystad, LAPTOP_FEES, RATE, ON_BOOK_VALUE, april).rent == D("274.48")
    assert monthly_charges(skurup, LAPTOP_FEES, RATE, ON_BOOK_VALUE, april) == NO_CHARGE
    # May: 250.00 + 11 500 / 480 = 23.958… → 23.96.
    assert monthly_charges(skurup, LAPTOP_FEES, RATE, ON_BOOK_VALUE, may).rent == D("273.96")
    statements, _ = member_statements([ystad, skurup], FEES, RATE, ON_BOOK_VALUE, april)
    assert [s.member for s in statements] == ["Ystad"]


def test_laptop_handed_over_on_the_first_goes_to_the_receiver_that_month():
    ystad = _lease("Ystad", dt.date(2026, 3, 1), dt.date(2026, 5, 1))
    skurup = _lease("Skurup", dt.date(2026, 5, 1))
    assert is_charged(ystad, _month(2026, 4)) and not is_charged(ystad, _month(2026, 5))
    assert is_charged(skurup, _month(2026, 5)) and not is_charged(skurup, _month(2026, 4))
    assert validate_leases([ystad, skurup], direct_purchase_types=()) == []


def test_overlapping_leases_of_one_device_are_reported():
    ystad = _lease("Ystad", dt.date(2026, 3, 1), dt.date(2026, 5, 2))
    skurup = _lease("Skurup", dt.date(2026, 5, 1))
    [error] = validate_leases([ystad, skurup], direct_purchase_types=())
    assert error.code == "lease.overlapping"


def test_direct_purchase_pays_the_cost_once_then_only_support():
    bought = _lease("Skurup", dt.date(2026, 3, 1), direct_purchase=True)
    assert direct_purchase_price(bought) == D("12000.00")
    charge = monthly_charges(bought, LAPTOP_FEES, RATE, ON_BOOK_VALUE, _month(2026, 6))
    assert charge == Charge(rent=ZERO, support=D("95.00"), licence=ZERO)
    assert buy_out(bought, dt.date(2027, 1, 10), RATE, ON_BOOK_VALUE) == ZERO
    with pytest.raises(LeasingError):
        direct_purchase_price(_lease("Ystad", dt.date(2026, 3, 1)))


def test_direct_purchase_needs_an_allowing_type_or_a_decision():
    assert validate_direct_purchase(True, None) == []
    assert validate_direct_purchase(False, "Dnr 2026/14 § 7") == []
    [error] = validate_direct_purchase(False, "  ")
    assert error.code == "lease.direct_purchase_not_allowed"
    bought = _lease("Skurup", dt.date(2026, 3, 1), direct_purchase=True)
    assert [e.code for e in validate_leases([bought], direct_purchase_types={"phone"})] == [
        "lease.direct_purchase_not_allowed"
    ]
    assert validate_leases([bought], direct_purchase_types={"laptop"}) == []


def test_early_return_mid_month_charges_the_book_value_after_that_month():
    # Returned 10 June 2026: Ystad pays March–June (4 × 250 depreciated), buy-out 11 000.
    ystad = _lease("Ystad", dt.date(2026, 3, 1), dt.date(2026, 6, 10))
    assert buy_out(ystad, dt.date(2026, 6, 10), RATE, ON_BOOK_VALUE) == D("11000.00")
    # Returned on 1 June: June is not Ystad's, so the buy-out is the value after May.
    assert buy_out(ystad, dt.date(2026, 6, 1), RATE, ON_BOOK_VALUE) == D("11250.00")


def test_early_return_sold_the_book_value_is_charged_or_kept_in_the_pool():
    ystad = _lease("Ystad", dt.date(2026, 3, 1), dt.date(2026, 6, 10))
    charged = disposal_outcome(
        ystad, dt.date(2026, 6, 10), RATE, ON_BOOK_VALUE, DisposalRule.CHARGE_MEMBER, D("2500")
    )
    assert charged.member_buy_out == D("11000.00")
    assert charged.pool_write_off == ZERO
    assert charged.sale_revenue == D("2500")
    assert charged.disposed_month == dt.date(2026, 7, 1)
    scrapped = disposal_outcome(
        ystad, dt.date(2026, 6, 10), RATE, ON_BOOK_VALUE, DisposalRule.KEEP_IN_POOL
    )
    assert scrapped.member_buy_out == ZERO
    assert scrapped.pool_write_off == D("11000.00")
    assert scrapped.sale_revenue == ZERO


def test_pooled_rent_rounds_to_ore_and_reports_the_coverage():
    price = pooled_rent(D("10000.00"), 36)  # 277.777… → 277.78
    assert price.price == D("277.78")
    assert price.coverage == D("0.08")  # 36 × 277.78 = 10 000.08: eight öre over
    with pytest.raises(LeasingError):
        pooled_rent(D("100.00"), 0)


def test_pooled_rent_for_a_type_with_three_devices():
    # Rate 0, so the capital cost is the depreciation. In 2027:
    #   12 000 over 48 months from January: 12 × 250.00                    = 3 000.00, 12 months
    #    9 000 over 36 months from January: 12 × 250.00                    = 3 000.00, 12 months
    #    8 000 over 48 months, half-year from July: 6 × 166.67 (800 000 öre
    #    = 48 × 16 666 + 32, the first 32 months carry the extra öre)    = 1 000.02,  6 months
    # Pool: 7 000.02 over 30 device-months → 233.334 → 233.33, 30 × 233.33 = 6 999.90.
    devices = [
        ("IT-1", Asset(D("12000.00"), dt.date(2027, 1, 1), 48, ACQ)),
        ("IT-2", Asset(D("9000.00"), dt.date(2027, 1, 1), 36, ACQ)),
        ("IT-3", Asset(D("8000.00"), dt.date(2027, 3, 5), 48, HALF_YEAR)),
    ]
    leases = [
        _lease(member, dt.date(2027, 1, 1), device=device, asset=asset, rent_basis=RentBasis.POOLED)
        for (device, asset), member in zip(devices, ["Ystad", "Ystad", "Skurup"], strict=True)
    ]
    pool = type_pool_rent(leases, ZERO, ON_BOOK_VALUE, 2027)
    assert (pool.cost, pool.device_months) == (D("7000.02"), 30)
    assert pool.price == D("233.33")
    assert pool.coverage == D("-0.12")  # twelve öre under-covered
    # IT-3 pays no rent before its life starts in July, so the charged device-months are 30.
    march = monthly_charges(
        leases[2], LAPTOP_FEES, ZERO, ON_BOOK_VALUE, _month(2027, 3), pool.price
    )
    assert march.rent == ZERO and march.support == D("95.00")
    with pytest.raises(LeasingError):
        monthly_charges(leases[0], LAPTOP_FEES, ZERO, ON_BOOK_VALUE, _month(2027, 3))
    rents = sum(
        (
            monthly_charges(lease, LAPTOP_FEES, ZERO, ON_BOOK_VALUE, month, pool.price).rent
            for lease in leases
            for month in _months(_month(2027, 1), 12)
        ),
        ZERO,
    )
    assert rents - pool.cost == pool.coverage
    statements, errors = member_statements(
        leases, FEES, ZERO, ON_BOOK_VALUE, _month(2027, 8), {"laptop": pool.price}
    )
    assert errors == []
    assert [(s.member, len(s.lines), s.total.rent) for s in statements] == [
        ("Skurup", 1, D("233.33")),
        ("Ystad", 2, D("466.66")),
    ]


def test_missing_fees_or_pooled_price_are_reported_not_guessed():
    pooled = _lease("Ystad", dt.date(2026, 3, 1), rent_basis=RentBasis.POOLED)
    other = _lease("Skurup", dt.date(2026, 3, 1), device="IT-2", asset_type="screen")
    statements, errors = member_statements(
        [pooled, other], FEES, RATE, ON_BOOK_VALUE, _month(2026, 4)
    )
    assert statements == ()
    assert sorted(e.code for e in errors) == ["lease.no_fees", "lease.no_pooled_price"]


def test_fees_must_be_whole_ore_and_not_negative():
    assert validate_fees(LAPTOP_FEES) == []
    codes = [e.code for e in validate_fees(Fees(D("95.005"), D("-1")))]
    assert codes == ["lease.fee_not_whole_ore", "lease.fee_negative"]


def test_fees_continue_after_the_life_but_rent_stops():
    ystad = _lease("Ystad", dt.date(2026, 3, 1))
    assert replacement_month(LAPTOP) == dt.date(2030, 2, 1)
    late = monthly_charges(ystad, LAPTOP_FEES, RATE, ON_BOOK_VALUE, _month(2030, 3))
    assert late == Charge(ZERO, D("95.00"), D("40.00"))


# --- properties ---------------------------------------------------------------------------

costs = st.integers(min_value=0, max_value=10**8).map(from_ore)
lives = st.integers(min_value=1, max_value=72)
dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2035, 12, 31))
rates = st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n) / 100)
assets = st.builds(Asset, costs, dates, lives, st.sampled_from(list(ActivationConvention)))
bases = st.sampled_from(list(InterestBasis))


def _life(asset):
    return _months(activation_month(asset.acquired_on, asset.convention), asset.depreciation_months)


@given(assets, rates, bases, st.integers(min_value=0, max_value=40))
def test_own_capital_cost_rent_over_the_whole_life_is_the_total_capital_cost(
    asset, rate, basis, days_early
):
    start = activation_month(asset.acquired_on, asset.convention) - dt.timedelta(days=days_early)
    lease = _lease("Ystad", start, asset=asset)
    months = _months(start.replace(day=1), asset.depreciation_months + 3)
    rents = [monthly_charges(lease, LAPTOP_FEES, rate, basis, m).rent for m in months]
    assert sum(rents, ZERO) == sum((row.capital_cost for row in schedule(asset, rate, basis)), ZERO)


@given(assets, rates, bases, st.lists(st.integers(min_value=0, max_value=2500), max_size=4))
def test_hand_overs_charge_every_month_of_the_life_exactly_once(asset, rate, basis, offsets):
    start = activation_month(asset.acquired_on, asset.convention)
    days = sorted({start + dt.timedelta(days=o) for o in offsets} - {start})
    bounds = [start, *days, None]
    leases = [
        _lease(f"member-{i}", bounds[i], bounds[i + 1], asset=asset) for i in range(len(days) + 1)
    ]
    assert validate_leases(leases, direct_purchase_types=()) == []
    for month in _life(asset):
        assert sum(is_charged(lease, month) for lease in leases) == 1
    rents = sum(
        (
            monthly_charges(lease, LAPTOP_FEES, rate, basis, month).rent
            for lease in leases
            for month in _life(asset)
        ),
        ZERO,
    )
    assert rents == sum((row.capital_cost for row in schedule(asset, rate, basis)), ZERO)


@given(assets, rates, bases, st.integers(min_value=0, max_value=2500))
def test_depreciation_paid_in_rent_plus_buy_out_is_the_acquisition_cost(
    asset, rate, basis, kept_days
):
    start = activation_month(asset.acquired_on, asset.convention)
    returned_on = start + dt.timedelta(days=kept_days)
    lease = _lease("Ystad", start, returned_on, asset=asset)
    rows = schedule(asset, rate, basis)
    paid = [row for row in rows if is_charged(lease, row.month)]
    assert sum(
        (monthly_charges(lease, LAPTOP_FEES, rate, basis, r.month).rent for r in paid), ZERO
    ) == sum((r.capital_cost for r in paid), ZERO)
    depreciation_paid = sum((row.depreciation for row in paid), ZERO)
    assert depreciation_paid + buy_out(lease, returned_on, rate, basis) == asset.acquisition_cost


@given(costs, st.integers(min_value=1, max_value=100_000))
def test_pooled_price_times_device_months_is_the_cost_plus_the_coverage(cost, device_months):
    pool = pooled_rent(cost, device_months)
    assert pool.price * device_months == cost + pool.coverage
    assert abs(pool.coverage) <= Decimal("0.005") * device_months


@given(st.lists(assets, min_size=1, max_size=5), rates, bases, st.integers(2010, 2040))
def test_pooled_rents_of_a_year_cover_the_pool_cost_within_the_coverage(assets, rate, basis, year):
    leases = [
        _lease(f"m{i}", dt.date(2009, 1, 1), device=f"IT-{i}", asset=a, rent_basis=RentBasis.POOLED)
        for i, a in enumerate(assets)
    ]
    try:
        pool = type_pool_rent(leases, rate, basis, year)
    except LeasingError:  # no device is in its life this year
        return
    rents = sum(
        (
            monthly_charges(lease, LAPTOP_FEES, rate, basis, month, pool.price).rent
            for lease in leases
            for month in _months(dt.date(year, 1, 1), 12)
        ),
        ZERO,
    )
    assert rents == pool.cost + pool.coverage


fees = st.builds(
    Fees,
    st.integers(0, 100_000).map(from_ore),
    st.integers(0, 100_000).map(from_ore),
)


@given(
    st.lists(st.tuples(assets, st.sampled_from(["Ystad", "Skurup", "Tomelilla"]), st.booleans())),
    fees,
    rates,
    bases,
    st.dates(dt.date(2010, 1, 1), dt.date(2040, 12, 1)),
)
def test_member_statements_add_up_to_the_ore(devices, fee, rate, basis, month):
    leases = [
        _lease(member, dt.date(2009, 1, 1), device=f"IT-{i}", asset=a, direct_purchase=bought)
        for i, (a, member, bought) in enumerate(devices)
    ]
    statements, errors = member_statements(leases, {"laptop": fee}, rate, basis, month)
    assert errors == []
    expected = sum(
        (monthly_charges(lease, fee, rate, basis, month).total for lease in leases), ZERO
    )
    assert sum((s.total.total for s in statements), ZERO) == expected
    for statement in statements:
        assert statement.total.total == sum((line.charge.total for line in statement.lines), ZERO)
        assert [line.device for line in statement.lines] == sorted(
            line.device for line in statement.lines
        )
