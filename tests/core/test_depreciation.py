"""Depreciation and capital cost: a leased laptop's monthly plan, its years, and its disposal."""

import datetime as dt
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.depreciation import (
    ActivationConvention,
    Asset,
    DepreciationError,
    InterestBasis,
    accumulated_depreciation,
    activation_month,
    book_value,
    dispose,
    month_row,
    pool_year_totals,
    remaining_months,
    schedule,
    validate_asset,
    validate_rate,
    year_totals,
)
from samkalk.core.errors import Source
from samkalk.core.money import ZERO, apportion, from_ore, round_ore

ACQ = ActivationConvention.ACQUISITION_MONTH
FOLLOWING = ActivationConvention.FOLLOWING_MONTH
HALF_YEAR = ActivationConvention.HALF_YEAR
ON_BOOK_VALUE = InterestBasis.BOOK_VALUE
ON_COST = InterestBasis.ACQUISITION_COST
ANNUITY = InterestBasis.ANNUITY
STRAIGHT_LINE = (ON_BOOK_VALUE, ON_COST)

LAPTOP = Asset(Decimal("12000.00"), dt.date(2026, 3, 15), 48, FOLLOWING)
RATE = Decimal("2.5")


def _rows_in(rows, year):
    return [row for row in rows if row.month.year == year]


# --- worked examples ----------------------------------------------------------------------


def test_laptop_bought_15_march_is_activated_in_april():
    assert activation_month(LAPTOP.acquired_on, FOLLOWING) == dt.date(2026, 4, 1)
    assert activation_month(LAPTOP.acquired_on, ACQ) == dt.date(2026, 3, 1)
    assert activation_month(LAPTOP.acquired_on, HALF_YEAR) == dt.date(2026, 7, 1)
    assert activation_month(dt.date(2026, 12, 31), FOLLOWING) == dt.date(2027, 1, 1)


def test_laptop_12000_kr_48_months_at_2_5_percent_on_book_value():
    rows = schedule(LAPTOP, RATE, ON_BOOK_VALUE)
    assert len(rows) == 48
    assert rows[0].month == dt.date(2026, 4, 1)
    assert rows[-1].month == dt.date(2030, 3, 1)
    assert {row.depreciation for row in rows} == {Decimal("250.00")}
    # First month: 12 000 × 0.025 / 12 = 25.00 on the full acquisition cost.
    assert rows[0].interest == Decimal("25.00")
    # April–December: book value at the start of month k is 12 000 − 250·k, interest = that / 480:
    #   25.00, 24.479…→24.48, 23.958…→23.96, 23.4375→23.44, 22.916…→22.92,
    #   22.395…→22.40, 21.875→21.88, 21.354…→21.35, 20.833…→20.83          = 206.26
    # (unrounded the year is 99 000 / 480 = 206.25: each month is rounded on its own).
    totals = year_totals(LAPTOP, RATE, ON_BOOK_VALUE, 2026)
    assert totals.months == 9
    assert totals.depreciation == Decimal("2250.00")
    assert totals.interest == Decimal("206.26")
    assert totals.capital_cost == Decimal("2456.26")
    assert totals.book_value_end == Decimal("9750.00")
    assert book_value(LAPTOP, dt.date(2026, 12, 31)) == Decimal("9750.00")
    assert accumulated_depreciation(LAPTOP, dt.date(2026, 12, 31)) == Decimal("2250.00")
    assert remaining_months(LAPTOP, dt.date(2026, 12, 31)) == 39


def test_laptop_on_acquisition_cost_pays_25_kr_every_month():
    totals = year_totals(LAPTOP, RATE, ON_COST, 2026)
    assert totals.interest == Decimal("225.00")  # 9 × 25.00
    assert year_totals(LAPTOP, RATE, ON_COST, 2027).interest == Decimal("300.00")
    assert year_totals(LAPTOP, RATE, ON_COST, 2030).interest == Decimal("75.00")  # Jan–Mar


