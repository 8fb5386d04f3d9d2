"""Importing a year's actual costs from the ledger's SIE file: all of it or nothing, audited.

Reading and mapping are pure (``adapters.sie.reader``, ``core.outcome``); this writes the
result as ``ActualCost`` rows of the year in one transaction — a row of the same product, pool
and member is updated, a new one created — with an audit row for each. Nothing is written when
the file has any problem; every problem is reported with its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samkalk.adapters.sie.reader import read_sie
from samkalk.apps.audit.services import audit_record, snapshot
from samkalk.apps.billing.models import ActualCost
from samkalk.apps.catalogue.models import CostPool, Product
from samkalk.apps.federation.models import Member
from samkalk.core.errors import CoreError
from samkalk.core.money import to_ore
from samkalk.core.outcome import ActualAmount, actual_costs


@dataclass(frozen=True, slots=True)
class OutcomeImport:
    rows: tuple[ActualAmount, ...]
    errors: tuple[CoreError, ...]
    written: int


def actual_costs_import(
    data: bytes, year: int, *, file_name: str, actor: Any, dry_run: bool = False
) -> OutcomeImport:
    """Read the SIE file and, unless ``dry_run`` or anything is wrong, store the year's rows."""
    contents = read_sie(data, file_name)
    products = dict(Product.objects.values_list("code", "pk"))
    pools = dict(CostPool.objects.values_list("code", "pk"))
    members = dict(Member.objects.values_list("code", "pk"))
    rows, problems = actual_costs(contents.vouchers, year, set(products), set(pools), set(members))
    errors = (*contents.errors, *problems)
    if errors or dry_run or not rows:
        return OutcomeImport(rows, errors, 0)
    with transaction.atomic():
        for row in rows:
            key: dict[str, Any] = {  # an empty code is NULL: no product, pool or member
                "year": year,
                "product_id": products.get(row.product),
                "cost_pool_id": pools.get(row.cost_pool),
                "member_id": members.get(row.member),
            }
            found, created = ActualCost.objects.get_or_create(
                **key, defaults={"amount_ore": to_ore(row.amount)}
            )
            before = None if created else snapshot(found)
            if not created:
                found.amount_ore = to_ore(row.amount)
                found.save(update_fields=["amount_ore"])
            audit_record(
                actor=actor,
                via=f"SIE {file_name}",
                action="create" if created else "update",
                instance=found,
                before=before,
                after=snapshot(found),
            )
    return OutcomeImport(rows, (), len(rows))
