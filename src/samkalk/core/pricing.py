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

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, apportion, round_ore

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
class Consumption:
    """Tjänst till tjänst: ``consumer`` takes ``percent`` of ``provider``'s full cost."""

    consumer: str
    provider: str
    percent: Decimal


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
    received, passed_on = _pass_on(
        _consumption_graph(data.consumptions, products, errors), own_costs
    )
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


# --- service to service ---------------------------------------------------------------------


def _consumption_graph(
    consumptions: tuple[Consumption, ...],
    products: Mapping[str, ProductInput],
    errors: list[CoreError],
) -> dict[str, dict[str, Decimal]]:
    """Provider → consumer → percent: the consumptions that are carried out.

    Left out, with an error each: unknown products, negative or repeated consumptions, every
    consumption of a provider whose percentages add up to more than 100, and every consumption
    that touches a product in a cycle (its full cost would depend on itself).
    """
    gives = _valid_consumptions(consumptions, products, errors)
    in_cycle = _products_in_cycles(gives, errors)
    for provider, consumers in sorted(gives.items()):
        total = sum(consumers.values(), ZERO)
        if total > _HUNDRED:
            errors.append(
                CoreError(
                    "pricing.consumption_over_100",
                    f"other products consume {total} % of product {provider}, over 100 %; "
                    f"nothing of {provider} is passed on",
                )
            )
            consumers.clear()
    return {
        provider: {c: pct for c, pct in consumers.items() if c not in in_cycle}
        for provider, consumers in gives.items()
        if provider not in in_cycle
    }


def _valid_consumptions(
    consumptions: tuple[Consumption, ...],
    products: Mapping[str, ProductInput],
    errors: list[CoreError],
) -> dict[str, dict[str, Decimal]]:
    gives: dict[str, dict[str, Decimal]] = {}
    twice: set[tuple[str, str]] = set()
    for item in consumptions:
        unknown = [code for code in (item.consumer, item.provider) if code not in products]
        if unknown:
            errors.append(
                CoreError(
                    "pricing.unknown_product",
                    f"consumption of {item.provider} by {item.consumer}: unknown product "
                    + ", ".join(unknown),
                )
            )
        elif item.percent < 0:
            errors.append(
                CoreError(
                    "pricing.negative_consumption",
                    f"{item.consumer} consumes a negative {item.percent} % of {item.provider}",
                )
            )
        elif (
            item.consumer in gives.get(item.provider, {}) or (item.provider, item.consumer) in twice
        ):
            if (item.provider, item.consumer) not in twice:
                twice.add((item.provider, item.consumer))
                errors.append(
                    CoreError(
                        "pricing.duplicate_consumption",
                        f"{item.consumer} consumes {item.provider} more than once; "
                        "none of them is used",
                    )
                )
            gives[item.provider].pop(item.consumer, None)
        else:
            gives.setdefault(item.provider, {})[item.consumer] = item.percent
    return gives


def _products_in_cycles(
    gives: Mapping[str, Mapping[str, Decimal]], errors: list[CoreError]
) -> set[str]:
    """Every product on a cycle of consumptions, with one error per cycle naming its products."""
    takes: dict[str, set[str]] = {}
    for provider, consumers in gives.items():
        for consumer in consumers:
            takes.setdefault(consumer, set()).add(provider)
    in_cycle: set[str] = set()
    for component in _strong_components(takes):
        first = min(component)
        if len(component) == 1 and first not in takes.get(first, ()):
            continue
        in_cycle.update(component)
        path = " → ".join(_cycle_from(first, takes, component))
        errors.append(
            CoreError(
                "pricing.consumption_cycle",
                f"products consume each other in a cycle ({path}; → = consumes), so their full "
                f"cost cannot be computed; no transfers for {', '.join(sorted(component))}",
            )
        )
    return in_cycle


def _strong_components(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit on long chains)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(edges.get(root, ()))))]
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = [stack.pop()]
                    while component[-1] != node:
                        component.append(stack.pop())
                    on_stack.difference_update(component)
                    components.append(component)
    return components


def _cycle_from(start: str, edges: Mapping[str, set[str]], within: list[str]) -> list[str]:
    """The shortest cycle from ``start`` back to itself inside one component, e.g. [a, b, a]."""
    allowed = set(within)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(edges.get(node, ())):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if target in allowed and target not in came_from:
                came_from[target] = node
                queue.append(target)
    raise AssertionError(f"{start} is on no cycle")  # a component with a cycle always has one


def _pass_on(
    gives: Mapping[str, Mapping[str, Decimal]], own_costs: Mapping[str, Decimal]
) -> tuple[dict[str, dict[str, Decimal]], dict[str, dict[str, Decimal]]]:
    """Consumer → provider → amount received, and provider → consumer → amount passed on.

    Providers are taken in dependency order (Kahn): a provider passes on only once everything it
    receives is known, so what it passes on is a share of its whole accumulated cost. The
    accumulated cost is split over the consumers' percentages (in consumer-code order) and the
    rest of 100 %, which stays with the provider.
    """
    waiting: dict[str, int] = dict.fromkeys(gives, 0)
    for consumers in gives.values():
        for consumer in consumers:
            waiting[consumer] = waiting.get(consumer, 0) + 1
    ready = sorted((code for code, count in waiting.items() if count == 0), reverse=True)
    accumulated = dict(own_costs)
    received: dict[str, dict[str, Decimal]] = {}
    passed_on: dict[str, dict[str, Decimal]] = {}
    while ready:
        provider = ready.pop()
        takers = sorted(gives.get(provider, {}).items())
        if not takers:
            continue
        percents = [pct for _, pct in takers]
        parts = apportion(accumulated[provider], [*percents, _HUNDRED - sum(percents, ZERO)])
        for (consumer, _), part in zip(takers, parts, strict=False):
            accumulated[consumer] += part
            if part:
                received.setdefault(consumer, {})[provider] = part
                passed_on.setdefault(provider, {})[consumer] = part
            waiting[consumer] -= 1
            if waiting[consumer] == 0:
                ready.append(consumer)
    assert not any(waiting.values()), "the consumption graph must be free of cycles by now"
    return received, passed_on


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
