"""Service-to-service allocation (tjänst till tjänst): a product taking over part of another.

The central IT environment, say, is passed on in part to the products that use the servers. A
consumption moves a percentage of the provider's whole accumulated cost (including what it
received itself) to the consumer, so providers are taken in dependency order; a cycle would make
a cost depend on itself and is refused with an error naming the products.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, apportion

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Consumption:
    """Tjänst till tjänst: ``consumer`` takes ``percent`` of ``provider``'s full cost."""

    consumer: str
    provider: str
    percent: Decimal


def consumption_graph(
    consumptions: tuple[Consumption, ...],
    products: Mapping[str, object],
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
    products: Mapping[str, object],
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


def pass_on(
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
