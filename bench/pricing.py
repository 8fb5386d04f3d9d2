"""A national-scale price list: full costs, prices and every member's forecast, timed.

300 members, 1 000 products and 20 cost pools (every product bears a share of every pool:
20 000 shares), a few hundred service-to-service consumptions without cycles, a mix of per-unit,
allocated and pass-through products, the members' quantities and the allocation keys. The
catalogue is generated deterministically (seeded, no clock); the benchmark then times
``price_catalogue`` and ``member_forecasts`` (best of three), measures their peak memory with
tracemalloc in a separate, untimed run, checks that everything adds up to the öre, and prints the
figures and their ratio to the target: the whole price list in at most two seconds.
Figures and ratios, never pass/fail timing. ``SAMKALK_BENCH_PRODUCTS`` and
``SAMKALK_BENCH_MEMBERS`` make a quick run.
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from bench.timing import best_of
from samkalk.core.forecast import MemberForecast, MemberQuantity, member_forecasts
from samkalk.core.money import ZERO, from_ore
from samkalk.core.pricing import (
    Consumption,
    CostPool,
    OverheadShare,
    PoolBasis,
    PriceModel,
    PricingInput,
    PricingResult,
    ProductInput,
    Rounding,
    price_catalogue,
)

MEMBERS = 300
PRODUCTS = 1000
POOLS = 20
CONSUMPTIONS = 300
SEED = 20260101
TARGET_SECONDS = 2.0
RUNS = 3
MODELS = (
    (PriceModel.PER_UNIT, 60),
    (PriceModel.ALLOCATED, 25),
    (PriceModel.AT_COST, 15),
)
ROUNDINGS = ((Rounding.ORE, 50), (Rounding.KRONA, 35), (Rounding.TEN_KRONOR, 15))


class Catalogue(NamedTuple):
    pricing: PricingInput
    members: tuple[str, ...]
    quantities: tuple[MemberQuantity, ...]
    key_values: dict[str, dict[str, Decimal]]  # allocated product → member → key value


def generate(
    members: int = MEMBERS,
    products: int = PRODUCTS,
    pools: int = POOLS,
    consumptions: int = CONSUMPTIONS,
    seed: int = SEED,
) -> Catalogue:
    """A deterministic catalogue: members from big cities to small municipalities."""
    rng = random.Random(seed)
    member_codes = tuple(f"m{i:03d}" for i in range(members))
    sizes = [10_000_000 // (i + 8) for i in range(members)]  # inhabitants, a long tail
    codes = [f"p{i:04d}" for i in range(products)]
    models = rng.choices([m for m, _ in MODELS], [w for _, w in MODELS], k=products)
    quantities = _quantities(rng, member_codes, sizes, codes, models)
    volumes: dict[str, Decimal] = {}
    for item in quantities:
        volumes[item.product] = volumes.get(item.product, ZERO) + item.quantity
    catalogue = tuple(
        ProductInput(
            code,
            model,
            direct=from_ore(rng.randrange(0, 500_000_00)),
            capital=from_ore(rng.randrange(0, 200_000_00)) if rng.random() < 0.4 else ZERO,
            volume=volumes.get(code) if model is PriceModel.PER_UNIT else None,
            rounding=rng.choices([r for r, _ in ROUNDINGS], [w for _, w in ROUNDINGS])[0],
            markup_percent=Decimal(rng.choice((0, 0, 0, 2, 5))),
        )
        for code, model in zip(codes, models, strict=True)
    )
    key_values = {
        code: {
            m: Decimal(s * rng.randint(80, 120) // 100)
            for m, s in zip(member_codes, sizes, strict=True)
        }
        for code, model in zip(codes, models, strict=True)
        if model is PriceModel.ALLOCATED
    }
    cost_pools, shares = _pools(rng, pools, codes)
    pricing = PricingInput(cost_pools, shares, catalogue, _consumptions(rng, codes, consumptions))
    return Catalogue(pricing, member_codes, quantities, key_values)


def _quantities(
    rng: random.Random,
    members: tuple[str, ...],
    sizes: list[int],
    codes: list[str],
    models: list[PriceModel],
) -> tuple[MemberQuantity, ...]:
    """Per-unit products are ordered by about half the members, pass-through by a third;
    every product by at least one member (so every per-unit product has a volume)."""
    biggest = sizes[0]
    out: list[MemberQuantity] = []
    for code, model in zip(codes, models, strict=True):
        if model is PriceModel.ALLOCATED:
            continue
        chance = 0.5 if model is PriceModel.PER_UNIT else 0.3
        first = rng.randrange(len(members))  # someone orders every product
        for index, (member, size) in enumerate(zip(members, sizes, strict=True)):
            if index == first or rng.random() < chance:
                units = 1 + size * rng.randint(1, 200) // biggest
                out.append(MemberQuantity(member, code, Decimal(units)))
    return tuple(out)


def _pools(
    rng: random.Random, pools: int, codes: list[str]
) -> tuple[tuple[CostPool, ...], tuple[OverheadShare, ...]]:
    """Half percentage pools (Itsamtid: 95–100 % spread), half driver pools (staff hours)."""
    cost_pools: list[CostPool] = []
    shares: list[OverheadShare] = []
    for index in range(pools):
        basis = PoolBasis.PERCENT if index % 2 == 0 else PoolBasis.DRIVER
        pool = CostPool(
            f"pool{index:02d}", from_ore(rng.randrange(1_000_000_00, 20_000_000_00)), basis
        )
        cost_pools.append(pool)
        raw = [rng.randrange(0, 1000) for _ in codes]
        if basis is PoolBasis.PERCENT:  # thousandths of a percent, adding up to at most 100 %
            spread = rng.randint(95_000, 100_000)
            whole = sum(raw) or 1
            weights = [Decimal(r * spread // whole) / 1000 for r in raw]
        else:
            weights = [Decimal(r) for r in raw]
        shares.extend(OverheadShare(pool.code, c, w) for c, w in zip(codes, weights, strict=True))
    return tuple(cost_pools), tuple(shares)


def _consumptions(rng: random.Random, codes: list[str], count: int) -> tuple[Consumption, ...]:
    """Providers (a tenth of the products) come before their consumers in a random ranking, so
    there is no cycle; each provider passes on at most 5 × 15 = 75 %."""
    rank = codes[:]
    rng.shuffle(rank)
    providers = max(len(rank) // 10, 1)
    pairs: dict[tuple[str, str], Consumption] = {}
    given: dict[str, int] = {}
    for _ in range(count * 20):  # bounded: a tiny catalogue may not hold ``count`` of them
        if len(pairs) == count:
            break
        at = rng.randrange(providers)
        provider = rank[at]
        if given.get(provider, 0) == 5 or at + 1 == len(rank):
            continue
        consumer = rank[rng.randrange(at + 1, len(rank))]
        if (provider, consumer) not in pairs:
            given[provider] = given.get(provider, 0) + 1
            percent = Decimal(rng.randint(100, 1500)) / 100
            pairs[provider, consumer] = Consumption(consumer, provider, percent)
    return tuple(pairs.values())


def compute(catalogue: Catalogue) -> tuple[PricingResult, tuple[MemberForecast, ...]]:
    """The measured work: the price list, then every member's forecast from it."""
    prices = price_catalogue(catalogue.pricing)
    forecasts, errors = member_forecasts(
        prices, catalogue.members, catalogue.quantities, catalogue.key_values
    )
    assert not prices.errors, prices.errors[:3]
    assert not errors, errors[:3]
    return prices, forecasts


