"""Allocation keys: the snapshot a year uses, and splits by key that add up."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.allocation import (
    KeyValue,
    SnapshotRule,
    percent_total_error,
    shares,
    split_by_key,
    values_for_year,
)
from samkalk.core.money import ZERO, from_ore

JAN_1_YEAR_BEFORE = SnapshotRule(1, 1, -1)


def test_users_on_1_january_of_the_year_before():
    values = [
        KeyValue("alfa", dt.date(2024, 1, 1), Decimal(500)),
        KeyValue("alfa", dt.date(2025, 1, 1), Decimal(600)),
        KeyValue("alfa", dt.date(2026, 1, 1), Decimal(700)),
        KeyValue("beta", dt.date(2024, 6, 1), Decimal(400)),
    ]
    chosen, errors = values_for_year(values, JAN_1_YEAR_BEFORE, 2026)
    assert errors == []
    assert chosen == {"alfa": Decimal(600), "beta": Decimal(400)}


def test_no_snapshot_before_the_date_is_an_error_value():
    chosen, errors = values_for_year(
        [KeyValue("alfa", dt.date(2026, 1, 1), Decimal(1))], JAN_1_YEAR_BEFORE, 2026
    )
    assert chosen == {}
    assert [e.code for e in errors] == ["key.no_snapshot"]


def test_60_40_key_splits_one_million():
    parts = split_by_key(Decimal("1000000.00"), {"beta": Decimal(40), "alfa": Decimal(60)})
    assert parts == {"alfa": Decimal("600000.00"), "beta": Decimal("400000.00")}
    assert shares({"alfa": Decimal(60), "beta": Decimal(40)})["alfa"] == Decimal("0.6")


def test_percentages_must_add_up_to_100():
    assert percent_total_error(Decimal(100)) is None
    assert "99.99" in (percent_total_error(Decimal("99.99")) or "")


@given(
    st.integers(min_value=-(10**11), max_value=10**11).map(from_ore),
    st.dictionaries(
        st.text(min_size=1, max_size=5),
        st.integers(min_value=0, max_value=10**6).map(Decimal),
        min_size=1,
        max_size=30,
    ).filter(lambda d: sum(d.values()) > 0),
)
def test_a_split_by_key_adds_up_to_the_amount(amount, values):
    assert sum(split_by_key(amount, values).values(), ZERO) == amount