def test_laptop_as_annuity_pays_the_same_every_month():
    rows = schedule(LAPTOP, RATE, ANNUITY)
    # Payment = 12 000 · i / (1 − (1 + i)^−48), i = 0.025 / 12 → 262.9663… → 262.97.
    with localcontext() as ctx:
        ctx.prec = 50
        i = RATE / 1200
        payment = round_ore(Decimal(12000) * i / (1 - (1 + i) ** -48))
    assert payment == Decimal("262.97")
    assert rows[0].interest == Decimal("25.00")
    assert rows[0].depreciation == Decimal("237.97")
    assert all(row.capital_cost == payment for row in rows[:-1])
    assert sum((row.depreciation for row in rows), ZERO) == Decimal("12000.00")
    assert rows[-1].book_value_after == ZERO
    # The depreciation rises as the interest falls.
    assert rows[1].depreciation > rows[0].depreciation


def test_tiny_annuity_lowers_the_payment_rather_than_run_out_early():
    # 0.72 kr over 48 months: the annuity rounds to 0.02, but 47 × 0.02 > 0.72, so the payment
    # is lowered to 0.01 and the last month takes the remaining 0.25.
    cable = Asset(Decimal("0.72"), dt.date(2026, 1, 1), 48, ACQ)
    rows = schedule(cable, Decimal("0.001"), ANNUITY)
    assert {row.capital_cost for row in rows[:-1]} == {Decimal("0.01")}
    assert rows[-1].depreciation == Decimal("0.25")
    assert rows[-1].book_value_after == ZERO


def test_half_year_convention_november_purchase_carries_six_months_in_year_one():
    server = Asset(Decimal("36000.00"), dt.date(2026, 11, 20), 36, HALF_YEAR)
    rows = schedule(server, RATE, ON_BOOK_VALUE)
    assert rows[0].month == dt.date(2026, 7, 1)
    assert rows[-1].month == dt.date(2029, 6, 1)
    first_year = year_totals(server, RATE, ON_BOOK_VALUE, 2026)
    assert first_year.months == 6
    assert first_year.depreciation == Decimal("6000.00")  # 6 × 1 000.00
    # Interest on 36 000, 35 000, … 31 000 at 2.5 %/12: (36+35+34+33+32+31)·1000/480 = 418.75.
    assert first_year.interest == Decimal("418.75")
    assert year_totals(server, RATE, ON_BOOK_VALUE, 2027).months == 12
    assert year_totals(server, RATE, ON_BOOK_VALUE, 2029).months == 6
    assert year_totals(server, RATE, ON_BOOK_VALUE, 2030).months == 0


def test_uneven_cost_puts_the_extra_ore_in_the_first_months():
    asset = Asset(Decimal("100.00"), dt.date(2026, 1, 10), 3, ACQ)
    rows = schedule(asset, ZERO, ON_BOOK_VALUE)
    assert [row.depreciation for row in rows] == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert [row.depreciation for row in rows] == apportion(Decimal("100.00"), [Decimal(1)] * 3)


def test_disposal_month_is_not_depreciated():
    # Disposed 10 January 2027: April–December 2026 depreciated (9 × 250), January not.
    disposal = dispose(LAPTOP, dt.date(2027, 1, 10))
    assert disposal.months == 9
    assert disposal.depreciated == Decimal("2250.00")
    assert disposal.book_value == Decimal("9750.00")
    # Disposed in the month of acquisition, before activation: nothing depreciated.
    assert dispose(LAPTOP, dt.date(2026, 3, 31)).book_value == Decimal("12000.00")
    # Disposed after the life: nothing left.
    assert dispose(LAPTOP, dt.date(2031, 1, 1)).book_value == ZERO


