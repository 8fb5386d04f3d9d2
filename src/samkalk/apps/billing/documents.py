"""A posted invoice as a ``core.invoice.Document``: what the e-invoice and the ledger export.

Seller: the federation (Peppol ID 0007:<org number>, VAT number SE<org number>01, bankgiro,
"Godkänd för F-skatt"). Buyer: the invoiced organisation, with its own organisation number and
Peppol ID where it has them (a company), else its member's (a department invoices in the
municipality's name).
"""

from __future__ import annotations

from samkalk.apps.billing.models import Invoice
from samkalk.apps.federation.models import Federation, Organisation
from samkalk.core.identity import peppol_id_for, vat_number_for
from samkalk.core.invoice import Document, DocumentKind, DocumentLine, Party, category_of_rate
from samkalk.core.money import from_ore


def seller_party(federation: Federation) -> Party:
    return Party(
        name=federation.name,
        org_number=federation.org_number,
        peppol_id=federation.effective_peppol_id,
        street=federation.street,
        postal_code=federation.postal_code,
        city=federation.city,
        email=federation.email,
        vat_number=vat_number_for(federation.org_number),
    )


def buyer_party(organisation: Organisation) -> Party:
    member = organisation.member
    org_number = organisation.org_number or member.org_number
    peppol_id = organisation.peppol_id or (
        peppol_id_for(organisation.org_number)
        if organisation.org_number
        else member.effective_peppol_id
    )
    return Party(name=organisation.name, org_number=org_number, peppol_id=peppol_id)


def invoice_document(invoice: Invoice, federation: Federation | None = None) -> Document:
    federation = federation or Federation.objects.get()
    credited = invoice.credits or _settled(invoice)
    lines = tuple(
        DocumentLine(
            line_id=str(line.position),
            product_code=line.product.code,
            name=line.description,
            quantity=line.quantity,
            unit_code=line.unit_code,
            unit_price=from_ore(line.unit_price_ore),
            amount=from_ore(line.amount_ore),
            vat_category=category_of_rate(line.vat_percent),
            vat_percent=line.vat_percent,
            period_start=line.period_start,
            period_end=line.period_end,
            note=line.note,
        )
        for line in invoice.lines.select_related("product").defer("devices").order_by("position")
    )
    return Document(
        kind=DocumentKind(invoice.kind),
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        seller=seller_party(federation),
        buyer=buyer_party(invoice.organisation),
        buyer_reference=invoice.buyer_reference,
        lines=lines,
        bankgiro=federation.bankgiro,
        payment_terms=f"{federation.payment_terms_days} dagar netto",
        note=invoice.reason,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        preceding_number=credited.number if credited else "",
        preceding_issue_date=credited.issue_date if credited else None,
    )


def _settled(invoice: Invoice) -> Invoice | None:
    """A settlement's credit note pays back part of the year's billing: it refers to the
    recipient's last invoice of that year."""
    if invoice.kind != Invoice.Kind.CREDIT_NOTE or invoice.run is None:
        return None
    if invoice.run.kind != invoice.run.Kind.SETTLEMENT:
        return None
    return (
        Invoice.objects.filter(
            organisation=invoice.organisation,
            kind=Invoice.Kind.INVOICE,
            run__kind=invoice.run.Kind.MONTH,
            period_start__year=invoice.period_start.year,
        )
        .order_by("-issue_date", "-number")
        .first()
    )
