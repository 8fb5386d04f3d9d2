"""EN 16931 and Peppol rules on what a document must contain and how values are written.

Each check is a small function over a parsed ``Ubl`` that yields the rules it finds broken; the
ids and tests follow ``CEN-EN16931-UBL.sch`` and ``PEPPOL-EN16931-UBL.sch`` (read, not run: they
are XSLT 2.0 Schematron, beyond lxml's XSLT 1.0). Arithmetic lives in ``rules_totals``, the
Swedish rules in ``rules_se``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from samkalk.adapters.peppol.tree import (
    Element,
    Ubl,
    Violation,
    clark,
    decimal,
    decimals_in,
    everywhere,
    exists,
    first,
    nodes,
    parent_is,
    string_value,
    text,
    walk,
)
from samkalk.adapters.peppol.ubl import CUSTOMIZATION_ID

Check = Callable[[Ubl], Iterator[Violation]]

_PROFILE = re.compile(r"^urn:fdc:peppol\.eu:2017:poacc:billing:([0-9]{2}):1\.0$")
_INVOICE_TYPES = set(
    [
        "71",
        "80",
        "82",
        "84",
        "102",
        "218",
        "219",
        "326",
        "331",
        "380",
        "382",
        "383",
        "384",
        "386",
        "388",
        "393",
        "395",
        "553",
        "575",
        "623",
        "780",
        "817",
        "870",
        "875",
        "876",
        "877",
    ]
)
_CREDIT_NOTE_TYPES = {"381", "396", "81", "83", "532"}
_VAT_CATEGORIES = set(["AE", "L", "M", "E", "S", "Z", "G", "O", "K", "B"])

# (rule, path from the root) for elements that must be present and not empty.
_REQUIRED = (
    ("BR-01", "cbc:CustomizationID"),
    ("BR-02", "cbc:ID"),
    ("BR-03", "cbc:IssueDate"),
    ("BR-05", "cbc:DocumentCurrencyCode"),
    ("BR-06", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    ("BR-07", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    ("PEPPOL-EN16931-R001", "cbc:ProfileID"),
    ("PEPPOL-EN16931-R020", "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID"),
    ("PEPPOL-EN16931-R010", "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID"),
)
_PRESENT = (
    ("BR-08", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress"),
    ("BR-10", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress"),
    ("BR-12", "cac:LegalMonetaryTotal/cbc:LineExtensionAmount"),
    ("BR-13", "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
    ("BR-14", "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"),
    ("BR-15", "cac:LegalMonetaryTotal/cbc:PayableAmount"),
    ("BR-CO-18", "cac:TaxTotal/cac:TaxSubtotal"),
)
# (rule, path from the root) for amounts that may have at most two decimals.
_TWO_DECIMALS = (
    ("BR-DEC-01", "cac:AllowanceCharge[cbc:ChargeIndicator='false']/cbc:Amount"),
    ("BR-DEC-02", "cac:AllowanceCharge[cbc:ChargeIndicator='false']/cbc:BaseAmount"),
    ("BR-DEC-05", "cac:AllowanceCharge[cbc:ChargeIndicator='true']/cbc:Amount"),
    ("BR-DEC-06", "cac:AllowanceCharge[cbc:ChargeIndicator='true']/cbc:BaseAmount"),
    ("BR-DEC-09", "cac:LegalMonetaryTotal/cbc:LineExtensionAmount"),
    ("BR-DEC-10", "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount"),
    ("BR-DEC-11", "cac:LegalMonetaryTotal/cbc:ChargeTotalAmount"),
    ("BR-DEC-12", "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
    ("BR-DEC-13", "cac:TaxTotal/cbc:TaxAmount"),
    ("BR-DEC-14", "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"),
    ("BR-DEC-16", "cac:LegalMonetaryTotal/cbc:PrepaidAmount"),
    ("BR-DEC-17", "cac:LegalMonetaryTotal/cbc:PayableRoundingAmount"),
    ("BR-DEC-18", "cac:LegalMonetaryTotal/cbc:PayableAmount"),
    ("BR-DEC-19", "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount"),
    ("BR-DEC-20", "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"),
    ("BR-DEC-23", "cac:InvoiceLine/cbc:LineExtensionAmount"),
    ("BR-DEC-23", "cac:CreditNoteLine/cbc:LineExtensionAmount"),
    ("BR-DEC-24", "cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator='false']/cbc:Amount"),
    ("BR-DEC-27", "cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator='true']/cbc:Amount"),
)
# PEPPOL-EN16931-R051's amounts: every one of these anywhere, and cbc:TaxAmount where
# ``_currency_amount`` says (in a TaxSubtotal, or in the document's TaxTotal with subtotals).
_AMOUNTS = (
    "cbc:Amount",
    "cbc:BaseAmount",
    "cbc:PriceAmount",
    "cbc:TaxAmount",
    "cbc:TaxableAmount",
    "cbc:LineExtensionAmount",
    "cbc:TaxExclusiveAmount",
    "cbc:TaxInclusiveAmount",
    "cbc:AllowanceTotalAmount",
    "cbc:ChargeTotalAmount",
    "cbc:PrepaidAmount",
    "cbc:PayableRoundingAmount",
    "cbc:PayableAmount",
)
_TAX_AMOUNT = clark("cbc:TaxAmount")
_DATES = (
    "cbc:IssueDate",
    "cbc:DueDate",
    "cbc:TaxPointDate",
    "cbc:StartDate",
    "cbc:EndDate",
    "cbc:ActualDeliveryDate",
    "cbc:PaymentDueDate",
)


def required_elements(ubl: Ubl) -> Iterator[Violation]:
    """BR-01…BR-16 and the Peppol musts: every mandatory business term is there."""
    for rule, path in _REQUIRED:
        if not text(ubl.root, path):
            yield Violation(rule, path)
    for rule, path in _PRESENT:
        if not exists(ubl.root, path):
            yield Violation(rule, path)
    if not (text(ubl.root, "cbc:InvoiceTypeCode") or text(ubl.root, "cbc:CreditNoteTypeCode")):
        yield Violation("BR-04")
    if not ubl.lines():
        yield Violation("BR-16")
    for rule, party in (("BR-09", ubl.seller()), ("BR-11", ubl.buyer())):
        if party is not None and not text(
            party, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"
        ):
            yield Violation(rule)
    for rule, party in (("BR-62", ubl.seller()), ("BR-63", ubl.buyer())):
        endpoint = first(party, "cbc:EndpointID") if party is not None else None
        if endpoint is not None and not endpoint.get("schemeID"):
            yield Violation(rule)


def peppol_document(ubl: Ubl) -> Iterator[Violation]:
    """Specification and process identifiers, type code, buyer reference, notes, tax totals."""
    if not text(ubl.root, "cbc:CustomizationID").startswith(CUSTOMIZATION_ID):
        yield Violation("PEPPOL-EN16931-R004")
    profile = _PROFILE.match(text(ubl.root, "cbc:ProfileID"))
    if profile is None:
        yield Violation("PEPPOL-EN16931-R007")
    if not (text(ubl.root, "cbc:BuyerReference") or text(ubl.root, "cac:OrderReference/cbc:ID")):
        yield Violation("PEPPOL-EN16931-R003")
    if len(nodes(ubl.root, "cbc:Note")) > 1:
        yield Violation("PEPPOL-EN16931-R002")
    if len(nodes(ubl.root, "cac:TaxTotal[cac:TaxSubtotal]")) != 1:
        yield Violation("PEPPOL-EN16931-R053")
    expected_plain = 1 if exists(ubl.root, "cbc:TaxCurrencyCode") else 0
    if len(nodes(ubl.root, "cac:TaxTotal[not(cac:TaxSubtotal)]")) != expected_plain:
        yield Violation("PEPPOL-EN16931-R054")
    if profile is not None and profile.group(1) == "01":
        yield from _type_code(ubl)


def _type_code(ubl: Ubl) -> Iterator[Violation]:
    if ubl.credit:
        if text(ubl.root, "cbc:CreditNoteTypeCode") not in _CREDIT_NOTE_TYPES:
            yield Violation("PEPPOL-EN16931-P0101")
    elif text(ubl.root, "cbc:InvoiceTypeCode") not in _INVOICE_TYPES:
        yield Violation("PEPPOL-EN16931-P0100")


def no_empty_elements(ubl: Ubl) -> Iterator[Violation]:
    """PEPPOL-EN16931-R008: no element without children and without text."""
    for node in nodes(ubl.root, "//*[not(*) and not(normalize-space())]"):
        yield Violation("PEPPOL-EN16931-R008", node.tag)


def dates(ubl: Ubl) -> Iterator[Violation]:
    """PEPPOL-EN16931-F001 (YYYY-MM-DD), BR-29/BR-30 (end not before start), BR-CO-19/20."""
    for node in everywhere(ubl.root, *_DATES):
        if _date(node.text or "") is None:
            yield Violation("PEPPOL-EN16931-F001", node.tag)
    for rule, empty_rule, path in (
        ("BR-29", "BR-CO-19", "cac:InvoicePeriod"),
        ("BR-30", "BR-CO-20", f"{ubl.line_tag}/cac:InvoicePeriod"),
    ):
        for index, period in walk(ubl.root, path):
            start, end = _period(period)
            if start is not None and end is not None and end < start:
                yield Violation(rule, f"period {index}")
            if empty_rule == "BR-CO-20" and start is None and end is None:
                yield Violation(empty_rule, f"period {index}")
            if empty_rule == "BR-CO-19" and not (
                start or end or exists(period, "cbc:DescriptionCode")
            ):
                yield Violation(empty_rule)


def line_periods_within_document(ubl: Ubl) -> Iterator[Violation]:
    """PEPPOL-EN16931-R110/R111: a line period lies within the invoice period."""
    start, end = _period(first(ubl.root, "cac:InvoicePeriod"))
    for index, line in enumerate(ubl.lines(), start=1):
        line_start, line_end = _period(first(line, "cac:InvoicePeriod"))
        if start is not None and line_start is not None and line_start < start:
            yield Violation("PEPPOL-EN16931-R110", f"line {index}")
        if end is not None and line_end is not None and line_end > end:
            yield Violation("PEPPOL-EN16931-R111", f"line {index}")


def _period(period: Element | None) -> tuple[dt.date | None, dt.date | None]:
    return _date(text(period, "cbc:StartDate")), _date(text(period, "cbc:EndDate"))


def _date(value: str) -> dt.date | None:
    if len(value.strip()) != 10:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def lines(ubl: Ubl) -> Iterator[Violation]:
    """BR-21…BR-27, BR-CO-04, PEPPOL-EN16931-R121: what every line must carry."""
    for index, facts in enumerate(ubl.line_facts(), start=1):
        where, line, quantity = f"line {index}", facts.element, facts.quantity
        checks = (
            ("BR-21", bool(text(line, "cbc:ID"))),
            ("BR-22", quantity is not None),
            ("BR-23", quantity is not None and bool(quantity.get("unitCode"))),
            ("BR-24", exists(line, "cbc:LineExtensionAmount")),
            ("BR-25", bool(text(line, "cac:Item/cbc:Name"))),
            ("BR-26", exists(line, "cac:Price/cbc:PriceAmount")),
            ("BR-CO-04", _has_vat_code(line)),
        )
        yield from (Violation(rule, where) for rule, ok in checks if not ok)
        if facts.price is not None and facts.price < 0:
            yield Violation("BR-27", where)
        if facts.has_base and (facts.base is None or facts.base <= 0):
            yield Violation("PEPPOL-EN16931-R121", where)


def _has_vat_code(line: Element) -> bool:
    """``text(line, _LINE_VAT + "/cbc:ID")`` is not empty, without an XPath call per line."""
    for category in _vat_categories(line):
        code = first(category, "cbc:ID")
        if code is not None:
            return bool(text(code, "."))
    return False


def _vat_categories(line: Element) -> Iterator[Element]:
    """The line's ``_LINE_VAT`` matches: classified categories whose scheme is exactly VAT."""
    for category in nodes(line, "cac:Item/cac:ClassifiedTaxCategory"):
        schemes = nodes(category, "cac:TaxScheme/cbc:ID")
        if any(string_value(scheme) == "VAT" for scheme in schemes):
            yield category