def test_book_value_before_activation_and_after_the_life():
    assert book_value(LAPTOP, dt.date(2026, 3, 31)) == Decimal("12000.00")
    assert remaining_months(LAPTOP, dt.date(2026, 3, 31)) == 48
    assert book_value(LAPTOP, dt.date(2026, 4, 1)) == Decimal("11750.00")  # end of April
    assert book_value(LAPTOP, dt.date(2030, 3, 1)) == ZERO
    assert remaining_months(LAPTOP, dt.date(2035, 1, 1)) == 0


def test_annuity_book_value_needs_the_rate():
    with pytest.raises(DepreciationError):
        book_value(LAPTOP, dt.date(2027, 1, 1), basis=ANNUITY)
    rows = schedule(LAPTOP, RATE, ANNUITY)
    assert book_value(LAPTOP, dt.date(2026, 4, 30), basis=ANNUITY, rate=RATE) == Decimal("11762.03")
    assert rows[0].book_value_after == Decimal("11762.03")


def test_pool_of_laptops_sums_the_years():
    pool = [LAPTOP, Asset(Decimal("36000.00"), dt.date(2026, 11, 20), 36, HALF_YEAR)]
    total = pool_year_totals(pool, RATE, ON_BOOK_VALUE, 2026)
    assert total.depreciation == Decimal("8250.00")
    assert total.interest == Decimal("625.01")  # 206.26 + 418.75
    assert total.months == 15


# --- errors as data -----------------------------------------------------------------------


def test_invalid_assets_are_reported_with_codes():
    bad = Asset(Decimal("-1.005"), dt.date(2026, 1, 1), 0, ACQ)
    where = Source(file="tillgangar.xlsx", row=7)
    errors = validate_asset(bad, where)
    assert [e.code for e in errors] == [
        "asset.negative_cost",
        "asset.cost_not_whole_ore",
        "asset.life_not_positive",
    ]
    assert all(e.source == where for e in errors)
    assert validate_asset(LAPTOP) == []
    assert [e.code for e in validate_asset(Asset(Decimal("NaN"), dt.date(2026, 1, 1), 1, ACQ))] == [
        "asset.cost_not_a_number"
    ]
    with pytest.raises(DepreciationError):
        schedule(bad, RATE, ON_BOOK_VALUE)
    with pytest.raises(DepreciationError):
        year_totals(bad, RATE, ON_BOOK_VALUE, 2026)


def test_invalid_rates_are_reported_with_codes():
    assert [e.code for e in validate_rate(Decimal("-0.5"))] == ["rate.negative"]
    assert [e.code for e in validate_rate(Decimal("NaN"))] == ["rate.not_a_number"]
    assert validate_rate(ZERO) == []
    for rate in (Decimal("-1"), Decimal("sNaN"), Decimal("Infinity")):
        with pytest.raises(DepreciationError):
            year_totals(LAPTOP, rate, ON_BOOK_VALUE, 2026)


# --- properties ---------------------------------------------------------------------------

costs = st.integers(min_value=0, max_value=10**9).map(from_ore)  # up to 10 million kronor
lives = st.integers(min_value=1, max_value=120)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
conventions = st.sampled_from(list(ActivationConvention))
bases = st.sampled_from(list(InterestBasis))
rates = st.one_of(
    st.just(ZERO),
    st.integers(min_value=0, max_value=2000).map(lambda n: Decimal(n) / 100),
    st.integers(min_value=1, max_value=99999).map(lambda n: Decimal(n) / 1000),
)
assets = st.builds(Asset, costs, dates, lives, conventions)


@given(assets, rates, bases)
def test_depreciation_adds_up_to_the_cost_and_book_value_ends_at_zero(asset, rate, basis):
    rows = schedule(asset, rate, basis)
    assert len(rows) == asset.depreciation_months
    assert sum((row.depreciation for row in rows), ZERO) == asset.acquisition_cost
    assert rows[-1].book_value_after == ZERO
    book = asset.acquisition_cost
    for row in rows:
        assert row.depreciation >= 0
        assert row.interest >= 0
        assert row.book_value_after == book - row.depreciation >= 0
        book = row.book_value_after
    months = [row.month for row in rows]
    assert months[0] == activation_month(asset.acquired_on, asset.convention)
    assert all(m.day == 1 for m in months) and months == sorted(set(months))


