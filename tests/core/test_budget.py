"""Budget years: plan years indexed from the budget year, and the income statement."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.budget import Indexation, IndexKind, income_statement, indexed, plan_amounts
from samkalk.core.money import ZERO, from_ore

KR = Decimal
SALARY, PRICE, NONE = IndexKind.SALARY, IndexKind.PRICE, IndexKind.NONE
PLAN_2027_2028 = {
    2027: Indexation(2027, salary_increase_percent=KR("3.0"), price_index_percent=KR("2.0")),
    2028: Indexation(2028, salary_increase_percent=KR("2.8"), price_index_percent=KR("2.0")),
}


def test_the_published_income_statement_2026_is_in_balance_with_the_use_of_equity():
    statement = income_statement(
        2026,
        revenue=KR(113_073_000),
        operating_costs=KR(82_211_000),
        depreciation=KR(31_312_000),
        financial_costs=KR(2_550_000),
        equity_use=KR(3_000_000),
    )
    assert statement.year == 2026
    assert (statement.costs, statement.depreciation, statement.financial_costs) == (
        KR(-82_211_000),
        KR(-31_312_000),
        KR(-2_550_000),
    )
    assert statement.operating_result == KR(-450_000)
    assert statement.result == KR(-3_000_000)
    assert statement.equity_use == KR(3_000_000)
    assert statement.result_after_equity == ZERO


def test_staff_costs_follow_salaries_and_the_rest_follows_prices():
    assert indexed(KR(1_000_000), 2026, 2028, SALARY, PLAN_2027_2028) == KR("1058840.00")
    assert indexed(KR(1_000_000), 2026, 2028, PRICE, PLAN_2027_2028) == KR("1040400.00")
    assert indexed(KR(1_000_000), 2026, 2028, NONE, PLAN_2027_2028) == KR("1000000.00")
    assert indexed(KR(1_000_000), 2026, 2026, SALARY, PLAN_2027_2028) == KR("1000000.00")


def test_a_year_without_indexation_has_no_increase():
    assert indexed(KR(1000), 2026, 2029, PRICE, PLAN_2027_2028) == KR("1040.40")


def test_indexation_is_rounded_once_at_the_end():
    tiny = {y: Indexation(y, price_index_percent=KR("0.05")) for y in (2027, 2028)}
    # 10 × 1.0005² = 10.010 002 5 → 10.01; rounding every year would give 10.01 → 10.02.
    assert indexed(KR(10), 2026, 2028, PRICE, tiny) == KR("10.01")


def test_indexing_backwards_is_a_programming_error():
    with pytest.raises(ValueError, match="back"):
        indexed(KR(1), 2027, 2026, PRICE, {})


def test_a_line_is_carried_into_the_plan_years():
    amounts = plan_amounts(2026, (2026, 2027, 2028), {2026: KR(1_000_000)}, SALARY, PLAN_2027_2028)
    assert amounts == {2026: KR(1_000_000), 2027: KR(1_030_000), 2028: KR("1058840.00")}


def test_an_override_in_the_first_plan_year_carries_into_the_second():
    amounts = plan_amounts(
        2026, (2026, 2027, 2028), {2026: KR(1_000_000), 2027: KR(500_000)}, PRICE, PLAN_2027_2028
    )
    assert amounts == {2026: KR(1_000_000), 2027: KR(500_000), 2028: KR(510_000)}


def test_a_line_that_starts_in_a_plan_year_is_zero_before():
    amounts = plan_amounts(2026, (2026, 2027, 2028), {2027: KR(200_000)}, PRICE, PLAN_2027_2028)
    assert amounts == {2026: ZERO, 2027: KR(200_000), 2028: KR(204_000)}


# --- properties ---------------------------------------------------------------------------

amounts = st.integers(min_value=-(10**12), max_value=10**12).map(from_ore)
yearly = st.lists(
    st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n) / 100),
    min_size=1,
    max_size=5,
)


def _plan(percents, kind_field):
    return {
        2026 + i: Indexation(2026 + i, **{kind_field: pct}) for i, pct in enumerate(percents, 1)
    }


@given(amounts, yearly, st.sampled_from([SALARY, PRICE]))
def test_compounding_at_once_equals_year_by_year_within_the_rounding(amount, percents, kind):
    field = "salary_increase_percent" if kind is SALARY else "price_index_percent"
    plan = _plan(percents, field)
    last = 2026 + len(percents)
    step = amount
    for year in range(2027, last + 1):
        step = indexed(step, year - 1, year, kind, plan)
    factor = Decimal(1)
    for pct in percents:
        factor *= 1 + pct / 100
    at_once = indexed(amount, 2026, last, kind, plan)
    assert abs(at_once - amount * factor) <= KR("0.005")
    # Each year's rounding (≤ ½ öre) grows with the years after it: at most ½ öre × n × factor.
    assert abs(step - at_once) <= KR("0.005") * (len(percents) * factor + 1)


@given(
    st.dictionaries(st.integers(min_value=2026, max_value=2030), amounts, max_size=5),
    st.lists(
        st.integers(min_value=0, max_value=500).map(lambda n: Decimal(n) / 100),
        min_size=4,
        max_size=4,
    ),
)
def test_every_plan_year_is_explicit_or_indexed_from_the_latest_explicit_year(explicit, pcts):
    plan = _plan(pcts, "price_index_percent")
    years = tuple(range(2026, 2031))
    amounts = plan_amounts(2026, years, explicit, PRICE, plan)
    assert list(amounts) == list(years)
    for year in years:
        earlier = [y for y in explicit if y <= year]
        if not earlier:
            assert amounts[year] == ZERO
        elif year in explicit:
            assert amounts[year] == explicit[year]
        else:
            source = max(earlier)
            assert amounts[year] == indexed(explicit[source], source, year, PRICE, plan)
            # …which is the year before carried one more year when the year before is derived.
            if year - 1 not in explicit and source < year - 1:
                one_more = indexed(amounts[year - 1], year - 1, year, PRICE, plan)
                assert abs(amounts[year] - one_more) <= KR("0.01") * 2
