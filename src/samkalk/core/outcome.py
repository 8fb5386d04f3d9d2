"""The year's actual costs (utfall) from the federation's ledger, for the year-end settlement.

The ledger says which product or cost pool a cost belongs to by its objects, as SIE carries
them: the project dimension (6) names a product, the cost-centre dimension (1) names a cost
pool, and the member dimension (2), when given, marks a cost that member bears alone (it must
then name a product as well). Only cost accounts count (Kommun-Bas and BAS: 4000–8999, debit
positive); a cost transaction that names neither a product nor a cost pool is reported, never
dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Set
from dataclasses import dataclass
from decimal import Decimal

from samkalk.core.errors import CoreError
from samkalk.core.ledger import Voucher
from samkalk.core.money import ZERO

COST_CENTRE_DIMENSION = 1
MEMBER_DIMENSION = 2
PROJECT_DIMENSION = 6
COST_ACCOUNTS = range(4000, 9000)


@dataclass(frozen=True, slots=True)
class ActualAmount:
    """One actual cost of the year: of a product or a pool, possibly borne by one member."""

    product: str
    cost_pool: str
    member: str
    amount: Decimal


def actual_costs(
    vouchers: Iterable[Voucher],
    year: int,
    products: Set[str],
    pools: Set[str],
    members: Set[str],
) -> tuple[tuple[ActualAmount, ...], tuple[CoreError, ...]]:
    """The year's cost transactions summed per (product, pool, member)."""
    sums: dict[tuple[str, str, str], Decimal] = {}
    errors: list[CoreError] = []
    for voucher in vouchers:
        if voucher.date.year != year:
            continue
        for t in voucher.transactions:
            if not t.account.isdigit() or int(t.account) not in COST_ACCOUNTS:
                continue
            key, problem = _key(dict(t.objects), products, pools, members, voucher.date)
            if problem is not None:
                errors.append(
                    CoreError(problem[0], f"#VER {voucher.series} {voucher.number}: {problem[1]}")
                )
                continue
            sums[key] = sums.get(key, ZERO) + t.amount
    rows = tuple(ActualAmount(*key, amount) for key, amount in sorted(sums.items()) if amount)
    return rows, tuple(errors)


def _key(
    objects: dict[int, str],
    products: Set[str],
    pools: Set[str],
    members: Set[str],
    day: dt.date,
) -> tuple[tuple[str, str, str], tuple[str, str] | None]:
    product = objects.get(PROJECT_DIMENSION, "")
    pool = objects.get(COST_CENTRE_DIMENSION, "") if not product else ""
    member = objects.get(MEMBER_DIMENSION, "")
    if product and product not in products:
        return ("", "", ""), ("outcome.unknown_product", f"no product {product!r}")
    if pool and pool not in pools:
        return ("", "", ""), ("outcome.unknown_pool", f"no cost pool {pool!r}")
    if member and member not in members:
        return ("", "", ""), ("outcome.unknown_member", f"no member {member!r}")
    if not (product or pool):
        return ("", "", ""), (
            "outcome.unassigned",
            f"a cost of {day.isoformat()} names no product (dimension 6) or cost pool (1)",
        )
    if member and not product:
        return ("", "", ""), (
            "outcome.member_cost_needs_product",
            "a cost one member bears alone names the product it is invoiced under",
        )
    return (product, pool, member), None