@given(assets, rates, st.sampled_from(STRAIGHT_LINE))
def test_straight_line_months_are_within_one_ore_of_the_exact_share(asset, rate, basis):
    rows = schedule(asset, rate, basis)
    exact = asset.acquisition_cost / asset.depreciation_months
    assert all(abs(row.depreciation - exact) < Decimal("0.01") for row in rows)
    assert rows == tuple(sorted(rows, key=lambda r: -r.depreciation))  # extra öre come first


@given(assets.filter(lambda a: a.depreciation_months <= 24))
def test_straight_line_is_what_apportion_gives(asset):
    rows = schedule(asset, ZERO, ON_BOOK_VALUE)
    weights = [Decimal(1)] * asset.depreciation_months
    assert [row.depreciation for row in rows] == apportion(asset.acquisition_cost, weights)


@given(assets, rates, st.sampled_from(STRAIGHT_LINE))
def test_each_months_interest_is_round_ore_of_the_exact_interest(asset, rate, basis):
    rows = schedule(asset, rate, basis)
    book = asset.acquisition_cost
    for row in rows:
        on = book if basis is ON_BOOK_VALUE else asset.acquisition_cost
        assert row.interest == round_ore(on * rate / 100 / 12)
        book = row.book_value_after


@given(assets, rates, bases, st.integers(min_value=1995, max_value=2055))
def test_year_totals_equal_the_schedule_rows_of_the_year(asset, rate, basis, year):
    rows = schedule(asset, rate, basis)
    in_year = _rows_in(rows, year)
    totals = year_totals(asset, rate, basis, year)
    assert totals.months == len(in_year)
    assert totals.depreciation == sum((r.depreciation for r in in_year), ZERO)
    assert totals.interest == sum((r.interest for r in in_year), ZERO)
    assert totals.capital_cost == totals.depreciation + totals.interest
    assert totals.book_value_end == book_value(asset, dt.date(year, 12, 31), basis=basis, rate=rate)


@given(assets, rates, bases)
def test_the_years_of_the_life_add_up_to_the_whole_plan(asset, rate, basis):
    rows = schedule(asset, rate, basis)
    years = range(rows[0].month.year, rows[-1].month.year + 1)
    totals = [year_totals(asset, rate, basis, year) for year in years]
    assert sum((t.depreciation for t in totals), ZERO) == asset.acquisition_cost
    assert sum((t.interest for t in totals), ZERO) == sum((r.interest for r in rows), ZERO)
    assert sum(t.months for t in totals) == asset.depreciation_months
    assert totals[-1].book_value_end == ZERO


@given(assets, rates.filter(lambda r: r > 0))
def test_annuity_capital_cost_is_equal_every_month_but_the_last(asset, rate):
    rows = schedule(asset, rate, ANNUITY)
    assert len({row.capital_cost for row in rows[:-1]}) <= 1
    deps = [row.depreciation for row in rows[:-1]]
    assert deps == sorted(deps)  # depreciation rises as the interest falls
    book = asset.acquisition_cost
    for row in rows:
        assert row.interest == round_ore(book * rate / 100 / 12)
        book = row.book_value_after


@given(
    st.builds(Asset, st.integers(0, 5000).map(from_ore), dates, st.integers(1, 600), conventions),
    rates.filter(lambda r: r > 0),
)
def test_annuity_of_small_amounts_over_long_lives_still_adds_up(asset, rate):
    rows = schedule(asset, rate, ANNUITY)
    assert sum((row.depreciation for row in rows), ZERO) == asset.acquisition_cost
    assert all(row.depreciation >= 0 and row.book_value_after >= 0 for row in rows)
    assert len({row.capital_cost for row in rows[:-1]}) <= 1


