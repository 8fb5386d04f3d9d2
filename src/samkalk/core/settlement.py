"""Year-end settlement (slutavräkning): what each member should have paid, against what it did.

For each product the year's actual full cost is set against what was billed for it. The
difference — a surplus to pay back or a deficit to charge — is split between the members by
the product's rule: by their share of what was billed for the product (consumption), or by an
allocation key's values (users per member on 1 January of the year before, say). A cost that
belongs to one member alone (a committee's fees one municipality bears) is not split: it goes
to that member whole. Every split goes through ``money.apportion``, so the members' parts add up
to each product's difference to the öre.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, apportion


@dataclass(frozen=True, slots=True)
class ProductOutcome:
    """Utfall per produkt: the actual full cost, what each member was billed, and the rule.

    ``key_values`` empty: split by consumption (the billed amounts); else by these values.
    """

    product: str
    actual: Decimal
    billed: Mapping[str, Decimal]
    key_values: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MemberCost:
    """A cost one member bears alone."""

    member: str
    product: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class SettlementLine:
    product: str
    billed: Decimal
    actual: Decimal
    settlement: Decimal  # actual − billed: positive is charged, negative paid back
    own_cost: bool = False  # a cost the member bears alone


@dataclass(frozen=True, slots=True)
class MemberSettlement:
    member: str
    lines: tuple[SettlementLine, ...]
    billed: Decimal
    actual: Decimal
    settlement: Decimal


def settle(
    outcomes: tuple[ProductOutcome, ...],
    member_costs: tuple[MemberCost, ...],
    members: tuple[str, ...],
) -> tuple[tuple[MemberSettlement, ...], tuple[CoreError, ...]]:
    """Each member's settlement, in ``members`` order, with every product's share."""
    errors: list[CoreError] = []
    lines: dict[str, list[SettlementLine]] = defaultdict(list)
    for outcome in outcomes:
        for member, line in _product_lines(outcome, members, errors):
            lines[member].append(line)
    for cost in member_costs:
        if cost.member not in members:
            errors.append(CoreError("settlement.unknown_member", f"no member {cost.member}"))
            continue
        lines[cost.member].append(
            SettlementLine(cost.product, ZERO, cost.amount, cost.amount, True)
        )
    result = []
    for member in members:
        found = tuple(lines.get(member, ()))
        billed = sum((line.billed for line in found), ZERO)
        actual = sum((line.actual for line in found), ZERO)
        result.append(MemberSettlement(member, found, billed, actual, actual - billed))
    return tuple(result), tuple(errors)


def _product_lines(
    outcome: ProductOutcome, members: tuple[str, ...], errors: list[CoreError]
) -> list[tuple[str, SettlementLine]]:
    billed_total = sum(outcome.billed.values(), ZERO)
    difference = outcome.actual - billed_total
    weights_by_member = outcome.key_values or outcome.billed
    order = [m for m in members if m in weights_by_member or m in outcome.billed]
    weights = [max(weights_by_member.get(m, ZERO), ZERO) for m in order]
    if difference and not any(weights):
        errors.append(
            CoreError(
                "settlement.no_basis",
                f"product {outcome.product}: a difference of {difference} kr and no member to "
                "split it by (nothing billed and no key)",
            )
        )
        return []
    parts = apportion(difference, weights) if order else []
    result = []
    for member, part in zip(order, parts, strict=True):
        billed = outcome.billed.get(member, ZERO)
        if billed or part:
            result.append((member, SettlementLine(outcome.product, billed, billed + part, part)))
    return result
