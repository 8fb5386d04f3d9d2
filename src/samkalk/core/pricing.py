"""Full-cost pricing (självkostnad): cost pools and direct costs → full cost per product → price.

The federation charges what its services cost, neither more nor less. Each product's full cost
is its direct costs (supplier licences, support contracts), the capital cost of its assets, its
share of every cost pool ("Itsamtid": a percentage or a driver quantity such as staff hours) and
what it consumes of other products (service-to-service allocation, e.g. the central IT
environment passed on to the products that use the servers). Every split goes through
``money.apportion`` so nothing is lost or invented: what a percentage pool does not attribute to
a product is reported as unallocated, never hidden.

The price follows the product's price model: a unit price per budgeted unit (rounded by the
product's rule, with the over- or under-coverage the rounding causes), an amount split between
members by an allocation key, or the cost passed on (with an optional administrative mark-up).

The rules, all in one place:

* **Order independence**: a pool is split over its products in product-code order and a provider
  over its consumers in consumer-code order, so shuffling the input changes nothing.
* **Service to service** is computed in dependency order: a provider passes on its percentages
  of its *accumulated* cost (own costs + what it received) only when everything it receives is
  known; the rest of 100 % stays with it.
* **Bad input is reported and left out** (an unknown pool or product, a negative weight, the same
  pair given twice: neither copy counts). A percentage pool over 100 % stays wholly unallocated;
  a provider given away over 100 % passes nothing on; products consuming each other in a cycle
  get no transfers at all. Amounts finer than the öre are reported and rounded.
* **Conservation** is asserted: Σ full cost + Σ unallocated = Σ direct + Σ capital + Σ pools.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from samkalk.core.consumption import Consumption, consumption_graph, pass_on
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, apportion, round_ore

__all__ = ["Consumption", "price_catalogue"]

_HUNDRED = Decimal(100)
_NO_AMOUNT = Decimal("0.00")


class PoolBasis(StrEnum):
    """How a pool's shares are read: percentages of the pool, or driver quantities."""

    PERCENT = "percent"
    DRIVER = "driver"


class Rounding(StrEnum):
    """Avrundning of a unit price: to whole öre, whole kronor or ten kronor (half up)."""

    ORE = "ore"
    KRONA = "krona"
    TEN_KRONOR = "ten_kronor"


class PriceModel(StrEnum):
    PER_UNIT = "per_unit"
    ALLOCATED = "allocated"
    AT_COST = "at_cost"


_ROUNDING_STEP = {
    Rounding.ORE: Decimal(1),
    Rounding.KRONA: _HUNDRED,
    Rounding.TEN_KRONOR: Decimal(1000),
}


@dataclass(frozen=True, slots=True)
class CostPool:
    """Kostnadspool: one of the federation's own costs for the year (kronor, whole öre)."""

    code: str
    amount: Decimal
    basis: PoolBasis = PoolBasis.PERCENT


@dataclass(frozen=True, slots=True)
class OverheadShare:
    """Itsamtid: how much of a pool a product bears; percent (0–100) or a driver quantity (≥ 0)."""

    pool: str
    product: str
    weight: Decimal


@dataclass(frozen=True, slots=True)
class ProductInput:
    """Produkt: what the calculation needs to know about one product for one year."""

    code: str
    price_model: PriceModel
    direct: Decimal = ZERO  # supplier licences, support contracts … (whole öre)
    capital: Decimal = ZERO  # capital cost of the product's assets (whole öre)
    volume: Decimal | None = None  # budgeted units; required for per-unit products
    rounding: Rounding = Rounding.ORE
    markup_percent: Decimal = ZERO  # administrative mark-up on at-cost products


