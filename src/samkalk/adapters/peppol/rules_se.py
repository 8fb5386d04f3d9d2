"""The Swedish national rules (SE-R-*) and the Swedish organisation-number rule of Peppol.

They apply, as in ``PEPPOL-EN16931-UBL.sch``, when the seller's address is in Sweden: VAT number
"SE" + 12 digits, organisation number of 10 digits with a Luhn check digit, "Godkänd för F-skatt"
as the non-VAT tax registration, only 25, 12 or 6 % standard rates, bankgiro 7–8 digits and
plusgiro 2–8 digits under credit transfer (code 30). SE-R-007…012 are warnings in Peppol; they are
reported here like the others, so a Samkalk export never goes out with a malformed account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from samkalk.adapters.peppol.rules_document import Check
from samkalk.adapters.peppol.tree import (
    IDENTIFIERS,
    Element,
    Ubl,
    Violation,
    exists,
    nodes,
    text,
    walk,
)
from samkalk.core.identity import luhn_valid

_XPATH_NUMBER = re.compile(r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*$")
_SWEDISH_RATES = {Decimal(25), Decimal(12), Decimal(6)}
_VAT_ID = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"


def _numeric(value: str) -> bool:
    """XPath ``string(number(.)) != 'NaN'``."""
    return bool(_XPATH_NUMBER.match(value))


def _org_number_valid(value: str) -> bool:
    """PEPPOL-COMMON-R049 / SE-R-013: ten digits, the last a Luhn check digit."""
    return len(value) == 10 and value.isdigit() and luhn_valid(value)


def _seller_in_sweden(ubl: Ubl) -> Element | None:
    seller = ubl.seller()
    if text(seller, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") != "SE":
        return None
    return seller


def _swedish_vat_number(seller: Element | None) -> str | None:
    """The seller's VAT number when it is Swedish (starts with "SE"), else None."""
    vat = nodes(seller, _VAT_ID) if seller is not None else []
    raw = (vat[0].text or "") if vat else ""
    return raw if raw[:2] == "SE" else None


def seller_identifiers(ubl: Ubl) -> Iterator[Violation]:
    """SE-R-001/002 (VAT number), SE-R-003/004/013 (organisation number), SE-R-005 (F-skatt)."""
    seller = _seller_in_sweden(ubl)
    if seller is None:
        return
    vat = _swedish_vat_number(seller)
    if vat is not None:
        if len(vat.strip()) != 14:
            yield Violation("SE-R-001", vat)
        if not _numeric(vat[2:14]):
            yield Violation("SE-R-002", vat)
    for company_id in nodes(seller, "cac:PartyLegalEntity/cbc:CompanyID"):
        raw, value = company_id.text or "", text(company_id, ".")
        if not _numeric(raw):
            yield Violation("SE-R-003", raw)
        if len(value) != 10:
            yield Violation("SE-R-004", raw)
        if not (value.isdigit() and luhn_valid(value)):
            yield Violation("SE-R-013", raw)
    if nodes(seller, "cac:PartyLegalEntity/cbc:CompanyID"):
        for tax_id in nodes(
            seller,
            "cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) != 'VAT']/cbc:CompanyID",
        ):
            if text(tax_id, ".").upper() != "GODKÄND FÖR F-SKATT":
                yield Violation("SE-R-005", text(tax_id, "."))


def swedish_vat_rates(ubl: Ubl) -> Iterator[Violation]:
    """SE-R-006: a Swedish seller's standard rate is 25, 12 or 6 %."""
    if _swedish_vat_number(_seller_in_sweden(ubl)) is None:
        return
    for category in ubl.categories():
        if "S" in category.codes and category.rate not in _SWEDISH_RATES:
            yield Violation("SE-R-006", category.percent)


def giro_accounts(ubl: Ubl) -> Iterator[Violation]:
    """SE-R-007…012: bankgiro and plusgiro under code 30, not 50, 56 or (domestic) 31."""
    if _seller_in_sweden(ubl) is None:
        return
    buyer_in_sweden = (
        text(ubl.buyer(), "cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "SE"
    )
    for index, means in walk(ubl, "cac:PaymentMeans"):
        code = text(means, "cbc:PaymentMeansCode")
        branch = text(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")
        account = text(means, "cac:PayeeFinancialAccount/cbc:ID")
        has_account = exists(means, "cac:PayeeFinancialAccount/cbc:ID")
        where = f"payment means {index}"
        if code == "30" and branch == "SE:PLUSGIRO" and has_account:
            if not _numeric(account):
                yield Violation("SE-R-007", where)
            if not 2 <= len(account) <= 8:
                yield Violation("SE-R-010", where)
        if code == "30" and branch == "SE:BANKGIRO" and has_account:
            if not _numeric(account):
                yield Violation("SE-R-008", where)
            if len(account) not in (7, 8):
                yield Violation("SE-R-009", where)
        if code in ("50", "56"):
            yield Violation("SE-R-011", where)
        if code == "31" and buyer_in_sweden:
            yield Violation("SE-R-012", where)


def organisation_numbers(ubl: Ubl) -> Iterator[Violation]:
    """PEPPOL-COMMON-R049: every identifier under ICD 0007 is a valid organisation number."""
    for node in ubl.everywhere(IDENTIFIERS):
        if node.get("schemeID") != "0007":
            continue
        if not _org_number_valid(text(node, ".")):
            yield Violation("PEPPOL-COMMON-R049", text(node, "."))


CHECKS: tuple[Check, ...] = (
    seller_identifiers,
    swedish_vat_rates,
    giro_accounts,
    organisation_numbers,
)
