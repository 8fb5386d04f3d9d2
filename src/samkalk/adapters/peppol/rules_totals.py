"""The arithmetic of an e-invoice: lines, totals and the VAT breakdown must add up.

Official rules are checked as the Schematron states them, tolerances included: PEPPOL-EN16931-R120
allows a line 0.02 off quantity × price, BR-CO-17, BR-S-08 and BR-S-09 allow the VAT up to one
unit off. Samkalk promises more — the line is quantity × price rounded to öre, the VAT of each
breakdown is its taxable amount × rate rounded to öre once, its taxable amount is exactly its
lines — so three stricter rules of our own (SAMKALK-LINE-ROUNDING, SAMKALK-VAT-ROUNDING,
SAMKALK-VAT-BASE) catch the öre the official tolerances would let through.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

from samkalk.adapters.peppol.rules_document import Check
from samkalk.adapters.peppol.tree import (
    Category,
    Element,
    Line,
    Ubl,
    Violation,
    decimal,
    decimal_sum,
    exists,
    first,
    nodes,
    normalize_space,
    text,
)
from samkalk.core.money import round_ore

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_TOLERANCE = Decimal("0.02")
_VAT = "cac:TaxCategory[cac:TaxScheme/cbc:ID='VAT']"


def _xpath_round_2(value: Decimal) -> Decimal:
    """``round(x * 10 * 10) div 100`` as XPath computes it: halves round towards +∞."""
    return (value * _HUNDRED + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR) / _HUNDRED


def line_amounts(ubl: Ubl) -> Iterator[Violation]:
    """PEPPOL-EN16931-R120 (within 0.02) and SAMKALK-LINE-ROUNDING (exact, to öre)."""
    for index, line in enumerate(ubl.line_facts(), start=1):
        amount = line.amount
        if amount is None:
            continue
        expected = _line_expected(line)
        if expected is None:
            continue
        if abs(amount - expected) > _TOLERANCE:
            yield Violation("PEPPOL-EN16931-R120", f"line {index}")
        if amount != round_ore(expected):
            yield Violation("SAMKALK-LINE-ROUNDING", f"line {index}")


def _line_expected(line: Line) -> Decimal | None:
    """quantity × (price ÷ base quantity) + line charges − line allowances."""
    quantity = line.quantity_value if line.has_quantity else Decimal(1)
    price = line.price or _ZERO
    base = line.base or Decimal(1)
    if quantity is None:
        return None
    if not (line.charges or line.allowances):  # adding round(0) twice gives the same value
        return quantity * (price / base)
    charges = _xpath_round_2(line.charges)
    allowances = _xpath_round_2(line.allowances)
    return quantity * (price / base) + charges - allowances


def document_totals(ubl: Ubl) -> Iterator[Violation]:
    """BR-CO-10 … BR-CO-16: the sums in LegalMonetaryTotal and TaxTotal add up."""
    total = ubl.monetary_total()
    if total is None:
        return
    line_sum = sum((line.amount or _ZERO for line in ubl.line_facts()), _ZERO)
    net = decimal(total, "cbc:LineExtensionAmount")
    if net is not None and net != _xpath_round_2(line_sum):
        yield Violation("BR-CO-10")
    yield from _allowance_charge_totals(ubl, total)
    yield from _tax_exclusive(total)
    tax = decimal(ubl.tax_total(), "cbc:TaxAmount")
    inclusive = decimal(total, "cbc:TaxInclusiveAmount")
    exclusive = decimal(total, "cbc:TaxExclusiveAmount")
    if None in (tax, inclusive, exclusive) or inclusive != _xpath_round_2(
        (exclusive or _ZERO) + (tax or _ZERO)
    ):
        yield Violation("BR-CO-15")
    yield from _payable(total)


def _allowance_charge_totals(ubl: Ubl, total: Element) -> Iterator[Violation]:
    for rule, tag, charge in (
        ("BR-CO-11", "cbc:AllowanceTotalAmount", False),
        ("BR-CO-12", "cbc:ChargeTotalAmount", True),
    ):
        items = ubl.allowance_charges(charge)
        stated = decimal(total, tag)
        if exists(total, tag):
            if stated != _xpath_round_2(decimal_sum(items, "cbc:Amount")):
                yield Violation(rule)
        elif items:
            yield Violation(rule)


def _tax_exclusive(total: Element) -> Iterator[Violation]:
    net = decimal(total, "cbc:LineExtensionAmount") or _ZERO
    allowances = decimal(total, "cbc:AllowanceTotalAmount") or _ZERO
    charges = decimal(total, "cbc:ChargeTotalAmount") or _ZERO
    if decimal(total, "cbc:TaxExclusiveAmount") != _xpath_round_2(net + charges - allowances):
        yield Violation("BR-CO-13")


def _payable(total: Element) -> Iterator[Violation]:
    inclusive = decimal(total, "cbc:TaxInclusiveAmount") or _ZERO
    prepaid = decimal(total, "cbc:PrepaidAmount") or _ZERO
    rounding = decimal(total, "cbc:PayableRoundingAmount") or _ZERO
    payable = decimal(total, "cbc:PayableAmount")
    if payable is None or _xpath_round_2(payable - rounding) != _xpath_round_2(inclusive - prepaid):
        yield Violation("BR-CO-16")


def vat_breakdown(ubl: Ubl) -> Iterator[Violation]:
    """BR-CO-14, BR-45…BR-48, BR-CO-17 and the stricter SAMKALK-VAT-ROUNDING per subtotal."""
    tax_total = ubl.tax_total()
    if tax_total is None:
        return
    subtotals = nodes(tax_total, "cac:TaxSubtotal")
    if decimal(tax_total, "cbc:TaxAmount") != _xpath_round_2(
        decimal_sum(subtotals, "cbc:TaxAmount")
    ):
        yield Violation("BR-CO-14")
    for index, subtotal in enumerate(subtotals, start=1):
        yield from _subtotal(subtotal, f"VAT breakdown {index}")


def _subtotal(subtotal: Element, where: str) -> Iterator[Violation]:
    taxable, tax = decimal(subtotal, "cbc:TaxableAmount"), decimal(subtotal, "cbc:TaxAmount")
    code, rate = text(subtotal, f"{_VAT}/cbc:ID"), decimal(subtotal, f"{_VAT}/cbc:Percent")
    for rule, ok in (
        ("BR-45", exists(subtotal, "cbc:TaxableAmount")),
        ("BR-46", exists(subtotal, "cbc:TaxAmount")),
        ("BR-47", bool(code)),
        ("BR-48", exists(subtotal, f"{_VAT}/cbc:Percent") or code == "O"),
    ):
        if not ok:
            yield Violation(rule, where)
    if taxable is None or tax is None:
        return
    if not _co17_holds(taxable, tax, rate):
        yield Violation("BR-CO-17", where)
    if rate is not None and tax != round_ore(taxable * rate / _HUNDRED):
        yield Violation("SAMKALK-VAT-ROUNDING", where)


def _co17_holds(taxable: Decimal, tax: Decimal, rate: Decimal | None) -> bool:
    if rate is None or _round_integer(rate) == 0:
        return _round_integer(tax) == 0
    expected = _xpath_round_2(abs(taxable) * (rate / _HUNDRED))
    return abs(tax) - 1 < expected < abs(tax) + 1


def _round_integer(value: Decimal) -> Decimal:
    return (value + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)


def vat_categories(ubl: Ubl) -> Iterator[Violation]:
    """BR-S-01/02/08/09/10 and BR-E-01/02/08/09/10: standard rated and exempt breakdowns."""
    categories: set[Category] = set()  # lines share them: read each once
    for line in ubl.line_facts():
        categories.update(line.categories)
    line_codes = {
        normalize_space(code) for category in categories if category.vat for code in category.codes
    }
    charge_codes = {text(node, ".") for node in nodes(ubl, f"cac:AllowanceCharge/{_VAT}/cbc:ID")}
    breakdown = nodes(ubl, f"cac:TaxTotal/cac:TaxSubtotal/{_VAT}")
    breakdown_codes = [text(node, "cbc:ID") for node in breakdown]
    seller = ubl.seller()
    seller_tax_id = exists(seller, "cac:PartyTaxScheme/cbc:CompanyID") or exists(
        ubl,
        "cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID",
    )
    used = line_codes | charge_codes
    if ("S" in used) != ("S" in breakdown_codes):
        yield Violation("BR-S-01")
    if "E" in used and breakdown_codes.count("E") != 1:
        yield Violation("BR-E-01")
    for code, rule in (("S", "BR-S-02"), ("E", "BR-E-02")):
        if code in line_codes and not seller_tax_id:
            yield Violation(rule)
    bases = _line_bases(ubl.line_facts())
    for index, category in enumerate(breakdown, start=1):
        yield from _category(ubl, bases, category, f"VAT breakdown {index}")


# Σ of the line amounts by the code of the line's (first) category, and by code and rate.
_Bases = tuple[dict[str, Decimal], dict[tuple[str, Decimal | None], Decimal]]


def _line_bases(lines: list[Line]) -> _Bases:
    """The line part of every ``_category_base`` in one pass, not one per VAT breakdown.

    Each sum starts at zero and adds its lines in line order, as the pass per breakdown did.
    """
    by_code: dict[str, Decimal] = {}
    by_rate: dict[tuple[str, Decimal | None], Decimal] = {}
    for line in lines:
        if line.categories:
            category, amount = line.categories[0], line.amount or _ZERO
            code, key = category.code, (category.code, category.rate)
            by_code[code] = by_code.get(code, _ZERO) + amount
            by_rate[key] = by_rate.get(key, _ZERO) + amount
    return by_code, by_rate


def _category(ubl: Ubl, bases: _Bases, category: Element, where: str) -> Iterator[Violation]:
    subtotal = category.getparent()
    assert subtotal is not None
    code, rate = text(category, "cbc:ID"), decimal(category, "cbc:Percent")
    taxable = decimal(subtotal, "cbc:TaxableAmount")
    tax = decimal(subtotal, "cbc:TaxAmount")
    exemption = exists(category, "cbc:TaxExemptionReason | cbc:TaxExemptionReasonCode")
    base, found = _category_base(ubl, bases, code, rate)
    if taxable != base:
        yield Violation("SAMKALK-VAT-BASE", where)
    if code == "S":
        yield from _standard(taxable, tax, rate, base if found else None, exemption, where)
    elif code == "E":
        if taxable != base:
            yield Violation("BR-E-08", where)
        if tax != 0:
            yield Violation("BR-E-09", where)
        if not exemption:
            yield Violation("BR-E-10", where)


def _standard(
    taxable: Decimal | None,
    tax: Decimal | None,
    rate: Decimal | None,
    base: Decimal | None,
    exemption: bool,
    where: str,
) -> Iterator[Violation]:
    if taxable is None or base is None or not taxable - 1 < base < taxable + 1:
        yield Violation("BR-S-08", where)
    if taxable is not None and tax is not None and rate is not None:
        expected = _xpath_round_2(abs(taxable) * (rate / _HUNDRED))
        if not abs(tax) - 1 < expected < abs(tax) + 1:
            yield Violation("BR-S-09", where)
    if exemption:
        yield Violation("BR-S-10", where)


def _category_base(
    ubl: Ubl, bases: _Bases, code: str, rate: Decimal | None
) -> tuple[Decimal, bool]:
    """Σ lines + charges − allowances of one VAT category (and rate for S); whether any."""
    by_code, by_rate = bases
    lines = by_rate.get((code, rate)) if code == "S" else by_code.get(code)
    found = lines is not None
    base = _ZERO if lines is None else lines
    for charge, sign in ((True, 1), (False, -1)):
        for item in ubl.allowance_charges(charge):
            if _matches(first(item, "cac:TaxCategory"), code, rate):
                found = True
                base += sign * (decimal(item, "cbc:Amount") or _ZERO)
    return base, found


def _matches(category: Element | None, code: str, rate: Decimal | None) -> bool:
    if category is None or text(category, "cbc:ID") != code:
        return False
    return code != "S" or decimal(category, "cbc:Percent") == rate


CHECKS: tuple[Check, ...] = (line_amounts, document_totals, vat_breakdown, vat_categories)