_LINE_VAT = "cac:Item/cac:ClassifiedTaxCategory[cac:TaxScheme/cbc:ID='VAT']"


def vat_category_codes(ubl: Ubl) -> Iterator[Violation]:
    """BR-CL-17/18: VAT categories from UNCL 5305; BR-S-05, BR-E-05: the line rate fits it."""
    for node in everywhere(ubl.root, "cbc:ID"):
        if parent_is(node, "cac:TaxCategory") and (
            text(node, ".") not in _VAT_CATEGORIES
            and text(node.getparent(), "cac:TaxScheme/cbc:ID") == "VAT"
        ):
            yield Violation("BR-CL-17")
    line_categories = (cat for line in ubl.lines() for cat in _vat_categories(line))
    for index, category in enumerate(line_categories, start=1):
        code, rate = text(category, "cbc:ID"), decimal(category, "cbc:Percent")
        if code not in _VAT_CATEGORIES:
            yield Violation("BR-CL-18", f"line {index}")
        if code == "S" and not (rate is not None and rate > 0):
            yield Violation("BR-S-05", f"line {index}")
        if code == "E" and rate != 0:
            yield Violation("BR-E-05", f"line {index}")


def amount_format(ubl: Ubl) -> Iterator[Violation]:
    """BR-DEC-*: at most two decimals; PEPPOL-EN16931-R051: one currency for every amount."""
    for rule, path in _TWO_DECIMALS:
        for node in nodes(ubl.root, path):
            if decimals_in(text(node, ".")) > 2:
                yield Violation(rule, node.tag)
    currency = ubl.currency()
    for node in everywhere(ubl.root, *_AMOUNTS):
        if node.get("currencyID") != currency and _currency_amount(ubl, node):
            yield Violation("PEPPOL-EN16931-R051", node.tag)


