"""Amounts kept as integer öre in a model's ``amount_ore`` column, read as kronor."""

from __future__ import annotations

from decimal import Decimal

from samkalk.core.money import from_ore


class AmountInOre:
    """Mixin for models with ``amount_ore``: ``amount`` is the same figure as Decimal kronor."""

    amount_ore: int

    @property
    def amount(self) -> Decimal:
        return from_ore(self.amount_ore)
