"""An invoice's specification as a PDF: the same lines, bases and devices as its page.

Drawn with fpdf2 (pure Python) in its built-in Helvetica, so nothing depends on the fonts a
server happens to have. The built-in fonts cover Latin-1, which holds Swedish (å, ä, ö, é);
any other character is replaced by a look-alike or ``?`` rather than failing the download. The
words follow the active language, as the page does; amounts are formatted as on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from samkalk.apps.billing.itemisation import itemised_lines
from samkalk.apps.billing.models import Invoice, InvoiceLine
from samkalk.core.money import from_ore
from samkalk.reports import formatting

LOOK_ALIKE = str.maketrans({"–": "-", "—": "-", "−": "-", "’": "'", "“": '"', "”": '"', "…": "..."})
# What an invoice line rests on (InvoiceLine.source), in words.
SOURCE_LABELS = {
    "key_share": gettext_lazy("key share"),
    "usage": gettext_lazy("usage"),
    "device": gettext_lazy("devices"),
    "pass_through": gettext_lazy("pass-through cost"),
    "direct_purchase": gettext_lazy("direct purchase"),
    "adjustment": gettext_lazy("adjustment"),
    "settlement": gettext_lazy("settlement"),
}

# (heading, width in mm, right-aligned) of the lines table; A4 portrait has 180 mm inside margins
COLUMNS = (
    ("#", 8, False),
    ("description", 64, False),
    ("basis", 48, False),
    ("vat", 18, True),
    ("amount", 42, True),
)


@dataclass(frozen=True, slots=True)
class PdfFacts:
    """What the page header says about the invoice: (label, value) pairs, already worded."""

    title: str
    facts: Sequence[tuple[str, str]]


def _text(value: object) -> str:
    return str(value).translate(LOOK_ALIKE).encode("latin-1", "replace").decode("latin-1")


def _kr(ore: int) -> str:
    return f"{formatting.kronor_ore(from_ore(ore))} kr"


def line_basis(line: InvoiceLine) -> str:
    """``quantity × unit price``, the line's basis as the page prints it."""
    price = formatting.kronor_ore(from_ore(line.unit_price_ore))
    return f"{formatting.number(line.quantity)} × {price}"


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))


def invoice_pdf(invoice: Invoice, facts: PdfFacts) -> bytes:
    """The specification of ``invoice`` (its lines in order, each with its devices) as PDF."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_text(facts.title))
    pdf.set_creator("Samkalk")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, _text(facts.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9.5)
    for label, value in facts.facts:
        pdf.cell(45, 5.5, _text(label))
        pdf.cell(0, 5.5, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    headings = {
        "#": "#",
        "description": _("Description"),
        "basis": _("Quantity × unit price"),
        "vat": _("VAT"),
        "amount": _("Amount (SEK)"),
    }
    pdf.set_font("Helvetica", "B", 9.5)
    for key, width, right in COLUMNS:
        pdf.cell(width, 7, _text(headings[key]), border="B", align="R" if right else "L")
    pdf.ln()
    for line, devices in itemised_lines(invoice):
        _line(pdf, line, devices)
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 9.5)
    for label, ore, bold in (
        (_("Net"), invoice.net_ore, False),
        (_("VAT"), invoice.vat_ore, False),
        (_("Total"), invoice.total_ore, True),
    ):
        pdf.set_font("Helvetica", "B" if bold else "", 10 if bold else 9.5)
        pdf.cell(138, 6, _text(label), align="R")
        pdf.cell(42, 6, _text(_kr(ore)), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _line(pdf: FPDF, line: InvoiceLine, devices: list[tuple[str, Decimal]]) -> None:
    pdf.set_font("Helvetica", "", 9.5)
    values = (
        str(line.position),
        f"{line.description} ({source_label(line.source)})",
        line_basis(line),
        formatting.percent(line.vat_percent),
        _kr(line.amount_ore),
    )
    for (_key, width, right), value in zip(COLUMNS, values, strict=True):
        pdf.cell(width, 6, _text(value)[:60], align="R" if right else "L")
    pdf.ln()
    pdf.set_font("Helvetica", "", 8.5)
    period = f"{line.period_start:%Y-%m-%d} - {line.period_end:%Y-%m-%d}"
    note = f"{period}. {line.note}" if line.note else period
    pdf.set_x(pdf.l_margin + 8)
    pdf.multi_cell(172, 4.5, _text(note), new_x="LMARGIN", new_y="NEXT")
    if devices:
        pdf.set_x(pdf.l_margin + 8)
        pdf.cell(0, 4.5, _text(_("Devices (inventory number, amount):")), new_x="LMARGIN")
        pdf.ln()
        for tag, amount in devices:
            pdf.set_x(pdf.l_margin + 14)
            pdf.cell(40, 4.5, _text(tag))
            pdf.cell(30, 4.5, _text(formatting.kronor_ore(amount)))
            pdf.ln()
    pdf.ln(1.5)
