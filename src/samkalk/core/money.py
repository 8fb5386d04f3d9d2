"""Money: one constructor, one rounding rule, one way to split an amount.

Amounts are ``Decimal`` in kronor inside the program and whole öre (integers) in the database.
Rounding happens only here, at points the callers name, so that the same figure is never rounded
twice in two different ways. Splitting an amount (between members, products, months) uses the
largest-remainder method on whole öre, so the parts always add up to the whole to the öre.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
ORE = Decimal("0.01")
_HUNDRED = Decimal(100)


class MoneyError(ValueError):
    """A value that cannot be an amount of money."""


def D(value: str | int | Decimal) -> Decimal:
    """The one constructor for amounts: from text, int or Decimal, never from float."""
    if isinstance(value, (bool, float)):
        raise MoneyError(f"amounts are never built from {type(value).__name__}: {value!r}")
    try:
        result = Decimal(value) if not isinstance(value, str) else Decimal(value.strip())
    except InvalidOperation as exc:
        raise MoneyError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise MoneyError(f"not a finite number: {value!r}")
    return result


def round_ore(amount: Decimal) -> Decimal:
    """Round to whole öre, half away from zero (the Swedish commercial rule)."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def to_ore(amount: Decimal) -> int:
    """Kronor → integer öre for storage; the amount must already be whole öre."""
    ore = amount * _HUNDRED
    if ore != ore.to_integral_value():
        raise MoneyError(f"{amount} is not a whole number of öre; round it first")
    return int(ore)


def from_ore(ore: int) -> Decimal:
    """Integer öre from storage → kronor with two decimals."""
    return (Decimal(ore) / _HUNDRED).quantize(ORE)


def apportion(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (whole öre) in proportion to ``weights``; the parts sum to ``total``.

    Largest remainder on whole öre: every part is within one öre of its exact quota, a zero
    weight gets zero, and ties are broken by position (earlier first), so the result depends on
    the weights alone and not on how the caller happened to sort anything else.
    Negative totals are split as the mirror image of the positive total.
    """
    total_ore = to_ore(total)
    if any(w < 0 for w in weights):
        raise MoneyError("weights must not be negative")
    weight_sum = sum(weights, ZERO)
    if not weights:
        raise MoneyError("cannot split an amount between no parts")
    if weight_sum == 0:
        if total_ore == 0:
            return [ZERO.quantize(ORE) for _ in weights]
        raise MoneyError("cannot split a non-zero amount by weights that are all zero")
    sign = -1 if total_ore < 0 else 1
    magnitude = abs(total_ore)
    floors: list[int] = []
    remainders: list[tuple[Decimal, int]] = []
    for index, weight in enumerate(weights):
        quota = Decimal(magnitude) * weight / weight_sum
        floor = int(quota)  # quota >= 0, so int() is the floor
        floors.append(floor)
        remainders.append((quota - floor, index))
    leftover = magnitude - sum(floors)
    # Largest remainder first; among equal remainders the earlier position wins.
    for _, index in sorted(remainders, key=lambda r: (-r[0], r[1]))[:leftover]:
        floors[index] += 1
    parts = [from_ore(sign * f) for f in floors]
    assert sum(parts, ZERO) == from_ore(total_ore), "apportion must preserve the total"
    return parts


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole`` with one decimal, as budget tables show it."""
    if whole == 0:
        return ZERO
    return (part * _HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
