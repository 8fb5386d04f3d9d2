"""Read-only listings of the registers for the command line (members, keys, products)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from samkalk.apps.catalogue.models import Product
from samkalk.apps.federation.models import AllocationKey, Member
from samkalk.core.errors import CoreError
from samkalk.core.money import percent
from samkalk.reports.keys import key_values_for_year


def member_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": m.code,
            "name": m.name,
            "org_number": m.org_number,
            "peppol_id": m.effective_peppol_id,
            "organisations": m.organisations.count(),
            "illustrative": m.illustrative,
        }
        for m in Member.objects.prefetch_related("organisations")
    ]


def key_share_rows(year: int) -> tuple[list[dict[str, Any]], list[CoreError]]:
    """Per key and member: the value the key's rule picks for ``year`` and the share."""
    rows: list[dict[str, Any]] = []
    errors: list[CoreError] = []
    by_key = key_values_for_year(year)
    for key in AllocationKey.objects.all():
        chosen, problems = by_key[key.pk]
        errors.extend(problems)
        total = sum(chosen.values(), Decimal(0))
        for member, value in chosen.items():
            rows.append(
                {
                    "key": key.code,
                    "as_of": key.snapshot_rule.date_for(year),
                    "member": member,
                    "value": value.quantize(Decimal(1)) if value == value.to_integral() else value,
                    "share_percent": percent(value, total),
                }
            )
    return rows, errors


def product_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": p.code,
            "name": p.name,
            "object": p.governance_object.name if p.governance_object else "",
            "category": p.category,
            "price_model": p.price_model,
            "unit": p.unit,
            "allocation_key": p.allocation_key.code if p.allocation_key else "",
            "vat_rate": p.vat_rate,
        }
        for p in Product.objects.select_related("governance_object", "allocation_key")
    ]
