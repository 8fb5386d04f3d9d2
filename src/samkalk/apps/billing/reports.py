"""A billing run as plain data: the command line's JSON and the pages' tables.

Amounts are Decimal kronor (printed as strings with two decimals); a dry run's invoices have no
number yet.
"""

from __future__ import annotations

from typing import Any

from samkalk.apps.billing.models import BillingRun
from samkalk.apps.billing.services import Preview
from samkalk.apps.federation.models import Organisation
from samkalk.core.money import from_ore


def preview_dict(preview: Preview) -> dict[str, Any]:
    members = dict(Organisation.objects.values_list("code", "member__code"))
    return {
        "period": f"{preview.month:%Y-%m}",
        "total": preview.total,
        "invoices": [
            {
                "recipient": draft.recipient,
                "member": members.get(draft.recipient, draft.member),
                "number": None,
                "net": draft.net,
                "vat": draft.vat,
                "total": draft.total,
                "lines": [
                    {
                        "product": line.product,
                        "source": str(line.source),
                        "quantity": line.quantity,
                        "unit_price": line.unit_price,
                        "amount": line.amount,
                    }
                    for line in draft.lines
                ],
            }
            for draft in preview.drafts
        ],
        "differences": [
            {
                "recipient": d.recipient,
                "product": d.product,
                "previous": from_ore(d.previous),
                "current": from_ore(d.current),
            }
            for d in preview.differences
        ],
    }


def posted_run_dict(run: BillingRun) -> dict[str, Any]:
    invoices = run.invoices.select_related("organisation", "member").prefetch_related(
        "lines__product"
    )
    return {
        "period": f"{run.period:%Y-%m}",
        "total": from_ore(run.total_ore),
        "invoices": [
            {
                "recipient": invoice.organisation.code,
                "member": invoice.member.code,
                "number": invoice.number,
                "kind": invoice.kind,
                "net": from_ore(invoice.net_ore),
                "vat": from_ore(invoice.vat_ore),
                "total": from_ore(invoice.total_ore),
                "lines": [
                    {
                        "product": line.product.code,
                        "source": line.source,
                        "quantity": line.quantity,
                        "unit_price": from_ore(line.unit_price_ore),
                        "amount": from_ore(line.amount_ore),
                    }
                    for line in invoice.lines.all()
                ],
            }
            for invoice in invoices.order_by("number")
        ],
    }
