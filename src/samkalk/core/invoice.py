"""Invoice documents (fakturor och kreditnotor) as the exports see them, and their VAT sums.

A posted invoice becomes a ``Document``: seller, buyer, lines with net amounts and VAT rates.
The totals follow EN 16931 so the e-invoice, the accounting voucher and the specification agree
to the öre: the line net amount is quantity × unit price rounded to öre; the VAT of each VAT
category and rate is its taxable amount × rate rounded to öre once (not per line); the amount
due is the sum of the lines plus that VAT. A credit note carries positive amounts and refers to
the invoice it corrects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from samkalk.core.money import ZERO, round_ore


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class VatCategory(StrEnum):
    """UNCL5305 codes used here: standard rate, or exempt from VAT."""

    STANDARD = "S"
    EXEMPT = "E"


@dataclass(frozen=True, slots=True)
class Party:
    """Säljare eller köpare: name, organisation number (NNNNNN-NNNN), Peppol ID, address."""

    name: str
    org_number: str
    peppol_id: str  # "0007:NNNNNNNNNN"
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "SE"
    email: str = ""
    vat_number: str = ""  # the seller's: "SE" + 10 digits + "01"


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """Fakturarad: net amount = round_ore(quantity × unit price)."""

    line_id: str
    product_code: str
    name: str
    quantity: Decimal
    unit_code: str  # UN/ECE Recommendation 20, e.g. "EA" (each), "MON" (month)
    unit_price: Decimal
    amount: Decimal
    vat_category: VatCategory = VatCategory.STANDARD
    vat_percent: Decimal = Decimal(25)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """Faktura eller kreditnota, ready for export."""

    kind: DocumentKind
    number: str
    issue_date: dt.date
    due_date: dt.date
    seller: Party
    buyer: Party
    buyer_reference: str
    lines: tuple[DocumentLine, ...]
    bankgiro: str  # "123-4567"
    payment_terms: str  # e.g. "30 dagar netto"
    seller_tax_note: str = "Godkänd för F-skatt"
    currency: str = "SEK"
    note: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    preceding_number: str = ""  # a credit note: the invoice it corrects …
    preceding_issue_date: dt.date | None = None  # … and that invoice's date


@dataclass(frozen=True, slots=True)
class VatSubtotal:
    category: VatCategory
    percent: Decimal
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    line_extension: Decimal  # Σ line net amounts
    tax_exclusive: Decimal  # = line_extension (no document-level allowances or charges)
    tax: Decimal  # Σ VAT subtotals
    tax_inclusive: Decimal
    payable: Decimal
    vat: tuple[VatSubtotal, ...]


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """The net amount of a line: quantity × unit price, rounded to öre."""
    return round_ore(quantity * unit_price)


def category_of_rate(vat_percent: Decimal) -> VatCategory:
    """Samkalk bills at a standard rate or exempt (0 %): the rate names the category."""
    return _STANDARD if vat_percent else _EXEMPT


# Read once: looking a member up on its enum class, a hundred thousand times a run, adds up.
_STANDARD, _EXEMPT = VatCategory.STANDARD, VatCategory.EXEMPT


def vat_breakdown(lines: tuple[DocumentLine, ...]) -> tuple[VatSubtotal, ...]:
    """One subtotal per VAT category and rate, the tax rounded once per subtotal."""
    return vat_subtotals((line.vat_category, line.vat_percent, line.amount) for line in lines)


def vat_subtotals(
    amounts: Iterable[tuple[VatCategory, Decimal, Decimal]],
) -> tuple[VatSubtotal, ...]:
    """``vat_breakdown`` of (category, rate, net amount) per line: what a draft needs of its
    lines, without making each a ``DocumentLine`` first."""
    taxable: dict[tuple[VatCategory, Decimal], Decimal] = {}
    for category, percent, amount in amounts:
        key = (category, percent)
        taxable[key] = taxable.get(key, ZERO) + amount
    return tuple(
        VatSubtotal(category, percent, amount, round_ore(amount * percent / 100))
        for (category, percent), amount in sorted(taxable.items())
    )


def totals(document: Document) -> DocumentTotals:
    """The document's sums as EN 16931 computes them (BR-CO-10 … BR-CO-16)."""
    subtotals = vat_breakdown(document.lines)
    net = sum((line.amount for line in document.lines), ZERO)
    tax = sum((s.tax for s in subtotals), ZERO)
    return DocumentTotals(net, net, tax, net + tax, net + tax, subtotals)
