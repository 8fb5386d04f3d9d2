"""A posted invoice as a ``core.invoice.Document``: what the e-invoice and the ledger export.

Seller: the federation (Peppol ID 0007:<org number>, VAT number SE<org number>01, bankgiro,
"Godkänd för F-skatt"). Buyer: the invoiced organisation, with its own organisation number and
Peppol ID where it has them (a company), else its member's (a department invoices in the
municipality's name).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import CharField, Min, Sum
from django.db.models.functions import Cast

from samkalk.apps.billing.models import Invoice, InvoiceLine
from samkalk.apps.federation.models import Federation, Organisation
from samkalk.core.identity import peppol_id_for, vat_number_for
from samkalk.core.invoice import Document, DocumentKind, DocumentLine, Party, category_of_rate
from samkalk.core.money import ORE, from_ore


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
    return invoice_documents([invoice], federation)[0]


def invoice_documents(
    invoices: Sequence[Invoice], federation: Federation | None = None
) -> list[Document]:
    """The invoices as documents, their lines read in one query as plain values: a month's
    export turns a hundred thousand lines into e-invoice and ledger lines, and building a model
    instance for each would cost more than writing it. Dates and decimals are read as text and
    converted once per distinct value (see ``_Values``)."""
    federation = federation or Federation.objects.get()
    seller = seller_party(federation)
    lines: dict[int, list[DocumentLine]] = {invoice.pk: [] for invoice in invoices}
    text = CharField()
    columns = (
        "invoice", "position", "product__code", "description", Cast("quantity", text),
        "unit_code", "unit_price_ore", "amount_ore", Cast("vat_percent", text),
        Cast("period_start", text), Cast("period_end", text), "note",
    )  # fmt: skip
    rows = InvoiceLine.objects.filter(invoice__in=list(lines)).order_by("invoice", "position")
    values = _Values()
    for invoice_id, *row in rows.values_list(*columns).iterator(chunk_size=20_000):
        lines[invoice_id].append(values.line(*row))
    return [
        _document(invoice, federation, seller, tuple(lines[invoice.pk])) for invoice in invoices
    ]


def ledger_documents(
    invoices: Sequence[Invoice], federation: Federation | None = None
) -> list[Document]:
    """The invoices as the ledger books them: each invoice's net per product and VAT rate as
    one line, in the order of the product's first line. A voucher sums the lines per revenue
    account and per VAT rate, so it comes out the same as from every line — from a fraction
    of the rows (a national month's hundred thousand lines are a few hundred products per
    invoice), summed by the database."""
    federation = federation or Federation.objects.get()
    seller = seller_party(federation)
    by_id = {invoice.pk: invoice for invoice in invoices}
    lines: dict[int, list[DocumentLine]] = {pk: [] for pk in by_id}
    rows = (
        InvoiceLine.objects.filter(invoice__in=list(by_id))
        .values("invoice", "product__code", "vat_percent")
        .annotate(first=Min("position"), ore=Sum("amount_ore"))
        .order_by("invoice", "first")
        .values_list("invoice", "first", "product__code", "vat_percent", "ore")
    )
    for invoice_id, first, code, vat, ore in rows:
        invoice, amount = by_id[invoice_id], from_ore(int(ore))
        lines[invoice_id].append(
            DocumentLine(
                line_id=str(first),
                product_code=code,
                name=code,
                quantity=Decimal(1),
                unit_code="EA",
                unit_price=amount,
                amount=amount,
                vat_category=category_of_rate(vat),
                vat_percent=vat,
                period_start=invoice.period_start,
                period_end=invoice.period_end,
            )
        )
    return [
        _document(invoice, federation, seller, tuple(lines[invoice.pk])) for invoice in invoices
    ]


class _Values:
    """A line's values from their database text, each distinct value converted once: a month's
    lines share a few dates, VAT rates, quantities and amounts, and converting every one of
    them (as the ORM does, row by row) cost more than the rest of reading them."""

    def __init__(self) -> None:
        self.decimal = functools.cache(lambda value: Decimal(value).quantize(ORE))
        self.date = functools.cache(dt.date.fromisoformat)
        self.kronor = functools.cache(from_ore)

    def line(
        self,
        position: int,
        code: str,
        name: str,
        quantity: str,
        unit: str,
        price: int,
        amount: int,
        vat: str,
        start: str,
        end: str,
        note: str,
    ) -> DocumentLine:
        percent = self.decimal(vat)
        return DocumentLine(
            line_id=str(position),
            product_code=code,
            name=name,
            quantity=self.decimal(quantity),
            unit_code=unit,
            unit_price=self.kronor(price),
            amount=self.kronor(amount),
            vat_category=category_of_rate(percent),
            vat_percent=percent,
            period_start=self.date(start),
            period_end=self.date(end),
            note=note,
        )


def _document(
    invoice: Invoice, federation: Federation, seller: Party, lines: tuple[DocumentLine, ...]
) -> Document:
    credited = invoice.credits or _settled(invoice)
    return Document(
        kind=DocumentKind(invoice.kind),
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        seller=seller,
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
