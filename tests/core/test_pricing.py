"""Full-cost pricing: pools spread onto products, products consumed by products, unit prices."""

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.money import ZERO, from_ore
from samkalk.core.pricing import (
    Consumption,
    CostPool,
    OverheadShare,
    PoolBasis,
    PriceModel,
    PricingInput,
    ProductInput,
    Rounding,
    price_catalogue,
)

ALLOCATED = PriceModel.ALLOCATED
AT_COST = PriceModel.AT_COST
PER_UNIT = PriceModel.PER_UNIT
KR = Decimal


def _by_code(result):
    return {product.code: product for product in result.products}


def _codes(result):
    return [error.code for error in result.errors]


def _staff_pool_50_30_20(consumptions=()):
    return PricingInput(
        pools=(CostPool("staff", KR("1000000.00")),),
        shares=(
            OverheadShare("staff", "A", KR(50)),
            OverheadShare("staff", "B", KR(30)),
            OverheadShare("staff", "C", KR(20)),
        ),
        products=tuple(ProductInput(code, ALLOCATED) for code in "ABC"),
        consumptions=consumptions,
    )


# --- worked examples ----------------------------------------------------------------------


def test_three_products_share_a_staff_pool_50_30_20_and_a_consumes_10_percent_of_b():
    result = price_catalogue(_staff_pool_50_30_20((Consumption("A", "B", KR(10)),)))
    assert result.errors == ()
    a, b, c = result.products
    assert (a.full_cost, b.full_cost, c.full_cost) == (KR(530_000), KR(270_000), KR(200_000))
    assert a.pool_shares == {"staff": KR(500_000)}
    assert b.pool_shares == {"staff": KR(300_000)}
    assert c.pool_shares == {"staff": KR(200_000)}
    assert (a.received, a.passed_on) == ({"B": KR(30_000)}, {})
    assert (b.received, b.passed_on) == ({}, {"A": KR(30_000)})
    assert (c.received, c.passed_on) == ({}, {})
    assert result.unallocated == {"staff": ZERO}
    # Allocated products without a mark-up recover exactly their full cost.
    assert [p.expected_revenue for p in result.products] == [p.full_cost for p in result.products]
    assert {p.coverage for p in result.products} == {ZERO}


def test_central_it_on_the_base_grant_is_partly_taken_over_by_the_server_products():
    central_it = KR("9649000.00")
    servers = {"windows_servers": 611_000, "linux_servers": 372_000, "databases": 200_000}
    result = price_catalogue(
        PricingInput(
            pools=(CostPool("central_it", central_it),),
            shares=(OverheadShare("central_it", "base_grant", KR(100)),),
            products=(
                ProductInput("base_grant", ALLOCATED),
                *(ProductInput(code, PER_UNIT, volume=KR(10)) for code in servers),
            ),
            # The workbook stores each server product's share as a percentage of central IT.
            consumptions=tuple(
                Consumption(code, "base_grant", KR(amount) * 100 / central_it)
                for code, amount in servers.items()
            ),
        )
    )
    assert result.errors == ()
    products = _by_code(result)
    base_grant = products.pop("base_grant")
    assert base_grant.pool_shares == {"central_it": central_it}
    assert base_grant.passed_on == {code: KR(amount) for code, amount in servers.items()}
    assert sum(base_grant.passed_on.values()) == KR(1_183_000)
    assert base_grant.full_cost == KR(8_466_000)
    for code, amount in servers.items():
        assert products[code].received == {"base_grant": KR(amount)}
        assert products[code].full_cost == KR(amount)
        assert products[code].unit_price == KR(amount) / 10


def test_a_percent_pool_with_shares_of_80_leaves_20_percent_unallocated():
    result = price_catalogue(
        PricingInput(
            pools=(CostPool("office", KR("250000.00")),),
            shares=(
                OverheadShare("office", "email", KR(50)),
                OverheadShare("office", "phones", KR(30)),
            ),
            products=(ProductInput("email", ALLOCATED), ProductInput("phones", ALLOCATED)),
        )
    )
    assert result.errors == ()
    assert [p.full_cost for p in result.products] == [KR(125_000), KR(75_000)]
    assert result.unallocated == {"office": KR(50_000)}


