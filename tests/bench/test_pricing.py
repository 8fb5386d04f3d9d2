"""The pricing benchmark's generator and checks, at a size that runs in a blink."""

from decimal import Decimal

import pytest

from bench import pricing as bench
from samkalk.core.pricing import PriceModel, PricingInput, price_catalogue


def test_the_catalogue_is_the_same_every_time_and_valid():
    first, again = bench.generate(members=12, products=60), bench.generate(members=12, products=60)
    assert first == again
    data = first.pricing
    assert len(data.shares) == 60 * bench.POOLS
    assert {p.price_model for p in data.products} == set(PriceModel)
    prices, forecasts = bench.compute(first)  # asserts that there are no errors
    bench.check(first, prices, forecasts)
    assert [f.member for f in forecasts] == list(first.members)


def test_the_consumptions_have_no_cycle_and_no_provider_gives_over_75_percent():
    data = bench.generate(members=3, products=1000).pricing
    assert len(data.consumptions) == bench.CONSUMPTIONS
    given: dict[str, Decimal] = {}
    for item in data.consumptions:
        given[item.provider] = given.get(item.provider, Decimal(0)) + item.percent
    assert max(given.values()) <= 75
    assert price_catalogue(data).errors == ()


def test_the_check_catches_a_part_that_does_not_add_up():
    catalogue = bench.generate(members=4, products=20)
    prices, forecasts = bench.compute(catalogue)
    pools = catalogue.pricing.pools[1:]  # the first pool left out of the costs checked
    with pytest.raises(AssertionError):
        bench.check(
            catalogue._replace(pricing=_with_pools(catalogue.pricing, pools)), prices, forecasts
        )


def _with_pools(data, pools):
    return PricingInput(pools, data.shares, data.products, data.consumptions)


def test_a_small_run_prints_the_figures(monkeypatch, capsys):
    monkeypatch.setenv("SAMKALK_BENCH_PRODUCTS", "40")
    monkeypatch.setenv("SAMKALK_BENCH_MEMBERS", "10")
    bench.run()
    out = capsys.readouterr().out
    assert "10 members × 40 products" in out
    assert "× the target" in out
    assert "peak memory" in out