@given(assets, bases)
def test_rate_zero_gives_no_interest_and_the_same_plan_for_every_basis(asset, basis):
    rows = schedule(asset, ZERO, basis)
    assert all(row.interest == ZERO for row in rows)
    assert rows == schedule(asset, ZERO, ON_BOOK_VALUE)


@given(assets, rates, bases, dates)
def test_book_value_accumulated_and_remaining_agree_with_the_schedule(asset, rate, basis, as_of):
    rows = schedule(asset, rate, basis)
    done = [row for row in rows if row.month <= as_of]
    value = book_value(asset, as_of, basis=basis, rate=rate)
    assert value == (done[-1].book_value_after if done else asset.acquisition_cost)
    assert accumulated_depreciation(asset, as_of, basis=basis, rate=rate) == sum(
        (row.depreciation for row in done), ZERO
    )
    assert remaining_months(asset, as_of) == len(rows) - len(done)


@given(assets, rates, bases, dates)
def test_disposal_depreciates_the_months_before_the_disposal_month(asset, rate, basis, on):
    rows = schedule(asset, rate, basis)
    month = dt.date(on.year, on.month, 1)
    before = [row for row in rows if row.month < month]
    disposal = dispose(asset, on, basis=basis, rate=rate)
    assert disposal.months == len(before)
    assert disposal.depreciated == sum((row.depreciation for row in before), ZERO)
    assert disposal.book_value + disposal.depreciated == asset.acquisition_cost
    assert disposal.book_value >= 0


@given(st.lists(assets, max_size=8), rates, bases, st.integers(min_value=2000, max_value=2045))
def test_pool_totals_are_the_sum_of_the_assets(pool, rate, basis, year):
    total = pool_year_totals(pool, rate, basis, year)
    each = [year_totals(asset, rate, basis, year) for asset in pool]
    assert total.depreciation == sum((t.depreciation for t in each), ZERO)
    assert total.interest == sum((t.interest for t in each), ZERO)
    assert total.book_value_end == sum((t.book_value_end for t in each), ZERO)
    assert total.months == sum(t.months for t in each)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_amounts_come_out_exactly_as_money_from_ore_gives_them(ore):
    asset = Asset(from_ore(abs(ore)), dt.date(2026, 1, 1), 1, ACQ)  # one month: the whole cost
    row = schedule(asset, ZERO, ON_BOOK_VALUE)[0]
    assert row.depreciation.as_tuple() == from_ore(abs(ore)).as_tuple()
    assert row.book_value_after.as_tuple() == from_ore(0).as_tuple()


@given(assets, rates, bases, st.integers(min_value=-3, max_value=123))
def test_one_months_row_in_closed_form_is_the_schedules_row(asset, rate, basis, offset):
    """``month_row`` (what billing charges a device for a month) = the schedule's row, to the
    öre and the exponent, and None before the activation month and after the life."""
    plan = schedule(asset, rate, basis)
    first = activation_month(asset.acquired_on, asset.convention)
    number = first.year * 12 + first.month - 1 + offset
    month = dt.date(number // 12, number % 12 + 1, 1 + offset % 28)  # any day of the month
    expected = plan[offset] if 0 <= offset < len(plan) else None
    row = month_row(asset, rate, basis, month)
    assert row == expected
    if row is not None:
        assert [str(x) for x in (row.depreciation, row.interest, row.book_value_after)] == [
            str(x) for x in (expected.depreciation, expected.interest, expected.book_value_after)
        ]


def test_the_laptops_april_row_without_the_schedule():
    april = month_row(LAPTOP, RATE, ON_BOOK_VALUE, dt.date(2026, 4, 30))
    assert april == schedule(LAPTOP, RATE, ON_BOOK_VALUE)[0]
    assert month_row(LAPTOP, RATE, ON_BOOK_VALUE, dt.date(2026, 3, 1)) is None
    assert month_row(LAPTOP, RATE, ON_BOOK_VALUE, dt.date(2030, 4, 1)) is None  # after 48 months
