"""Who decides an investment: the board's rule for unspecified money (utvecklingspott).

From the board's economic guidelines: budgeted investments not bound to a specific project are
decided by the board when their accumulated volume in a year exceeds six price base amounts;
below that the federation decides itself. The multiple is a parameter, not a constant of the
code, so another federation's guideline fits too.
"""

from __future__ import annotations

from decimal import Decimal

from samkalk.core.errors import CoreError

BOARD_DECISION_MULTIPLE = Decimal(6)


def board_decision_required(
    volume: Decimal, price_base_amount: Decimal, multiple: Decimal = BOARD_DECISION_MULTIPLE
) -> bool:
    """True when a year's unspecified volume exceeds ``multiple`` price base amounts."""
    return volume > multiple * price_base_amount


def decided_problems(
    *,
    year: int,
    volume: Decimal,
    price_base_amount: Decimal | None,
    decided_by_board: bool,
    multiple: Decimal = BOARD_DECISION_MULTIPLE,
) -> list[CoreError]:
    """Problems with marking a year's unspecified investments decided."""
    if price_base_amount is None:
        return [
            CoreError(
                "investment.no_price_base_amount",
                f"no price base amount for {year} to compare the volume with",
            )
        ]
    if board_decision_required(volume, price_base_amount, multiple) and not decided_by_board:
        limit = multiple * price_base_amount
        return [
            CoreError(
                "investment.board_decision_required",
                f"the unspecified investments of {year} amount to {volume} kr, more than "
                f"{multiple} price base amounts ({limit} kr): only a referenced board decision "
                "can mark them decided",
            )
        ]
    return []
