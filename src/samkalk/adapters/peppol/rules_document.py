"""EN 16931 and Peppol rules on what a document must contain and how values are written.

Each check is a small function over a parsed ``Ubl`` that yields the rules it finds broken; the
ids and tests follow ``CEN-EN16931-UBL.sch`` and ``PEPPOL-EN16931-UBL.sch`` (read, not run: they
are XSLT 2.0 Schematron, beyond lxml's XSLT 1.0). Arithmetic lives in ``rules_totals``, the
Swedish rules in ``rules_se``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator

from samkalk.adapters.peppol.tree import (
    AMOUNTS,
    CATEGORIES,
    DATES,
    Category,
    Element,
    Line,
    Ubl,
    Violation,
    blank,
    clark,
    decimal,
    decimals_in,
    exists,
    first,
    nodes,
    parent_is,
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
# (rule, path from the root) for amounts that may have at most two decimals; the line amounts
# are in ``_LINE_DECIMALS``. ``a[cbc:ChargeIndicator='x']/b`` is written ``a/b[../…='x']``, the
# same elements, so that the path starts with a plain step (see ``Ubl.nodes``).
_TWO_DECIMALS = (
    ("BR-DEC-01", "cac:AllowanceCharge/cbc:Amount[../cbc:ChargeIndicator='false']"),
    ("BR-DEC-02", "cac:AllowanceCharge/cbc:BaseAmount[../cbc:ChargeIndicator='false']"),
    ("BR-DEC-05", "cac:AllowanceCharge/cbc:Amount[../cbc:ChargeIndicator='true']"),
    ("BR-DEC-06", "cac:AllowanceCharge/cbc:BaseAmount[../cbc:ChargeIndicator='true']"),
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
)
# (rule, line tag, indicator) for the line amounts, after ``_TWO_DECIMALS``: the line's
# cbc:LineExtensionAmount (indicator None), or cac:AllowanceCharge[cbc:ChargeIndicator=
# indicator]/cbc:Amount. They hold for that line tag whatever the document type.
_LINE_DECIMALS = (
    ("BR-DEC-23", "cac:InvoiceLine", None),
    ("BR-DEC-23", "cac:CreditNoteLine", None),
    ("BR-DEC-24", "cac:InvoiceLine", "false"),
    ("BR-DEC-27", "cac:InvoiceLine", "true"),
)
_LINE_AMOUNT = clark("cbc:LineExtensionAmount")
_AMOUNT = clark("cbc:Amount")
# PEPPOL-EN16931-R051 reads every one of ``AMOUNTS``, cbc:TaxAmount only where
# ``_currency_amount`` says (in a TaxSubtotal, or in the document's TaxTotal with subtotals).
_TAX_AMOUNT = clark("cbc:TaxAmount")
_TAX_CATEGORY = clark("cac:TaxCategory")
_ID = clark("cbc:ID")
_DUE_DATE = clark("cbc:DueDate")


def required_elements(ubl: Ubl) -> Iterator[Violation]:
    """BR-01…BR-16 and the Peppol musts: every mandatory business term is there."""
    for rule, path in _REQUIRED:
        if not text(ubl, path):
            yield Violation(rule, path)
    for rule, path in _PRESENT:
        if not exists(ubl, path):
            yield Violation(rule, path)
    if not (text(ubl, "cbc:InvoiceTypeCode") or text(ubl, "cbc:CreditNoteTypeCode")):
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
    if not text(ubl, "cbc:CustomizationID").startswith(CUSTOMIZATION_ID):
        yield Violation("PEPPOL-EN16931-R004")
    profile = _PROFILE.match(text(ubl, "cbc:ProfileID"))
    if profile is None:
        yield Violation("PEPPOL-EN16931-R007")
    if not (text(ubl, "cbc:BuyerReference") or text(ubl, "cac:OrderReference/cbc:ID")):
        yield Violation("PEPPOL-EN16931-R003")
    if len(nodes(ubl, "cbc:Note")) > 1:
        yield Violation("PEPPOL-EN16931-R002")
    if len(ubl.tax_totals(subtotals=True)) != 1:
        yield Violation("PEPPOL-EN16931-R053")
    expected_plain = 1 if exists(ubl, "cbc:TaxCurrencyCode") else 0
    if len(ubl.tax_totals(subtotals=False)) != expected_plain:
        yield Violation("PEPPOL-EN16931-R054")
    if profile is not None and profile.group(1) == "01":
        yield from _type_code(ubl)


def _type_code(ubl: Ubl) -> Iterator[Violation]:
    if ubl.credit:
        if text(ubl, "cbc:CreditNoteTypeCode") not in _CREDIT_NOTE_TYPES:
            yield Violation("PEPPOL-EN16931-P0101")
    elif text(ubl, "cbc:InvoiceTypeCode") not in _INVOICE_TYPES:
        yield Violation("PEPPOL-EN16931-P0100")


def no_empty_elements(ubl: Ubl) -> Iterator[Violation]:
    """PEPPOL-EN16931-R008: no element without children and without text."""
    for node in ubl.empty_elements():
        yield Violation("PEPPOL-EN16931-R008", node.tag)


def dates(ubl: Ubl) -> Iterator[Violation]:
    """PEPPOL-EN16931-F001 (YYYY-MM-DD), BR-29/BR-30 (end not before start), BR-CO-19/20."""
    for node in ubl.everywhere(DATES):
        if _date(node.text or "") is None:
            yield Violation("PEPPOL-EN16931-F001", node.tag)
    for index, period in walk(ubl, "cac:InvoicePeriod"):
        start, end = _period(period)
        if start is not None and end is not None and end < start:
            yield Violation("BR-29", f"period {index}")
        if not (start or end or exists(period, "cbc:DescriptionCode")):
            yield Violation("BR-CO-19")
    index = 0  # counts the periods of the lines, not the lines
    for line in ubl.line_facts():
        for line_period in line.periods:
            index += 1
            start, end = _date(line_period.start), _date(line_period.end)
            if start is not None and end is not None and end < start:
                yield Violation("BR-30", f"period {index}")
            if start is None and end is None:
                yield Violation("BR-CO-20", f"period {index}")


def line_periods_within_document(ubl: Ubl) -> Iterator[Violation]:
    """PEPPOL-EN16931-R110/R111: a line period lies within the invoice period."""
    start, end = _period(first(ubl, "cac:InvoicePeriod"))
    for index, line in enumerate(ubl.line_facts(), start=1):
        if not line.periods:
            continue
        line_start, line_end = _date(line.periods[0].start), _date(line.periods[0].end)
        if start is not None and line_start is not None and line_start < start:
            yield Violation("PEPPOL-EN16931-R110", f"line {index}")
        if end is not None and line_end is not None and line_end > end:
            yield Violation("PEPPOL-EN16931-R111", f"line {index}")


def _period(period: Element | None) -> tuple[dt.date | None, dt.date | None]:
    return _date(text(period, "cbc:StartDate")), _date(text(period, "cbc:EndDate"))


@functools.lru_cache(maxsize=4096)
def _date(value: str) -> dt.date | None:
    """The date of a YYYY-MM-DD text, or None; cached, for the same line periods repeat."""
    if len(value.strip()) != 10:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


_LINE_RULES = ("BR-21", "BR-22", "BR-23", "BR-24", "BR-25", "BR-26", "BR-CO-04")


def lines(ubl: Ubl) -> Iterator[Violation]:
    """BR-21…BR-27, BR-CO-04, PEPPOL-EN16931-R121: what every line must carry."""
    for index, line in enumerate(ubl.line_facts(), start=1):
        present = (  # one per _LINE_RULES
            not blank(line.id),
            line.has_quantity,
            line.has_quantity and line.unit_code,
            line.amounts,
            not blank(line.name),
            line.has_price,
            _has_vat_code(line),
        )
        negative_price = line.price is not None and line.price < 0
        bad_base = line.has_base and (line.base is None or line.base <= 0)
        if all(present) and not negative_price and not bad_base:
            continue  # the common case, without a message made for nothing
        where = f"line {index}"
        yield from (
            Violation(rule, where) for rule, ok in zip(_LINE_RULES, present, strict=True) if not ok
        )
        if negative_price:
            yield Violation("BR-27", where)
        if bad_base:
            yield Violation("PEPPOL-EN16931-R121", where)


def _has_vat_code(line: Line) -> bool:
    """``text(line, "cac:Item/cac:ClassifiedTaxCategory[VAT scheme]/cbc:ID")`` is not empty.

    That is the first cbc:ID of the first VAT category that has one.
    """
    for category in line.categories:
        if category.vat and category.codes:
            return bool(category.code)
    return False


def vat_category_codes(ubl: Ubl) -> Iterator[Violation]:
    """BR-CL-17/18: VAT categories from UNCL 5305; BR-S-05, BR-E-05: the line rate fits it.

    BR-CL-17 reads every ``//cac:TaxCategory/cbc:ID``: category by category here, which is
    document order but for a category nested in another; the violations say no more than
    the rule, so their order is the same.
    """
    for element in ubl.everywhere(CATEGORIES):
        if element.tag != _TAX_CATEGORY:
            continue
        scheme = text(element, "cac:TaxScheme/cbc:ID")
        for node in element.iterchildren(_ID):
            if text(node, ".") not in _VAT_CATEGORIES and scheme == "VAT":
                yield Violation("BR-CL-17")
    index = 0  # counts the VAT categories of the lines, not the lines
    for line in ubl.line_facts():
        for category in line.categories:
            if category.vat:
                index += 1
                rate = category.rate
                if category.code != "S" or rate is None or rate <= 0:  # S at a rate is fine
                    yield from _line_category(category, index)


def _line_category(category: Category, index: int) -> Iterator[Violation]:
    code, rate = category.code, category.rate
    if code not in _VAT_CATEGORIES:
        yield Violation("BR-CL-18", f"line {index}")
    if code == "S" and not (rate is not None and rate > 0):
        yield Violation("BR-S-05", f"line {index}")
    if code == "E" and rate != 0:
        yield Violation("BR-E-05", f"line {index}")


def amount_format(ubl: Ubl) -> Iterator[Violation]:
    """BR-DEC-*: at most two decimals; PEPPOL-EN16931-R051: one currency for every amount."""
    for rule, path in _TWO_DECIMALS:
        yield from _two_decimals(rule, nodes(ubl, path))
    for rule, line_tag, indicator in _LINE_DECIMALS:
        yield from _line_decimals(ubl, rule, line_tag, indicator)
    currency = ubl.currency()
    for node in ubl.everywhere(AMOUNTS):
        if node.get("currencyID") != currency and _currency_amount(ubl, node):
            yield Violation("PEPPOL-EN16931-R051", node.tag)


def _two_decimals(rule: str, amounts: list[Element]) -> Iterator[Violation]:
    for node in amounts:
        if decimals_in(text(node, ".")) > 2:
            yield Violation(rule, node.tag)


def _line_decimals(
    ubl: Ubl, rule: str, line_tag: str, indicator: str | None
) -> Iterator[Violation]:
    """One of ``_LINE_DECIMALS``: from the lines' facts, or by path for another line tag."""
    path = "cbc:LineExtensionAmount"
    if indicator is not None:
        path = f"cac:AllowanceCharge[cbc:ChargeIndicator='{indicator}']/cbc:Amount"
    if line_tag != ubl.line_tag:
        yield from _two_decimals(rule, nodes(ubl, f"{line_tag}/{path}"))
        return
    if indicator is None:
        for line in ubl.line_facts():
            for amount in line.amounts:
                if decimals_in(amount) > 2:
                    yield Violation(rule, _LINE_AMOUNT)
        return
    for line in ubl.line_facts():
        for charge in line.allowance_charges:
            if indicator in charge.indicators:
                for amount in charge.amounts:
                    if decimals_in(amount) > 2:
                        yield Violation(rule, _AMOUNT)


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
    for index, means in walk(ubl, "cac:PaymentMeans"):
        code = text(means, "cbc:PaymentMeansCode")
        if not code:
            yield Violation("BR-49", f"payment means {index}")
        account = first(means, "cac:PayeeFinancialAccount")
        if account is not None and not text(account, "cbc:ID"):
            yield Violation("BR-50", f"payment means {index}")
        if code in ("30", "58") and not exists(means, "cac:PayeeFinancialAccount/cbc:ID"):
            yield Violation("BR-61", f"payment means {index}")
    payable = decimal(ubl.monetary_total(), "cbc:PayableAmount")
    has_terms = exists(ubl, "cac:PaymentTerms/cbc:Note") or (
        next(ubl.root.iter(_DUE_DATE), None) is not None
    )
    if payable is not None and payable > 0 and not has_terms:
        yield Violation("BR-CO-25")


def references(ubl: Ubl) -> Iterator[Violation]:
    """BR-55 (a preceding invoice reference has its number), BR-CO-26 (seller identified).

    SAMKALK-CN-REF: Samkalk's credit notes always name the invoice they correct.
    """
    for index, reference in walk(ubl, "cac:BillingReference"):
        if not text(reference, "cac:InvoiceDocumentReference/cbc:ID"):
            yield Violation("BR-55", f"billing reference {index}")
    seller = ubl.seller()
    seller_ids = (
        "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"
        " | cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID"
    )
    if seller is not None and not exists(seller, seller_ids):
        yield Violation("BR-CO-26")
    if ubl.credit and not exists(ubl, "cac:BillingReference/cac:InvoiceDocumentReference"):
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