def test_percent_shares_over_100_are_an_error_and_the_pool_stays_unallocated():
    result = price_catalogue(
        PricingInput(
            pools=(CostPool("office", KR("250000.00")), CostPool("rent", KR("1000.00"))),
            shares=(
                OverheadShare("office", "email", KR(70)),
                OverheadShare("office", "phones", KR("30.01")),
                OverheadShare("rent", "email", KR(100)),
            ),
            products=(ProductInput("email", ALLOCATED), ProductInput("phones", ALLOCATED)),
        )
    )
    assert _codes(result) == ["pricing.pool_over_100"]
    assert "office" in result.errors[0].message
    assert "100.01 %" in result.errors[0].message
    email, phones = result.products
    assert email.pool_shares == {"rent": KR(1000)}  # the other pool is still spread
    assert phones.pool_shares == {}
    assert result.unallocated == {"office": KR(250_000), "rent": ZERO}


def test_a_driver_pool_is_split_by_staff_hours():
    hours = {"email": 120, "phones": 60, "web": 20}
    result = price_catalogue(
        PricingInput(
            pools=(
                CostPool("support", KR("100000.00"), PoolBasis.DRIVER),
                CostPool("nobody", KR("500.00"), PoolBasis.DRIVER),
            ),
            shares=(
                *(OverheadShare("support", code, KR(h)) for code, h in hours.items()),
                OverheadShare("nobody", "web", ZERO),
            ),
            products=tuple(ProductInput(code, AT_COST) for code in hours),
        )
    )
    assert result.errors == ()
    assert [p.pool_shares["support"] for p in result.products] == [
        KR(60_000),
        KR(30_000),
        KR(10_000),
    ]
    # Nothing drives the second pool, so all of it is shown as unallocated.
    assert _by_code(result)["web"].pool_shares["nobody"] == ZERO
    assert result.unallocated == {"support": ZERO, "nobody": KR(500)}


def test_a_chain_is_priced_in_dependency_order_whatever_the_input_order():
    # c consumes half of b, b consumes half of a: c must get half of b *including* what b took
    # over from a (1 000 + 500 = 1 500 → 750), not half of b's own 1 000.
    products = (
        ProductInput("a", ALLOCATED, direct=KR(1000)),
        ProductInput("b", ALLOCATED, direct=KR(1000)),
        ProductInput("c", ALLOCATED),
    )
    consumptions = (Consumption("c", "b", KR(50)), Consumption("b", "a", KR(50)))
    for order in itertools.permutations(products):
        for uses in itertools.permutations(consumptions):
            result = price_catalogue(PricingInput((), (), tuple(order), tuple(uses)))
            assert result.errors == ()
            costs = {p.code: p.full_cost for p in result.products}
            assert costs == {"a": KR(500), "b": KR(750), "c": KR(750)}
            assert [p.code for p in result.products] == [p.code for p in order]


def test_products_consuming_each_other_in_a_cycle_are_an_error_naming_them():
    result = price_catalogue(
        PricingInput(
            pools=(),
            shares=(),
            products=(
                ProductInput("a", ALLOCATED, direct=KR(100)),
                ProductInput("b", ALLOCATED, direct=KR(200)),
                ProductInput("x", ALLOCATED, direct=KR(300)),
                ProductInput("y", ALLOCATED, direct=KR(400)),
            ),
            consumptions=(
                Consumption("a", "b", KR(10)),
                Consumption("b", "a", KR(10)),
                Consumption("x", "y", KR(50)),  # not in the cycle: still carried out
            ),
        )
    )
    assert _codes(result) == ["pricing.consumption_cycle"]
    assert "a → b → a" in result.errors[0].message
    products = _by_code(result)
    for code in "ab":
        assert (products[code].received, products[code].passed_on) == ({}, {})
    assert products["a"].full_cost == KR(100)
    assert products["x"].received == {"y": KR(200)}


def test_a_product_consuming_itself_is_a_cycle():
    result = price_catalogue(
        PricingInput(
            (), (), (ProductInput("a", AT_COST, direct=KR(100)),), (Consumption("a", "a", KR(5)),)
        )
    )
    assert _codes(result) == ["pricing.consumption_cycle"]
    assert "a → a" in result.errors[0].message
    assert result.products[0].full_cost == KR(100)


