"""Write a ``Document`` as a Peppol BIS Billing 3.0 UBL 2.1 Invoice or CreditNote.

The e-invoice must agree with the voucher and the PDF to the öre, so every figure comes from the
core (``DocumentLine.amount``, ``totals()``, ``vat_breakdown()``) and nothing is rounded here:
an amount that is not whole öre is a bug upstream and raises ``MoneyError``. Elements are written
in the order the UBL 2.1 schema sequences demand (the XSD rejects any other order), and empty
values are left out rather than written as empty elements (PEPPOL-EN16931-R008).

Swedish choices, from the SE-R rules: parties are identified by organisation number under ICD
0007; the seller states its VAT number and, as a second tax scheme "TAX", "Godkänd för F-skatt";
payment is credit transfer (code 30) to a bankgiro account named by branch "SE:BANKGIRO".
UBL 2.1 CreditNote has no DueDate, so a credit note carries its due date in
PaymentMeans/PaymentDueDate, where Peppol maps BT-9 for credit notes.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from lxml import etree

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
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def invoice_xml(document: Document) -> bytes:
    """The document as pretty-printed UBL 2.1 (Invoice or CreditNote), UTF-8 with declaration."""
    credit = document.kind is DocumentKind.CREDIT_NOTE
    nsmap = {None: _root_ns(credit), "cac": CAC, "cbc": CBC}  # None: the default namespace
    root = etree.Element(_root_tag(credit), nsmap=nsmap)  # type: ignore[arg-type]
    _header(root, document, credit)
    _party(_add(root, "cac:AccountingSupplierParty"), document.seller, seller=document)
    _party(_add(root, "cac:AccountingCustomerParty"), document.buyer, seller=None)
    _payment(root, document, credit)
    sums = totals(document)
    _tax_total(root, sums, document.currency)
    _monetary_total(root, sums, document.currency)
    for line in document.lines:
        _line(root, line, document.currency, credit)
    return _DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _root_tag(credit: bool) -> str:
    return f"{{{_root_ns(credit)}}}{'CreditNote' if credit else 'Invoice'}"


def _root_ns(credit: bool) -> str:
    return CREDIT_NOTE_NS if credit else INVOICE_NS


def _header(root: etree._Element, document: Document, credit: bool) -> None:
    _add(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _add(root, "cbc:ProfileID", PROFILE_ID)
    _add(root, "cbc:ID", document.number)
    _add(root, "cbc:IssueDate", _date(document.issue_date))
    if credit:
        _add(root, "cbc:CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
    else:
        _add(root, "cbc:DueDate", _date(document.due_date))
        _add(root, "cbc:InvoiceTypeCode", INVOICE_TYPE_CODE)
    _add_text(root, "cbc:Note", document.note)
    _add(root, "cbc:DocumentCurrencyCode", document.currency)
    _add_text(root, "cbc:BuyerReference", document.buyer_reference)
    _period(root, document.period_start, document.period_end)
    if document.preceding_number:
        reference = _add(_add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _add(reference, "cbc:ID", document.preceding_number)
        if document.preceding_issue_date is not None:
            _add(reference, "cbc:IssueDate", _date(document.preceding_issue_date))


def _period(parent: etree._Element, start: dt.date | None, end: dt.date | None) -> None:
    if start is None and end is None:
        return
    period = _add(parent, "cac:InvoicePeriod")
    if start is not None:
        _add(period, "cbc:StartDate", _date(start))
    if end is not None:
        _add(period, "cbc:EndDate", _date(end))


def _party(role: etree._Element, party: Party, *, seller: Document | None) -> None:
    """Seller or buyer; ``seller`` is the document when the party is its seller."""
    element = _add(role, "cac:Party")
    scheme, _, endpoint = party.peppol_id.partition(":")
    _add(element, "cbc:EndpointID", endpoint, schemeID=scheme)
    org_number = _digits(party.org_number)
    if org_number:
        _add(
            _add(element, "cac:PartyIdentification"),
            "cbc:ID",
            org_number,
            schemeID=ORG_NUMBER_SCHEME,
        )
    _add_text(_add(element, "cac:PartyName"), "cbc:Name", party.name)
    _address(element, party)
    if party.vat_number:
        _tax_scheme(element, party.vat_number, "VAT")
    if seller is not None and seller.seller_tax_note:
        _tax_scheme(element, seller.seller_tax_note, TAX_REGISTRATION_SCHEME)
    legal = _add(element, "cac:PartyLegalEntity")
    _add_text(legal, "cbc:RegistrationName", party.name)
    if org_number:
        _add(legal, "cbc:CompanyID", org_number, schemeID=ORG_NUMBER_SCHEME)
    if party.email:
        _add(_add(element, "cac:Contact"), "cbc:ElectronicMail", party.email)


def _address(party: etree._Element, source: Party) -> None:
    address = _add(party, "cac:PostalAddress")
    _add_text(address, "cbc:StreetName", source.street)
    _add_text(address, "cbc:CityName", source.city)
    _add_text(address, "cbc:PostalZone", source.postal_code)
    _add_text(_add(address, "cac:Country"), "cbc:IdentificationCode", source.country)


def _tax_scheme(party: etree._Element, company_id: str, scheme: str) -> None:
    tax_scheme = _add(party, "cac:PartyTaxScheme")
    _add(tax_scheme, "cbc:CompanyID", company_id)
    _add(_add(tax_scheme, "cac:TaxScheme"), "cbc:ID", scheme)


def _payment(root: etree._Element, document: Document, credit: bool) -> None:
    means = _add(root, "cac:PaymentMeans")
    _add(means, "cbc:PaymentMeansCode", CREDIT_TRANSFER)
    if credit:
        _add(means, "cbc:PaymentDueDate", _date(document.due_date))
    _add(means, "cbc:PaymentID", document.number)
    account = _add(means, "cac:PayeeFinancialAccount")
    _add_text(account, "cbc:ID", _digits(document.bankgiro))
    _add(_add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", BANKGIRO_BRANCH)
    if document.payment_terms:
        _add(_add(root, "cac:PaymentTerms"), "cbc:Note", document.payment_terms)


def _tax_total(root: etree._Element, sums: DocumentTotals, currency: str) -> None:
    tax_total = _add(root, "cac:TaxTotal")
    _amount(tax_total, "cbc:TaxAmount", sums.tax, currency)
    for subtotal in sums.vat:
        _tax_subtotal(tax_total, subtotal, currency)


def _tax_subtotal(tax_total: etree._Element, subtotal: VatSubtotal, currency: str) -> None:
    element = _add(tax_total, "cac:TaxSubtotal")
    _amount(element, "cbc:TaxableAmount", subtotal.taxable, currency)
    _amount(element, "cbc:TaxAmount", subtotal.tax, currency)
    category = _add(element, "cac:TaxCategory")
    _add(category, "cbc:ID", subtotal.category.value)
    _add(category, "cbc:Percent", _percent(subtotal.category, subtotal.percent))
    if subtotal.category is VatCategory.EXEMPT:
        _add(category, "cbc:TaxExemptionReason", EXEMPTION_REASON)
    _add(_add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _monetary_total(root: etree._Element, sums: DocumentTotals, currency: str) -> None:
    total = _add(root, "cac:LegalMonetaryTotal")
    _amount(total, "cbc:LineExtensionAmount", sums.line_extension, currency)
    _amount(total, "cbc:TaxExclusiveAmount", sums.tax_exclusive, currency)
    _amount(total, "cbc:TaxInclusiveAmount", sums.tax_inclusive, currency)
    _amount(total, "cbc:PayableAmount", sums.payable, currency)


def _line(root: etree._Element, line: DocumentLine, currency: str, credit: bool) -> None:
    element = _add(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    _add(element, "cbc:ID", line.line_id)
    _add_text(element, "cbc:Note", line.note)
    quantity, price = price_and_quantity(line)
    quantity_tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    _add(element, quantity_tag, _plain(quantity), unitCode=line.unit_code)
    _amount(element, "cbc:LineExtensionAmount", line.amount, currency)
    _period(element, line.period_start, line.period_end)
    item = _add(element, "cac:Item")
    _add_text(item, "cbc:Name", line.name)
    if line.product_code:
        _add(_add(item, "cac:SellersItemIdentification"), "cbc:ID", line.product_code)
    category = _add(item, "cac:ClassifiedTaxCategory")
    _add(category, "cbc:ID", line.vat_category.value)
    _add(category, "cbc:Percent", _percent(line.vat_category, line.vat_percent))
    _add(_add(category, "cac:TaxScheme"), "cbc:ID", "VAT")
    price_element = _add(element, "cac:Price")
    _add(price_element, "cbc:PriceAmount", price_text(price), currencyID=currency)


def price_and_quantity(line: DocumentLine) -> tuple[Decimal, Decimal]:
    """Quantity and unit price with the price never negative (BR-27).

    A correction written as a positive quantity at a negative price is the same net amount as a
    negative quantity at the positive price, which is the form EN 16931 allows.
    """
    if line.unit_price < 0:
        return -line.quantity, -line.unit_price
    return line.quantity, line.unit_price


def price_text(price: Decimal) -> str:
    """A unit price with at least two decimals and no trailing zeros beyond them."""
    exponent = price.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return _plain(price)
    return f"{price.quantize(ORE):f}"


def _percent(category: VatCategory, percent: Decimal) -> str:
    return "0" if category is VatCategory.EXEMPT else _plain(percent)


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 25 → "25", 2.50 → "2.5"."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _amount(parent: etree._Element, tag: str, value: Decimal, currency: str) -> None:
    """An amount with exactly two decimals; ``MoneyError`` when it is not whole öre."""
    _add(parent, tag, f"{from_ore(to_ore(value)):f}", currencyID=currency)


def _date(value: dt.date) -> str:
    return value.isoformat()


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _add_text(parent: etree._Element, tag: str, text: str) -> None:
    """Add the element only when there is something to put in it."""
    if text.strip():
        _add(parent, tag, text)


def _add(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    """A child element; an invoice has ~16 per line, so the tag's Clark name is looked up."""
    element = (
        etree.SubElement(parent, _clark(tag), attrib)
        if attrib
        else etree.SubElement(parent, _clark(tag))
    )
    if text is not None:
        element.text = text
    return element


@functools.cache
def _clark(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"