def _currency_amount(ubl: Ubl, node: Element) -> bool:
    """``//cac:TaxSubtotal/cbc:TaxAmount | /*/cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount``.

    Every other tag in ``_AMOUNTS`` counts wherever it is.
    """
    if node.tag != _TAX_AMOUNT or parent_is(node, "cac:TaxSubtotal"):
        return True
    parent = node.getparent()
    return (
        parent_is(node, "cac:TaxTotal")
        and parent is not None
        and parent.getparent() is ubl.root
        and ubl.root.getparent() is None
        and exists(parent, "cac:TaxSubtotal")
    )


def payment(ubl: Ubl) -> Iterator[Violation]:
    """BR-49, BR-50, BR-61 (account for credit transfer), BR-CO-25 (due date or terms)."""
    for index, means in walk(ubl.root, "cac:PaymentMeans"):
        code = text(means, "cbc:PaymentMeansCode")
        if not code:
            yield Violation("BR-49", f"payment means {index}")
        account = first(means, "cac:PayeeFinancialAccount")
        if account is not None and not text(account, "cbc:ID"):
            yield Violation("BR-50", f"payment means {index}")
        if code in ("30", "58") and not exists(means, "cac:PayeeFinancialAccount/cbc:ID"):
            yield Violation("BR-61", f"payment means {index}")
    payable = decimal(ubl.monetary_total(), "cbc:PayableAmount")
    has_terms = exists(ubl.root, "cac:PaymentTerms/cbc:Note") or (
        next(everywhere(ubl.root, "cbc:DueDate"), None) is not None
    )
    if payable is not None and payable > 0 and not has_terms:
        yield Violation("BR-CO-25")


def references(ubl: Ubl) -> Iterator[Violation]:
    """BR-55 (a preceding invoice reference has its number), BR-CO-26 (seller identified).

    SAMKALK-CN-REF: Samkalk's credit notes always name the invoice they correct.
    """
    for index, reference in walk(ubl.root, "cac:BillingReference"):
        if not text(reference, "cac:InvoiceDocumentReference/cbc:ID"):
            yield Violation("BR-55", f"billing reference {index}")
    seller = ubl.seller()
    seller_ids = (
        "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"
        " | cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID"
    )
    if seller is not None and not exists(seller, seller_ids):
        yield Violation("BR-CO-26")
    if ubl.credit and not exists(ubl.root, "cac:BillingReference/cac:InvoiceDocumentReference"):
        yield Violation("SAMKALK-CN-REF")


CHECKS: tuple[Check, ...] = (
    required_elements,
    peppol_document,
    no_empty_elements,
    dates,
    line_periods_within_document,
    lines,
    vat_category_codes,
    amount_format,
    payment,
    references,
)