def test_consumers_taking_more_than_100_percent_of_a_provider_is_an_error():
    result = price_catalogue(
        PricingInput(
            (),
            (),
            tuple(ProductInput(code, ALLOCATED, direct=KR(100)) for code in "abc"),
            (Consumption("b", "a", KR(60)), Consumption("c", "a", KR(41))),
        )
    )
    assert _codes(result) == ["pricing.consumption_over_100"]
    assert "101 %" in result.errors[0].message
    assert [p.full_cost for p in result.products] == [KR(100)] * 3


def test_bad_shares_and_consumptions_are_reported_and_skipped():
    result = price_catalogue(
        PricingInput(
            pools=(CostPool("staff", KR("1000.00")),),
            shares=(
                OverheadShare("rent", "A", KR(10)),
                OverheadShare("staff", "Z", KR(10)),
                OverheadShare("staff", "A", KR(-5)),
                OverheadShare("staff", "B", KR(10)),
                OverheadShare("staff", "B", KR(20)),
                OverheadShare("staff", "C", KR(25)),
            ),
            products=tuple(ProductInput(code, ALLOCATED) for code in "ABC"),
            consumptions=(Consumption("A", "Q", KR(10)),),
        )
    )
    assert _codes(result) == [
        "pricing.unknown_pool",
        "pricing.unknown_product",
        "pricing.negative_share",
        "pricing.duplicate_share",
        "pricing.unknown_product",
    ]
    a, b, c = result.products
    assert (a.pool_shares, b.pool_shares, c.pool_shares) == ({}, {}, {"staff": KR(250)})
    assert result.unallocated == {"staff": KR(750)}


# --- prices -------------------------------------------------------------------------------


def _one_product(product):
    (priced,) = price_catalogue(PricingInput((), (), (product,))).products
    return priced


def test_unit_price_100000_kr_over_777_units_by_each_rounding_rule():
    # 100 000 / 777 = 128.7001287… kr a unit.
    def priced(rounding):
        return _one_product(
            ProductInput(
                "computer", PER_UNIT, direct=KR(100_000), volume=KR(777), rounding=rounding
            )
        )

    ore, krona, ten = priced(Rounding.ORE), priced(Rounding.KRONA), priced(Rounding.TEN_KRONOR)
    assert (ore.unit_price, ore.expected_revenue, ore.coverage) == (
        KR("128.70"),
        KR("99999.90"),
        KR("-0.10"),
    )
    assert (krona.unit_price, krona.expected_revenue, krona.coverage) == (
        KR("129.00"),
        KR("100233.00"),
        KR("233.00"),
    )
    assert (ten.unit_price, ten.expected_revenue, ten.coverage) == (
        KR("130.00"),
        KR("101010.00"),
        KR("1010.00"),
    )
    assert str(ten.unit_price) == "130.00"  # two decimals, as the price list prints it


def test_unit_prices_round_half_up():
    def unit_price(direct, rounding):
        product = ProductInput("x", PER_UNIT, direct=KR(direct), volume=KR(100), rounding=rounding)
        return _one_product(product).unit_price

    assert unit_price("12550.00", Rounding.KRONA) == KR("126.00")  # 125.50
    assert unit_price("12549.00", Rounding.KRONA) == KR("125.00")  # 125.49
    assert unit_price("12500.00", Rounding.TEN_KRONOR) == KR("130.00")  # 125.00
    assert unit_price("12499.00", Rounding.TEN_KRONOR) == KR("120.00")  # 124.99
    assert unit_price("1.25", Rounding.ORE) == KR("0.01")  # 0.0125


def test_at_cost_with_a_5_percent_administrative_markup():
    priced = _one_product(
        ProductInput("licences", AT_COST, direct=KR("200000.01"), markup_percent=KR(5))
    )
    assert priced.unit_price is None
    assert priced.expected_revenue == KR("210000.01")  # 210 000.0105
    assert priced.coverage == KR("10000.00")


def test_a_per_unit_markup_is_in_the_unit_price():
    priced = _one_product(
        ProductInput("phones", PER_UNIT, direct=KR(10_000), volume=KR(100), markup_percent=KR(2))
    )
    assert (priced.unit_price, priced.expected_revenue, priced.coverage) == (
        KR("102.00"),
        KR("10200.00"),
        KR("200.00"),
    )


def test_a_per_unit_product_without_a_volume_shows_its_whole_cost_as_a_gap():
    for volume in (None, ZERO):
        result = price_catalogue(
            PricingInput(
                (), (), (ProductInput("tablet", PER_UNIT, direct=KR(5000), volume=volume),)
            )
        )
        assert _codes(result) == ["pricing.volume_missing"]
        (tablet,) = result.products
        assert tablet.unit_price is None
        assert tablet.expected_revenue == ZERO
        assert tablet.coverage == KR(-5000)