@dataclass(frozen=True, slots=True)
class PricingInput:
    pools: tuple[CostPool, ...]
    shares: tuple[OverheadShare, ...]
    products: tuple[ProductInput, ...]
    consumptions: tuple[Consumption, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductCost:
    """Självkostnad och pris: one product's full cost, how it arose, and its price."""

    code: str
    price_model: PriceModel
    direct: Decimal
    capital: Decimal
    pool_shares: Mapping[str, Decimal]  # pool code → amount
    received: Mapping[str, Decimal]  # provider product → amount taken over
    passed_on: Mapping[str, Decimal]  # consumer product → amount passed on
    full_cost: Decimal  # direct + capital + pool shares + received − passed on
    volume: Decimal | None
    unit_price: Decimal | None  # per-unit products only
    expected_revenue: Decimal
    coverage: Decimal  # expected revenue − full cost (rounding, mark-up)


@dataclass(frozen=True, slots=True)
class PricingResult:
    products: tuple[ProductCost, ...]  # in input order
    unallocated: Mapping[str, Decimal]  # pool code → what no product bears
    errors: tuple[CoreError, ...] = field(default=())


def price_catalogue(data: PricingInput) -> PricingResult:
    """Compute every product's full cost and price; problems are returned as errors."""
    errors: list[CoreError] = []
    products = _products_by_code(data.products, errors)
    pools = _pools_by_code(data.pools, errors)
    pool_shares, unallocated = _split_pools(
        pools, _valid_shares(data, pools, products, errors), errors
    )
    own_costs = {
        code: p.direct + p.capital + sum(pool_shares.get(code, {}).values(), ZERO)
        for code, p in products.items()
    }
    received, passed_on = pass_on(consumption_graph(data.consumptions, products, errors), own_costs)
    costs = tuple(
        _product_cost(
            p, pool_shares.get(code, {}), received.get(code, {}), passed_on.get(code, {}), errors
        )
        for code, p in products.items()
    )
    _assert_conserved(costs, unallocated, products.values(), pools.values())
    return PricingResult(products=costs, unallocated=unallocated, errors=tuple(errors))


# --- input ----------------------------------------------------------------------------------


def _products_by_code(
    products: tuple[ProductInput, ...], errors: list[CoreError]
) -> dict[str, ProductInput]:
    """The products by code, in input order; a code given twice is an error, the first counts."""
    by_code: dict[str, ProductInput] = {}
    for product in products:
        if product.code in by_code:
            errors.append(
                CoreError(
                    "pricing.duplicate_product",
                    f"product {product.code} is listed twice; only the first is priced",
                )
            )
            continue
        direct = _whole_ore(product.direct, f"direct costs of {product.code}", errors)
        capital = _whole_ore(product.capital, f"capital cost of {product.code}", errors)
        if (direct, capital) != (product.direct, product.capital):
            product = replace(product, direct=direct, capital=capital)
        by_code[product.code] = product
    return by_code


def _pools_by_code(pools: tuple[CostPool, ...], errors: list[CoreError]) -> dict[str, CostPool]:
    by_code: dict[str, CostPool] = {}
    for pool in pools:
        if pool.code in by_code:
            errors.append(
                CoreError(
                    "pricing.duplicate_pool",
                    f"cost pool {pool.code} is listed twice; only the first is spread",
                )
            )
            continue
        amount = _whole_ore(pool.amount, f"cost pool {pool.code}", errors)
        by_code[pool.code] = pool if amount == pool.amount else replace(pool, amount=amount)
    return by_code


def _whole_ore(amount: Decimal, what: str, errors: list[CoreError]) -> Decimal:
    """Amounts come in whole öre; a finer one is reported and rounded, so every split adds up."""
    rounded = round_ore(amount)
    if rounded != amount:
        errors.append(
            CoreError("pricing.not_whole_ore", f"{what}: {amount} is not a whole number of öre")
        )
    return rounded


# --- cost pools -----------------------------------------------------------------------------


def _valid_shares(
    data: PricingInput,
    pools: Mapping[str, CostPool],
    products: Mapping[str, ProductInput],
    errors: list[CoreError],
) -> dict[str, dict[str, Decimal]]:
    """Pool → product → weight, for the shares that can be used.

    A (pool, product) pair given twice is dropped altogether: which weight is meant cannot be
    known, and keeping the first would make the result depend on the order of the input.
    """
    weights: dict[str, dict[str, Decimal]] = {code: {} for code in pools}
    twice: set[tuple[str, str]] = set()
    for share in data.shares:
        problem = _share_problem(share, pools, products)
        if problem:
            errors.append(problem)
            continue
        of_pool = weights[share.pool]
        if share.product in of_pool or (share.pool, share.product) in twice:
            if (share.pool, share.product) not in twice:
                twice.add((share.pool, share.product))
                errors.append(
                    CoreError(
                        "pricing.duplicate_share",
                        f"product {share.product} has more than one share of pool "
                        f"{share.pool}; none of them is used",
                    )
                )
            of_pool.pop(share.product, None)
            continue
        of_pool[share.product] = share.weight
    return weights


def _share_problem(
    share: OverheadShare, pools: Mapping[str, CostPool], products: Mapping[str, ProductInput]
) -> CoreError | None:
    if share.pool not in pools:
        return CoreError(
            "pricing.unknown_pool", f"share of unknown cost pool {share.pool} ({share.product})"
        )
    if share.product not in products:
        return CoreError(
            "pricing.unknown_product",
            f"share of pool {share.pool} for unknown product {share.product}",
        )
    if share.weight < 0:
        return CoreError(
            "pricing.negative_share",
            f"product {share.product}'s share of pool {share.pool} is negative: {share.weight}",
        )
    return None


def _split_pools(
    pools: Mapping[str, CostPool],
    weights: Mapping[str, Mapping[str, Decimal]],
    errors: list[CoreError],
) -> tuple[dict[str, dict[str, Decimal]], dict[str, Decimal]]:
    """Product → pool → amount, and pool → unallocated amount."""
    by_product: dict[str, dict[str, Decimal]] = {}
    for of_pool in weights.values():
        for product in of_pool:
            by_product.setdefault(product, {})
    unallocated: dict[str, Decimal] = {}
    for code, pool in pools.items():
        parts, unallocated[code] = _split_pool(pool, weights[code], errors)
        for product, amount in parts.items():
            by_product[product][code] = amount
    return by_product, unallocated


def _split_pool(
    pool: CostPool, weights: Mapping[str, Decimal], errors: list[CoreError]
) -> tuple[dict[str, Decimal], Decimal]:
    """One pool's parts per product (in product-code order) and what no product bears."""
    products = sorted(weights)
    quantities = [weights[p] for p in products]
    total = sum(quantities, ZERO)
    if pool.basis is PoolBasis.PERCENT:
        if total > _HUNDRED:
            errors.append(
                CoreError(
                    "pricing.pool_over_100",
                    f"the shares of cost pool {pool.code} add up to {total} %, over 100 %; "
                    "the pool is left unallocated",
                )
            )
            return {}, pool.amount
        parts = apportion(pool.amount, [*quantities, _HUNDRED - total])
        return dict(zip(products, parts, strict=False)), parts[-1]
    if total == 0:  # nothing drives the pool: it stays unallocated, visibly
        return {p: _NO_AMOUNT for p in products}, pool.amount
    return dict(zip(products, apportion(pool.amount, quantities), strict=True)), _NO_AMOUNT


# --- full cost and price --------------------------------------------------------------------


def _product_cost(
    product: ProductInput,
    pool_shares: dict[str, Decimal],
    received: dict[str, Decimal],
    passed_on: dict[str, Decimal],
    errors: list[CoreError],
) -> ProductCost:
    full_cost = (
        product.direct
        + product.capital
        + sum(pool_shares.values(), ZERO)
        + sum(received.values(), ZERO)
        - sum(passed_on.values(), ZERO)
    )
    unit_price, revenue = _price(product, full_cost, errors)
    return ProductCost(
        code=product.code,
        price_model=product.price_model,
        direct=product.direct,
        capital=product.capital,
        pool_shares=pool_shares,
        received=received,
        passed_on=passed_on,
        full_cost=full_cost,
        volume=product.volume,
        unit_price=unit_price,
        expected_revenue=revenue,
        coverage=revenue - full_cost,
    )


def _price(
    product: ProductInput, full_cost: Decimal, errors: list[CoreError]
) -> tuple[Decimal | None, Decimal]:
    """(unit price, expected revenue). Without a volume a per-unit product earns nothing, so
    its whole cost shows as under-coverage instead of a price that cannot be computed."""
    with_markup = full_cost * (1 + product.markup_percent / _HUNDRED)
    if product.price_model is not PriceModel.PER_UNIT:
        return None, round_ore(with_markup)
    volume = product.volume
    if volume is None or volume <= 0:
        errors.append(
            CoreError(
                "pricing.volume_missing",
                f"per-unit product {product.code} needs a budgeted volume above zero "
                f"(has {volume}); no unit price",
            )
        )
        return None, _NO_AMOUNT
    unit_price = _round_price(with_markup / volume, product.rounding)
    return unit_price, round_ore(unit_price * volume)


def _round_price(price: Decimal, rounding: Rounding) -> Decimal:
    """Half away from zero to the rule's step, through ``round_ore`` on a scaled price:
    rounding price / 100 to öre is rounding price to kronor (130.00, not 130)."""
    step = _ROUNDING_STEP[rounding]
    return round_ore(price / step) * step


def _assert_conserved(
    costs: tuple[ProductCost, ...],
    unallocated: Mapping[str, Decimal],
    products: Iterable[ProductInput],
    pools: Iterable[CostPool],
) -> None:
    """Nothing lost, nothing invented: full costs + unallocated = direct + capital + pools."""
    spent = sum((p.direct + p.capital for p in products), ZERO)
    spent += sum((pool.amount for pool in pools), ZERO)
    borne = sum((c.full_cost for c in costs), ZERO) + sum(unallocated.values(), ZERO)
    assert borne == spent, f"full costs + unallocated {borne} ≠ costs {spent}"
