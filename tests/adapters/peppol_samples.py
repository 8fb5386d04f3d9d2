"""Invoice documents for the Peppol tests: Västmanlands IT-förbund bills Köpings kommun, March 2025.

Organisation numbers are valid (Luhn) so that only the deliberately broken documents break rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from samkalk.core.invoice import (
    Document,
    DocumentKind,
    DocumentLine,
    Party,
    VatCategory,
    line_amount,
)

MARCH_START = dt.date(2025, 3, 1)
MARCH_END = dt.date(2025, 3, 31)

SELLER = Party(
    name="Västmanlands IT-förbund",
    org_number="222000-1636",
    peppol_id="0007:2220001636",
    street="Stora Gatan 12",
    postal_code="722 12",
    city="Västerås",
    email="ekonomi@it-forbundet.example",
    vat_number="SE222000163601",
)
BUYER = Party(
    name="Köpings kommun",
    org_number="212000-2080",
    peppol_id="0007:2120002080",
    street="Box 54",
    postal_code="731 21",
    city="Köping",
)


def line(
    line_id: str,
    code: str,
    name: str,
    quantity: str,
    unit: str,
    price: str,
    *,
    exempt: bool = False,
    percent: str = "25",
    period: bool = False,
    note: str = "",
) -> DocumentLine:
    """A line whose amount is what the core computes: quantity × price rounded to öre."""
    q, p = Decimal(quantity), Decimal(price)
    return DocumentLine(
        line_id=line_id,
        product_code=code,
        name=name,
        quantity=q,
        unit_code=unit,
        unit_price=p,
        amount=line_amount(q, p),
        vat_category=VatCategory.EXEMPT if exempt else VatCategory.STANDARD,
        vat_percent=Decimal(0) if exempt else Decimal(percent),
        period_start=MARCH_START if period else None,
        period_end=MARCH_END if period else None,
        note=note,
    )


def typical_invoice() -> Document:
    """Base grant by key share, device rent, a returned laptop, a pass-through licence cost."""
    lines = (
        line(
            "1",
            "GRUND",
            "Grundfinansiering mars 2025",
            "1",
            "MON",
            "41666.67",
            period=True,
            note="Andel 37,5 % enligt fördelningsnyckel 2025",
        ),
        line("2", "DATOR-STD", "Hyra bärbar dator, standard", "37", "EA", "312.50", period=True),
        line("3", "SKARM-27", "Hyra bildskärm 27 tum", "12", "EA", "87.3333", period=True),
        line(
            "4",
            "DATOR-STD",
            "Hyra bärbar dator, återlämnad 15 mars",
            "-0.5",
            "EA",
            "312.50",
            period=True,
            note="Rättelse: halv månad",
        ),
        line(
            "5",
            "VIDARE-LIC",
            "Vidarefakturering licenser (utlägg)",
            "1",
            "EA",
            "18450",
            exempt=True,
        ),
    )
    return Document(
        kind=DocumentKind.INVOICE,
        number="2025-0042",
        issue_date=dt.date(2025, 3, 5),
        due_date=dt.date(2025, 4, 4),
        seller=SELLER,
        buyer=BUYER,
        buyer_reference="KOP-IT-4711",
        lines=lines,
        bankgiro="5050-1055",
        payment_terms="30 dagar netto",
        note="Fakturering enligt förbundsordningen",
        period_start=MARCH_START,
        period_end=MARCH_END,
    )


def credit_note() -> Document:
    """Two laptops too many on invoice 2025-0042, credited with positive amounts."""
    lines = (
        line("1", "DATOR-STD", "Hyra bärbar dator, standard", "2", "EA", "312.50", period=True),
    )
    return Document(
        kind=DocumentKind.CREDIT_NOTE,
        number="2025-K007",
        issue_date=dt.date(2025, 3, 20),
        due_date=dt.date(2025, 4, 19),
        seller=SELLER,
        buyer=BUYER,
        buyer_reference="KOP-IT-4711",
        lines=lines,
        bankgiro="5050-1055",
        payment_terms="Avräknas mot nästa faktura",
        note="Kreditering av två datorer som inte levererades",
        period_start=MARCH_START,
        period_end=MARCH_END,
        preceding_number="2025-0042",
        preceding_issue_date=dt.date(2025, 3, 5),
    )


def minimal_invoice() -> Document:
    """One line, no periods, no notes, no e-mail: only what the rules demand."""
    return Document(
        kind=DocumentKind.INVOICE,
        number="2025-0001",
        issue_date=dt.date(2025, 1, 10),
        due_date=dt.date(2025, 2, 9),
        seller=dataclasses.replace(SELLER, email=""),
        buyer=BUYER,
        buyer_reference="KOP-IT",
        lines=(line("1", "SUPPORT", "Support", "1", "EA", "100"),),
        bankgiro="505-1055",
        payment_terms="30 dagar netto",
    )