def check(
    catalogue: Catalogue, prices: PricingResult, forecasts: tuple[MemberForecast, ...]
) -> None:
    """Everything adds up to the öre: costs into full costs, split products into members."""
    data = catalogue.pricing
    spent = sum((p.direct + p.capital for p in data.products), ZERO)
    spent += sum((pool.amount for pool in data.pools), ZERO)
    borne = sum((p.full_cost for p in prices.products), ZERO) + sum(prices.unallocated.values())
    assert borne == spent, (borne, spent)
    charged: dict[str, Decimal] = {}
    for forecast in forecasts:
        for line in forecast.lines:
            charged[line.product] = charged.get(line.product, ZERO) + line.amount
    for product in prices.products:
        if product.price_model is not PriceModel.PER_UNIT:
            assert charged.get(product.code, ZERO) == product.expected_revenue, product.code


def _traced_peak_mb(action: Callable[[], Any]) -> float:
    """Peak Python allocations of one run (tracemalloc slows it down: never timed)."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _vm_hwm_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def run(members: int | None = None, products: int | None = None) -> None:
    members = members or int(os.environ.get("SAMKALK_BENCH_MEMBERS", MEMBERS))
    products = products or int(os.environ.get("SAMKALK_BENCH_PRODUCTS", PRODUCTS))
    print(
        f"Pricing — {members} members × {products} products × {POOLS} pools, "
        f"best of {RUNS}".replace("_", " ")
    )
    print(
        f"  machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}"
    )
    start = time.perf_counter()
    catalogue = generate(members, products)
    data = catalogue.pricing
    print(
        f"  generated in {time.perf_counter() - start:.2f} s: {len(data.shares)} shares, "
        f"{len(data.consumptions)} consumptions, {len(catalogue.quantities)} member quantities, "
        f"{len(catalogue.key_values)} allocated products with keys"
    )
    prices, t_price, c_price = best_of(RUNS, lambda: price_catalogue(data))
    _, t_forecast, c_forecast = best_of(
        RUNS,
        lambda: member_forecasts(
            prices, catalogue.members, catalogue.quantities, catalogue.key_values
        ),
    )
    (prices, forecasts), t_both, c_both = best_of(RUNS, lambda: compute(catalogue))
    check(catalogue, prices, forecasts)
    for label, wall, cpu in (
        ("price_catalogue", t_price, c_price),
        ("member_forecasts", t_forecast, c_forecast),
        ("price list + every member's forecast", t_both, c_both),
    ):
        print(f"  {label:<40} {wall:7.3f} s  cpu {cpu:6.3f} s")
    print(
        f"  target ≤ {TARGET_SECONDS:.0f} s for the whole: {t_both:.3f} s = "
        f"{t_both / TARGET_SECONDS:.2f} × the target"
    )
    peak = _traced_peak_mb(lambda: compute(catalogue))
    print(
        f"  peak memory: {peak:.0f} MB traced (one untimed run under tracemalloc); "
        f"VmHWM {_vm_hwm_mb():.0f} MB (this process, generator and results included)"
    )
    lines = sum(len(f.lines) for f in forecasts)
    paid = f"{sum((f.total for f in forecasts), ZERO):,.2f}".replace(",", " ")
    print(
        "  checks: full costs + unallocated = costs, split products = the members' parts, "
        f"to the öre; {lines} forecast lines, the members pay {paid} kr"
    )


if __name__ == "__main__":
    run(*(int(arg) for arg in sys.argv[1:3]))