# --- properties ---------------------------------------------------------------------------

ore = st.integers(min_value=0, max_value=10**11).map(from_ore)
MODELS = list(PriceModel)


@st.composite
def catalogues(draw):
    """Random pools, shares, products and an acyclic set of consumptions, all valid."""
    count = draw(st.integers(min_value=1, max_value=8))
    codes = [f"p{i}" for i in range(count)]
    products = tuple(
        ProductInput(
            code,
            draw(st.sampled_from(MODELS)),
            direct=draw(ore),
            capital=draw(ore),
            volume=draw(st.integers(min_value=1, max_value=10**5).map(Decimal)),
            rounding=draw(st.sampled_from(list(Rounding))),
        )
        for code in codes
    )
    pools, shares = [], []
    for index in range(draw(st.integers(min_value=0, max_value=4))):
        pool = CostPool(f"pool{index}", draw(ore), draw(st.sampled_from(list(PoolBasis))))
        pools.append(pool)
        bearers = draw(st.lists(st.sampled_from(codes), unique=True))
        cap = 10_000 // max(len(bearers), 1)  # percent pools stay within 100 %
        for code in bearers:
            weight = Decimal(draw(st.integers(min_value=0, max_value=cap))) / 100
            shares.append(OverheadShare(pool.code, code, weight))
    rank = draw(st.permutations(codes))  # a consumer always comes after its provider here
    consumptions = []
    for provider_at, provider in enumerate(rank):
        consumers = draw(st.lists(st.sampled_from(rank[provider_at + 1 :] or [None]), unique=True))
        cap = 10_000 // max(len(consumers), 1)
        for consumer in consumers:
            if consumer is not None:
                percent = Decimal(draw(st.integers(min_value=0, max_value=cap))) / 100
                consumptions.append(Consumption(consumer, provider, percent))
    return PricingInput(tuple(pools), tuple(shares), products, tuple(consumptions))


@given(catalogues())
def test_full_costs_and_unallocated_add_up_to_every_cost_to_the_ore(data):
    result = price_catalogue(data)
    assert result.errors == ()
    spent = sum((p.direct + p.capital for p in data.products), ZERO)
    spent += sum((pool.amount for pool in data.pools), ZERO)
    borne = sum((p.full_cost for p in result.products), ZERO) + sum(result.unallocated.values())
    assert borne == spent


@given(catalogues())
def test_every_full_cost_is_its_own_breakdown_and_transfers_mirror_each_other(data):
    result = price_catalogue(data)
    products = _by_code(result)
    for product in result.products:
        assert product.full_cost == (
            product.direct
            + product.capital
            + sum(product.pool_shares.values(), ZERO)
            + sum(product.received.values(), ZERO)
            - sum(product.passed_on.values(), ZERO)
        )
        for consumer, amount in product.passed_on.items():
            assert amount != 0
            assert products[consumer].received[product.code] == amount
        assert product.coverage == product.expected_revenue - product.full_cost


@given(catalogues())
def test_every_pool_share_is_within_one_ore_of_its_exact_quota(data):
    result = price_catalogue(data)
    products = _by_code(result)
    for pool in data.pools:
        weights = {s.product: s.weight for s in data.shares if s.pool == pool.code}
        whole = Decimal(100) if pool.basis is PoolBasis.PERCENT else sum(weights.values(), ZERO)
        for code, weight in weights.items():
            share = products[code].pool_shares[pool.code]
            if weight == 0:
                assert share == 0
            else:
                assert abs(share - pool.amount * weight / whole) < Decimal("0.01")


@given(catalogues(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_input(data, rng):
    shuffled = PricingInput(
        pools=tuple(rng.sample(data.pools, len(data.pools))),
        shares=tuple(rng.sample(data.shares, len(data.shares))),
        products=tuple(rng.sample(data.products, len(data.products))),
        consumptions=tuple(rng.sample(data.consumptions, len(data.consumptions))),
    )
    before, after = price_catalogue(data), price_catalogue(shuffled)
    assert _by_code(after) == _by_code(before)
    assert [p.code for p in after.products] == [p.code for p in shuffled.products]
    assert after.unallocated == before.unallocated
