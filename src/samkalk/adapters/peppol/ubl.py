"""Write a ``Document`` as a Peppol BIS Billing 3.0 UBL 2.1 Invoice or CreditNote.

The e-invoice must agree with the voucher and the PDF to the öre, so every figure comes from the
core (``DocumentLine.amount``, ``totals()``, ``vat_breakdown()``) and nothing is rounded here:
an amount that is not whole öre is a bug upstream and raises ``MoneyError``. Elements are written
in the order the UBL 2.1 schema sequences demand (the XSD rejects any other order), and empty
values are left out rather than written as empty elements (PEPPOL-EN16931-R008).

The XML is written as text, not built as an lxml tree: a national month is some 125 000 invoice
lines, and creating ~16 elements per line and serialising them is several times slower than
formatting one template per line. The text is the same, byte for byte, as lxml's pretty print
(two-space indentation, ``<tag/>`` for an empty element, the same escaping), and every value
from the document is checked the way lxml checks it: a character XML 1.0 cannot carry raises
``ValueError``. Nothing here parses what it wrote; the XSD check in ``validate.py`` still guards
the structure before anything is sent.

Swedish choices, from the SE-R rules: parties are identified by organisation number under ICD
0007; the seller states its VAT number and, as a second tax scheme "TAX", "Godkänd för F-skatt";
payment is credit transfer (code 30) to a bankgiro account named by branch "SE:BANKGIRO".
UBL 2.1 CreditNote has no DueDate, so a credit note carries its due date in
PaymentMeans/PaymentDueDate, where Peppol maps BT-9 for credit notes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal

from samkalk.core.invoice import (
    Document,
    DocumentKind,
    DocumentLine,
    DocumentTotals,
    Party,
    VatCategory,
    VatSubtotal,
    totals,
)
from samkalk.core.money import ORE, from_ore, to_ore

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {"cac": CAC, "cbc": CBC}

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_TYPE_CODE = "380"  # commercial invoice
CREDIT_NOTE_TYPE_CODE = "381"
CREDIT_TRANSFER = "30"
BANKGIRO_BRANCH = "SE:BANKGIRO"
TAX_REGISTRATION_SCHEME = "TAX"  # the F-skatt statement, SE-R-005
EXEMPTION_REASON = "Undantag från skatteplikt"
ORG_NUMBER_SCHEME = "0007"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# XML 1.0's Char production: lxml refuses any other character (a lone surrogate included). The
# two "special" classes are the characters that can be written as they are, negated, so that the
# common value needs one scan and no replacing: text less & < > and CR, and an attribute value
# less those, " and the tab and line feed that libxml2 writes as character references.
_NOT_XML_CHAR = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT_SPECIAL = re.compile(
    r"[^\t\n\x20-\x25\x27-\x3b\x3d\x3f-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_ATTRIBUTE_SPECIAL = re.compile(
    r"[^\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_NOT_XML_MESSAGE = (
    "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
)


def invoice_xml(document: Document) -> bytes:
    """The document as pretty-printed UBL 2.1 (Invoice or CreditNote), UTF-8 with declaration."""
    credit = document.kind is DocumentKind.CREDIT_NOTE
    root = "CreditNote" if credit else "Invoice"
    parts = [
        _DECLARATION,
        f'<{root} xmlns="{CREDIT_NOTE_NS if credit else INVOICE_NS}" '
        f'xmlns:cac="{CAC}" xmlns:cbc="{CBC}">\n',
    ]
    parts += _header(document, credit)
    parts += _branch(1, "cac:AccountingSupplierParty", _party(document.seller, seller=document))
    parts += _branch(1, "cac:AccountingCustomerParty", _party(document.buyer, seller=None))
    parts += _payment(document, credit)
    sums = totals(document)
    parts += _tax_total(sums, document.currency)
    parts += _monetary_total(sums, document.currency)
    currency = f' currencyID="{_attribute(document.currency)}"'
    parts += (_line(line, currency, credit) for line in document.lines)
    parts.append(f"</{root}>\n")
    return "".join(parts).encode()


def _header(document: Document, credit: bool) -> list[str]:
    parts = [
        _leaf(1, "cbc:CustomizationID", CUSTOMIZATION_ID),
        _leaf(1, "cbc:ProfileID", PROFILE_ID),
        _leaf(1, "cbc:ID", document.number),
        _leaf(1, "cbc:IssueDate", _date(document.issue_date)),
    ]
    if credit:
        parts.append(_leaf(1, "cbc:CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE))
    else:
        parts.append(_leaf(1, "cbc:DueDate", _date(document.due_date)))
        parts.append(_leaf(1, "cbc:InvoiceTypeCode", INVOICE_TYPE_CODE))
    parts += _optional_leaf(1, "cbc:Note", document.note)
    parts.append(_leaf(1, "cbc:DocumentCurrencyCode", document.currency))
    parts += _optional_leaf(1, "cbc:BuyerReference", document.buyer_reference)
    parts += _period(1, document.period_start, document.period_end)
    if document.preceding_number:
        reference = [_leaf(3, "cbc:ID", document.preceding_number)]
        if document.preceding_issue_date is not None:
            reference.append(_leaf(3, "cbc:IssueDate", _date(document.preceding_issue_date)))
        parts += _branch(
            1, "cac:BillingReference", _branch(2, "cac:InvoiceDocumentReference", reference)
        )
    return parts


def _period(depth: int, start: dt.date | None, end: dt.date | None) -> list[str]:
    if start is None and end is None:
        return []
    period = []
    if start is not None:
        period.append(_leaf(depth + 1, "cbc:StartDate", _date(start)))
    if end is not None:
        period.append(_leaf(depth + 1, "cbc:EndDate", _date(end)))
    return _branch(depth, "cac:InvoicePeriod", period)


def _party(party: Party, *, seller: Document | None) -> list[str]:
    """Seller or buyer, inside its role; ``seller`` is the document when the party is its seller."""
    scheme, _, endpoint = party.peppol_id.partition(":")
    parts = [_leaf(3, "cbc:EndpointID", endpoint, schemeID=scheme)]
    org_number = _digits(party.org_number)
    if org_number:
        identification = _leaf(4, "cbc:ID", org_number, schemeID=ORG_NUMBER_SCHEME)
        parts += _branch(3, "cac:PartyIdentification", [identification])
    parts += _branch(3, "cac:PartyName", _optional_leaf(4, "cbc:Name", party.name))
    parts += _address(party)
    if party.vat_number:
        parts += _tax_scheme(party.vat_number, "VAT")
    if seller is not None and seller.seller_tax_note:
        parts += _tax_scheme(seller.seller_tax_note, TAX_REGISTRATION_SCHEME)
    legal = _optional_leaf(4, "cbc:RegistrationName", party.name)
    if org_number:
        legal.append(_leaf(4, "cbc:CompanyID", org_number, schemeID=ORG_NUMBER_SCHEME))
    parts += _branch(3, "cac:PartyLegalEntity", legal)
    if party.email:
        parts += _branch(3, "cac:Contact", [_leaf(4, "cbc:ElectronicMail", party.email)])
    return _branch(2, "cac:Party", parts)


def _address(party: Party) -> list[str]:
    parts = _optional_leaf(4, "cbc:StreetName", party.street)
    parts += _optional_leaf(4, "cbc:CityName", party.city)
    parts += _optional_leaf(4, "cbc:PostalZone", party.postal_code)
    parts += _branch(4, "cac:Country", _optional_leaf(5, "cbc:IdentificationCode", party.country))
    return _branch(3, "cac:PostalAddress", parts)


def _tax_scheme(company_id: str, scheme: str) -> list[str]:
    parts = [_leaf(4, "cbc:CompanyID", company_id)]
    parts += _branch(4, "cac:TaxScheme", [_leaf(5, "cbc:ID", scheme)])
    return _branch(3, "cac:PartyTaxScheme", parts)


def _payment(document: Document, credit: bool) -> list[str]:
    means = [_leaf(2, "cbc:PaymentMeansCode", CREDIT_TRANSFER)]
    if credit:
        means.append(_leaf(2, "cbc:PaymentDueDate", _date(document.due_date)))
    means.append(_leaf(2, "cbc:PaymentID", document.number))
    account = _optional_leaf(3, "cbc:ID", _digits(document.bankgiro))
    account += _branch(3, "cac:FinancialInstitutionBranch", [_leaf(4, "cbc:ID", BANKGIRO_BRANCH)])
    means += _branch(2, "cac:PayeeFinancialAccount", account)
    parts = _branch(1, "cac:PaymentMeans", means)
    if document.payment_terms:
        parts += _branch(1, "cac:PaymentTerms", [_leaf(2, "cbc:Note", document.payment_terms)])
    return parts


def _tax_total(sums: DocumentTotals, currency: str) -> list[str]:
    parts = [_amount(2, "cbc:TaxAmount", sums.tax, currency)]
    for subtotal in sums.vat:
        parts += _tax_subtotal(subtotal, currency)
    return _branch(1, "cac:TaxTotal", parts)


def _tax_subtotal(subtotal: VatSubtotal, currency: str) -> list[str]:
    parts = [
        _amount(3, "cbc:TaxableAmount", subtotal.taxable, currency),
        _amount(3, "cbc:TaxAmount", subtotal.tax, currency),
    ]
    category = [
        _leaf(4, "cbc:ID", subtotal.category.value),
        _leaf(4, "cbc:Percent", _percent(subtotal.category, subtotal.percent)),
    ]
    if subtotal.category is VatCategory.EXEMPT:
        category.append(_leaf(4, "cbc:TaxExemptionReason", EXEMPTION_REASON))
    category += _branch(4, "cac:TaxScheme", [_leaf(5, "cbc:ID", "VAT")])
    parts += _branch(3, "cac:TaxCategory", category)
    return _branch(2, "cac:TaxSubtotal", parts)


def _monetary_total(sums: DocumentTotals, currency: str) -> list[str]:
    parts = [
        _amount(2, "cbc:LineExtensionAmount", sums.line_extension, currency),
        _amount(2, "cbc:TaxExclusiveAmount", sums.tax_exclusive, currency),
        _amount(2, "cbc:TaxInclusiveAmount", sums.tax_inclusive, currency),
        _amount(2, "cbc:PayableAmount", sums.payable, currency),
    ]
    return _branch(1, "cac:LegalMonetaryTotal", parts)


def _line(line: DocumentLine, currency: str, credit: bool) -> str:
    """One invoice line as one template: this is the loop a national month spends its time in.

    ``currency`` is the ready ``currencyID`` attribute. Values are formatted and checked in
    document order, so that of two faults in a document the first is the one raised.
    """
    element, quantity_tag = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
        if credit
        else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    line_id = _text(line.line_id)
    note = f"    <cbc:Note>{_text(line.note)}</cbc:Note>\n" if line.note.strip() else ""
    quantity, price = price_and_quantity(line)
    quantity_text = _plain(quantity)
    unit = _attribute(line.unit_code)
    amount = _money(line.amount)
    period = _line_period(line.period_start, line.period_end)
    name = f"      <cbc:Name>{_text(line.name)}</cbc:Name>\n" if line.name.strip() else ""
    product = (
        "      <cac:SellersItemIdentification>\n"
        f"        <cbc:ID>{_text(line.product_code)}</cbc:ID>\n"
        "      </cac:SellersItemIdentification>\n"
        if line.product_code
        else ""
    )
    return (
        f"  <{element}>\n"
        f"    <cbc:ID>{line_id}</cbc:ID>\n"
        f"{note}"
        f'    <{quantity_tag} unitCode="{unit}">{quantity_text}</{quantity_tag}>\n'
        f"    <cbc:LineExtensionAmount{currency}>{amount}</cbc:LineExtensionAmount>\n"
        f"{period}"
        "    <cac:Item>\n"
        f"{name}"
        f"{product}"
        f"{_classified_tax_category(line.vat_category, line.vat_percent)}"
        "    </cac:Item>\n"
        "    <cac:Price>\n"
        f"      <cbc:PriceAmount{currency}>{price_text(price)}</cbc:PriceAmount>\n"
        "    </cac:Price>\n"
        f"  </{element}>\n"
    )


@functools.lru_cache(maxsize=64)
def _line_period(start: dt.date | None, end: dt.date | None) -> str:
    """A line's period, written once: the lines of a document mostly share one or two periods."""
    return "".join(_period(2, start, end))


