"""Money invariants: one constructor, one rounding rule, splits that add up to the öre."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.money import ZERO, D, MoneyError, apportion, from_ore, percent, round_ore, to_ore

ore_amounts = st.integers(min_value=-(10**13), max_value=10**13).map(from_ore)
weights = st.lists(
    st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=40,
).filter(lambda ws: sum(ws) > 0)


def test_d_refuses_floats_and_garbage():
    with pytest.raises(MoneyError):
        D(0.1)  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        D("12,5")
    with pytest.raises(MoneyError):
        D("NaN")
    assert D(" 12.50 ") == Decimal("12.50")


def test_round_ore_is_half_away_from_zero():
    assert round_ore(Decimal("0.005")) == Decimal("0.01")
    assert round_ore(Decimal("-0.005")) == Decimal("-0.01")
    assert round_ore(Decimal("2.344999")) == Decimal("2.34")


def test_to_ore_refuses_fractions_of_an_ore():
    assert to_ore(Decimal("1586000.00")) == 158600000
    with pytest.raises(MoneyError):
        to_ore(Decimal("0.001"))


def test_a_250000_kr_deficit_split_by_4100_2900_1000_users():
    parts = apportion(Decimal("250000.00"), [Decimal(4100), Decimal(2900), Decimal(1000)])
    assert parts == [Decimal("128125.00"), Decimal("90625.00"), Decimal("31250.00")]


def test_one_krona_in_three_gives_the_extra_ore_to_the_first():
    assert apportion(Decimal("1.00"), [Decimal(1)] * 3) == [
        Decimal("0.34"),
        Decimal("0.33"),
        Decimal("0.33"),
    ]


def test_zero_weights_cannot_carry_an_amount():
    with pytest.raises(MoneyError):
        apportion(Decimal("10.00"), [ZERO, ZERO])
    assert apportion(ZERO, [ZERO, ZERO]) == [ZERO, ZERO]


def test_percent_of_zero_is_zero():
    assert percent(Decimal(5), ZERO) == ZERO
    assert percent(Decimal(1), Decimal(3)) == Decimal("33.3")


@given(ore_amounts, weights)
def test_parts_add_up_to_the_whole(total, ws):
    assert sum(apportion(total, ws), ZERO) == total


@given(ore_amounts, weights)
def test_every_part_is_within_one_ore_of_its_quota(total, ws):
    weight_sum = sum(ws)
    for part, weight in zip(apportion(total, ws), ws, strict=True):
        assert abs(part - total * weight / weight_sum) < Decimal("0.01")


@given(ore_amounts, weights)
def test_zero_weight_gets_zero(total, ws):
    ws = [*ws, Decimal(0)]
    assert apportion(total, ws)[-1] == 0


@given(ore_amounts, weights, st.randoms(use_true_random=False))
def test_parts_do_not_depend_on_input_order(total, ws, rnd):
    # Distinct weights: with ties, position decides, by design.
    ws = [w + Decimal(i) / 10**6 for i, w in enumerate(ws)]
    order = list(range(len(ws)))
    rnd.shuffle(order)
    shuffled = apportion(total, [ws[i] for i in order])
    straight = apportion(total, ws)
    assert [shuffled[order.index(i)] for i in range(len(ws))] == straight


@given(ore_amounts, weights)
def test_negative_totals_mirror_positive_ones(total, ws):
    assert apportion(-total, ws) == [-p for p in apportion(total, ws)]
