"""Pricing guidelines instead of a fixed price list: who may set a price, and when.

Prices are set once a year with the budget, under a pricing guideline. A price that changes
during the year needs a decision: the object's steering group (or a delegated decision) may
decide it when the guideline lets object owners adjust prices within it, otherwise only the
board may.
"""

from __future__ import annotations

import datetime as dt

from samkalk.core.errors import CoreError

BOARD = "board"
OWNER_BODIES = frozenset({"steering_group", "delegated"})


def price_change_problems(
    valid_from: dt.date, decision_body: str | None, object_owner_may_decide: bool
) -> list[CoreError]:
    """Why a price from ``valid_from`` decided by ``decision_body`` is not allowed (or [])."""
    if decision_body is None:
        if (valid_from.month, valid_from.day) == (1, 1):
            return []
        return [
            CoreError(
                "price.decision_required",
                f"a price that changes during the year ({valid_from.isoformat()}) needs a "
                "decision reference",
            )
        ]
    if decision_body == BOARD:
        return []
    if object_owner_may_decide and decision_body in OWNER_BODIES:
        return []
    return [
        CoreError(
            "price.board_required",
            "the pricing guideline does not let the object owner change prices; "
            "the board must decide",
        )
    ]
