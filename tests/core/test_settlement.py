"""Year-end settlement: differences split by consumption or key; own costs to one member."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.money import ZERO
from samkalk.core.settlement import MemberCost, ProductOutcome, settle

MEMBERS = ("a", "b", "c")


def test_three_municipalities_share_a_deficit_by_users_and_one_bears_its_committee_fees():
    # 4 100, 2 900 and 1 000 users share a 250 000 kr deficit: 128 125, 90 625 and 31 250.
    outcome = ProductOutcome(
        "grundanslag",
        actual=Decimal("1250000.00"),
        billed={"a": Decimal("500000.00"), "b": Decimal("300000.00"), "c": Decimal("200000.00")},
        key_values={"a": Decimal(4100), "b": Decimal(2900), "c": Decimal(1000)},
    )
    fees = MemberCost("a", "namndarvoden", Decimal("80000.00"))
    result, errors = settle((outcome,), (fees,), MEMBERS)
    assert not errors
    a, b, c = result
    assert [line.settlement for line in a.lines] == [Decimal("128125.00"), Decimal("80000.00")]
    assert (b.settlement, c.settlement) == (Decimal("90625.00"), Decimal("31250.00"))
    assert a.settlement == Decimal("208125.00")
    assert a.billed == Decimal("500000.00") and a.actual == Decimal("708125.00")
    assert sum((m.settlement for m in result), ZERO) == Decimal("330000.00")


def test_a_surplus_is_paid_back_by_consumption_share():
    outcome = ProductOutcome(
        "datorer", Decimal("900.00"), {"a": Decimal("600.00"), "b": Decimal("400.00")}
    )
    result, _ = settle((outcome,), (), MEMBERS)
    assert [m.settlement for m in result] == [Decimal("-60.00"), Decimal("-40.00"), ZERO]
    assert result[2].lines == ()


def test_a_difference_nobody_can_carry_is_reported():
    _, errors = settle((ProductOutcome("x", Decimal("10.00"), {}),), (), MEMBERS)
    assert [e.code for e in errors] == ["settlement.no_basis"]


amounts = st.decimals(min_value=0, max_value=10**7, places=2)


@given(
    actual=amounts,
    billed=st.lists(amounts, min_size=3, max_size=3),
    keys=st.lists(st.integers(0, 10_000), min_size=3, max_size=3),
    by_key=st.booleans(),
)
def test_the_members_parts_add_up_to_the_difference(actual, billed, keys, by_key):
    billed_map = dict(zip(MEMBERS, billed, strict=True))
    key_map = {m: Decimal(k) for m, k in zip(MEMBERS, keys, strict=True)} if by_key else {}
    weights = key_map or billed_map
    if not any(weights.values()):
        return
    result, errors = settle((ProductOutcome("p", actual, billed_map, key_map),), (), MEMBERS)
    assert not errors
    assert sum((m.settlement for m in result), ZERO) == actual - sum(billed, ZERO)
    assert sum((m.actual for m in result), ZERO) == actual
    total_weight = sum(weights.values(), ZERO)
    for member in result:
        exact = (actual - sum(billed, ZERO)) * weights[member.member] / total_weight
        assert abs(member.settlement - exact) < Decimal("0.01")
