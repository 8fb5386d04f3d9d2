"""Member forecast: what each municipality will pay next year, product by product."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.forecast import Basis, MemberQuantity, member_forecasts
from samkalk.core.money import ZERO, from_ore
from samkalk.core.pricing import (
    PriceModel,
    PricingInput,
    PricingResult,
    ProductCost,
    ProductInput,
    Rounding,
    price_catalogue,
)

KR = Decimal
MEMBERS = ("alfa", "beta", "gamma")


def _catalogue(*products):
    result = price_catalogue(PricingInput((), (), products))
    assert result.errors == ()
    return result


def _by_member(forecasts):
    return {forecast.member: forecast for forecast in forecasts}


def _codes(errors):
    return [error.code for error in errors]


def test_two_municipalities_lease_computers_at_130_kr_and_share_the_base_grant_60_40():
    prices = _catalogue(
        # 1 000 000 kr over 7 692 computers → 130.005… → 130 kr a computer.
        ProductInput(
            "computer",
            PriceModel.PER_UNIT,
            direct=KR(1_000_000),
            volume=KR(7692),
            rounding=Rounding.KRONA,
        ),
        ProductInput("base_grant", PriceModel.ALLOCATED, direct=KR("500000.00")),
        ProductInput("licences", PriceModel.AT_COST, direct=KR("1000.00")),
    )
    forecasts, errors = member_forecasts(
        prices,
        MEMBERS,
        (
            MemberQuantity("alfa", "computer", KR(5000)),
            MemberQuantity("beta", "computer", KR("2692")),
            MemberQuantity("alfa", "licences", KR(1)),
            MemberQuantity("beta", "licences", KR(1)),
            MemberQuantity("beta", "licences", KR(1)),  # a second order adds up
        ),
        {"base_grant": {"alfa": KR(60), "beta": KR(40)}},
    )
    assert errors == ()
    assert [f.member for f in forecasts] == list(MEMBERS)
    alfa, beta, gamma = forecasts
    assert [(line.product, line.basis, line.amount) for line in alfa.lines] == [
        ("computer", Basis.QUANTITY, KR("650000.00")),
        ("base_grant", Basis.KEY_SHARE, KR("300000.00")),
        ("licences", Basis.ORDER_SHARE, KR("333.33")),
    ]
    assert [(line.product, line.amount) for line in beta.lines] == [
        ("computer", KR("349960.00")),
        ("base_grant", KR("200000.00")),
        ("licences", KR("666.67")),  # 666.666…: the larger remainder
    ]
    assert alfa.total == KR("950333.33")
    assert beta.total == KR("550626.67")
    # Gamma orders nothing and has no key value: a forecast all the same, of nothing.
    assert (gamma.lines, gamma.total) == ((), ZERO)
    computer, base_grant, licences = alfa.lines
    assert (computer.quantity, computer.share) == (KR(5000), None)
    assert (base_grant.quantity, base_grant.share) == (None, KR("0.6"))
    assert (licences.quantity, licences.share) == (KR(1), KR(1) / KR(3))


def test_every_member_with_a_key_value_gets_a_line_except_for_nothing():
    prices = _catalogue(ProductInput("e_archive", PriceModel.ALLOCATED, direct=KR("100.00")))
    forecasts, errors = member_forecasts(
        prices, MEMBERS, (), {"e_archive": {"alfa": KR(1), "beta": KR(1), "gamma": ZERO}}
    )
    assert errors == ()
    members = _by_member(forecasts)
    assert [line.amount for line in members["alfa"].lines] == [KR(50)]
    assert [line.amount for line in members["beta"].lines] == [KR(50)]
    assert members["gamma"].lines == ()  # a zero amount and no quantity: left out


def test_a_per_unit_product_ordered_in_zero_quantity_is_left_out():
    prices = _catalogue(
        ProductInput("phone", PriceModel.PER_UNIT, direct=KR(1000), volume=KR(10)),
    )
    forecasts, errors = member_forecasts(
        prices, MEMBERS, (MemberQuantity("alfa", "phone", ZERO),), {}
    )
    assert errors == ()
    assert all(forecast.lines == () for forecast in forecasts)


def test_an_allocated_product_without_key_values_is_an_error():
    prices = _catalogue(
        ProductInput("base_grant", PriceModel.ALLOCATED, direct=KR(100)),
        ProductInput("free", PriceModel.ALLOCATED),  # nothing to split: no key needed
    )
    forecasts, errors = member_forecasts(prices, MEMBERS, (), {})
    assert _codes(errors) == ["forecast.no_key"]
    assert "base_grant" in errors[0].message
    assert sum(forecast.total for forecast in forecasts) == ZERO


def test_a_pass_through_product_with_revenue_but_no_orders_is_an_error():
    prices = _catalogue(ProductInput("licences", PriceModel.AT_COST, direct=KR(100)))
    _, errors = member_forecasts(prices, MEMBERS, (MemberQuantity("alfa", "licences", ZERO),), {})
    assert _codes(errors) == ["forecast.no_orders"]


def test_a_quantity_or_key_value_for_an_unknown_member_is_an_error_and_not_counted():
    prices = _catalogue(
        ProductInput("phone", PriceModel.PER_UNIT, direct=KR(1000), volume=KR(10)),
        ProductInput("base_grant", PriceModel.ALLOCATED, direct=KR(100)),
    )
    forecasts, errors = member_forecasts(
        prices,
        MEMBERS,
        (MemberQuantity("delta", "phone", KR(3)),),
        {"base_grant": {"alfa": KR(1), "delta": KR(1)}},
    )
    assert _codes(errors) == ["forecast.unknown_member", "forecast.unknown_member"]
    # The base grant is split between the members the forecast knows, so it still adds up.
    assert _by_member(forecasts)["alfa"].total == KR(100)


# --- properties ---------------------------------------------------------------------------


def _priced(code, model, revenue, unit_price=None):
    return ProductCost(
        code=code,
        price_model=model,
        direct=revenue,
        capital=ZERO,
        pool_shares={},
        received={},
        passed_on={},
        full_cost=revenue,
        volume=None,
        unit_price=unit_price,
        expected_revenue=revenue,
        coverage=ZERO,
    )


amounts = st.integers(min_value=-(10**11), max_value=10**11).map(from_ore)
weights = st.dictionaries(
    st.sampled_from([f"m{i:02d}" for i in range(12)]),
    st.integers(min_value=0, max_value=10**6).map(Decimal),
    min_size=1,
).filter(lambda values: sum(values.values()) > 0)


@given(amounts, weights, st.sampled_from([PriceModel.ALLOCATED, PriceModel.AT_COST]))
def test_a_split_product_adds_up_to_its_expected_revenue_within_one_ore_each(
    revenue, values, model
):
    members = tuple(f"m{i:02d}" for i in range(12))
    prices = PricingResult(products=(_priced("x", model, revenue),), unallocated={})
    if model is PriceModel.ALLOCATED:
        forecasts, errors = member_forecasts(prices, members, (), {"x": values})
    else:
        orders = tuple(MemberQuantity(m, "x", q) for m, q in values.items())
        forecasts, errors = member_forecasts(prices, members, orders, {})
    assert errors == ()
    assert sum(forecast.total for forecast in forecasts) == revenue
    whole = sum(values.values())
    for forecast in forecasts:
        exact = revenue * values.get(forecast.member, ZERO) / whole
        assert abs(forecast.total - exact) < Decimal("0.01")


@given(
    st.integers(min_value=0, max_value=10**7).map(from_ore),
    st.lists(st.integers(min_value=0, max_value=10**4).map(Decimal), min_size=1, max_size=12),
)
def test_a_per_unit_line_is_the_quantity_times_the_unit_price(unit_price, quantities):
    members = tuple(f"m{i:02d}" for i in range(len(quantities)))
    prices = PricingResult(
        products=(_priced("x", PriceModel.PER_UNIT, ZERO, unit_price),), unallocated={}
    )
    orders = tuple(MemberQuantity(m, "x", q) for m, q in zip(members, quantities, strict=True))
    forecasts, errors = member_forecasts(prices, members, orders, {})
    assert errors == ()
    for forecast, quantity in zip(forecasts, quantities, strict=True):
        assert forecast.total == unit_price * quantity
        assert len(forecast.lines) == (1 if quantity else 0)