@functools.lru_cache(maxsize=64)
def _classified_tax_category(category: VatCategory, percent: Decimal) -> str:
    """A line's VAT category and rate, written once: a document has only a few of them."""
    return (
        "      <cac:ClassifiedTaxCategory>\n"
        f"        <cbc:ID>{category.value}</cbc:ID>\n"
        f"        <cbc:Percent>{_percent(category, percent)}</cbc:Percent>\n"
        "        <cac:TaxScheme>\n"
        "          <cbc:ID>VAT</cbc:ID>\n"
        "        </cac:TaxScheme>\n"
        "      </cac:ClassifiedTaxCategory>\n"
    )


def price_and_quantity(line: DocumentLine) -> tuple[Decimal, Decimal]:
    """Quantity and unit price with the price never negative (BR-27).

    A correction written as a positive quantity at a negative price is the same net amount as a
    negative quantity at the positive price, which is the form EN 16931 allows.
    """
    if line.unit_price < 0:
        return -line.quantity, -line.unit_price
    return line.quantity, line.unit_price


def price_text(price: Decimal) -> str:
    """A unit price with at least two decimals and no trailing zeros beyond them.

    The decimals of the plain normalised text are counted, not ``as_tuple().exponent`` (the same
    test: a normalised non-zero price has as many decimals as its negative exponent), because
    this runs once per invoice line and building the digit tuple is the slow part.
    """
    plain = f"{price.normalize():f}"
    if len(plain.partition(".")[2]) > 2:
        return plain
    return f"{price.quantize(ORE):f}"


def _percent(category: VatCategory, percent: Decimal) -> str:
    return "0" if category is VatCategory.EXEMPT else _plain(percent)


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 25 → "25", 2.50 → "2.5"."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _money(value: Decimal) -> str:
    """An amount with exactly two decimals; ``MoneyError`` when it is not whole öre."""
    return str(from_ore(to_ore(value)))  # two decimals: never scientific, and faster than :f


def _amount(depth: int, tag: str, value: Decimal, currency: str) -> str:
    return _leaf(depth, tag, _money(value), currencyID=currency)


def _date(value: dt.date) -> str:
    return value.isoformat()


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _leaf(depth: int, tag: str, text: str, **attributes: str) -> str:
    """An element holding text, on its own line; attributes are checked before the text."""
    written = "".join(f' {name}="{_attribute(value)}"' for name, value in attributes.items())
    return f"{'  ' * depth}<{tag}{written}>{_text(text)}</{tag}>\n"


def _optional_leaf(depth: int, tag: str, text: str) -> list[str]:
    """The element only when there is something to put in it."""
    return [_leaf(depth, tag, text)] if text.strip() else []


def _branch(depth: int, tag: str, children: list[str]) -> list[str]:
    """An element holding elements, or ``<tag/>`` when it holds none, as lxml writes it."""
    indent = "  " * depth
    if not children:
        return [f"{indent}<{tag}/>\n"]
    return [f"{indent}<{tag}>\n", *children, f"{indent}</{tag}>\n"]


def _text(value: str) -> str:
    """Text content escaped as libxml2 writes it: ``&``, ``<``, ``>`` and carriage return."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    _check_xml_chars(value)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attribute(value: str) -> str:
    """An attribute value escaped as libxml2 writes it, whitespace other than space included."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    _check_xml_chars(value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _check_xml_chars(value: str) -> None:
    """Refuse what lxml refuses, with its errors: UnicodeEncodeError for a lone surrogate first,
    then ValueError for a character XML 1.0 cannot carry."""
    value.encode()
    if _NOT_XML_CHAR.search(value):
        raise ValueError(_NOT_XML_MESSAGE)
