"""A parsed UBL Invoice or CreditNote, with the few look-ups the business rules need.

The rules are written once for both document types: ``Ubl`` hides whether lines are
``cac:InvoiceLine`` with ``cbc:InvoicedQuantity`` or ``cac:CreditNoteLine`` with
``cbc:CreditedQuantity``, and reads numbers as ``Decimal`` (never float) the way the Schematron
reads them with ``xs:decimal``: a missing or malformed number is ``None``, which the XSD reports.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree

from samkalk.adapters.peppol.ubl import CREDIT_NOTE_NS, NS

Element = etree._Element
_XS_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken rule: its official id (or a SAMKALK-* id) and where in the document."""

    rule: str
    where: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """What several rules read from one invoice line, read and parsed once.

    The totals rules read each line's amount, price and VAT category again for every VAT
    breakdown; on a 20 000-line invoice those repeated look-ups were most of the check.
    Each field is what the look-up named in its comment gives.
    """

    element: Element
    quantity: Element | None  # first(line, quantity tag)
    quantity_value: Decimal | None  # decimal(line, quantity tag)
    amount: Decimal | None  # decimal(line, "cbc:LineExtensionAmount")
    price: Decimal | None  # decimal(line, "cac:Price/cbc:PriceAmount")
    base: Decimal | None  # decimal(line, "cac:Price/cbc:BaseQuantity")
    has_base: bool  # exists(line, "cac:Price/cbc:BaseQuantity")
    category: Element | None  # first(line, "cac:Item/cac:ClassifiedTaxCategory")
    category_code: str  # text(category, "cbc:ID")
    category_rate: Decimal | None  # decimal(category, "cbc:Percent")
    charges: Decimal  # Σ cbc:Amount of the line's charges …
    allowances: Decimal  # … and of its allowances, missing amounts as zero


@dataclass(frozen=True, slots=True)
class Ubl:
    root: Element
    _cache: dict[str, list[Line]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def credit(self) -> bool:
        return etree.QName(self.root).namespace == CREDIT_NOTE_NS

    @property
    def line_tag(self) -> str:
        return "cac:CreditNoteLine" if self.credit else "cac:InvoiceLine"

    @property
    def quantity_tag(self) -> str:
        return "cbc:CreditedQuantity" if self.credit else "cbc:InvoicedQuantity"

    def lines(self) -> list[Element]:
        return [line.element for line in self.line_facts()]

    def line_facts(self) -> list[Line]:
        """Every line's ``Line``, computed on the first call (the tree must not change after)."""
        if "lines" not in self._cache:
            quantity_tag = self.quantity_tag
            self._cache["lines"] = [
                _line(element, quantity_tag) for element in nodes(self.root, self.line_tag)
            ]
        return self._cache["lines"]

    def seller(self) -> Element | None:
        return first(self.root, "cac:AccountingSupplierParty/cac:Party")

    def buyer(self) -> Element | None:
        return first(self.root, "cac:AccountingCustomerParty/cac:Party")

    def currency(self) -> str:
        return text(self.root, "cbc:DocumentCurrencyCode")

    def tax_total(self) -> Element | None:
        """The TaxTotal with subtotals, in the document currency (BG-22/BG-23)."""
        return first(self.root, "cac:TaxTotal[cac:TaxSubtotal]")

    def monetary_total(self) -> Element | None:
        return first(self.root, "cac:LegalMonetaryTotal")

    def allowance_charges(self, charge: bool) -> list[Element]:
        """Document level allowances (``charge`` False) or charges (True)."""
        return _allowance_charges(self.root, charge)

    def line_allowance_charges(self, line: Element, charge: bool) -> list[Element]:
        return _allowance_charges(line, charge)


def _line(element: Element, quantity_tag: str) -> Line:
    quantity = first(element, quantity_tag)
    category = first(element, "cac:Item/cac:ClassifiedTaxCategory")
    return Line(
        element=element,
        quantity=quantity,
        quantity_value=None if quantity is None else to_decimal(text(quantity, ".")),
        amount=decimal(element, "cbc:LineExtensionAmount"),
        price=decimal(element, "cac:Price/cbc:PriceAmount"),
        base=decimal(element, "cac:Price/cbc:BaseQuantity"),
        has_base=exists(element, "cac:Price/cbc:BaseQuantity"),
        category=category,
        category_code=text(category, "cbc:ID"),
        category_rate=decimal(category, "cbc:Percent"),
        charges=decimal_sum(_allowance_charges(element, True), "cbc:Amount"),
        allowances=decimal_sum(_allowance_charges(element, False), "cbc:Amount"),
    )


def _allowance_charges(parent: Element, charge: bool) -> list[Element]:
    indicator = "true" if charge else "false"
    return [
        node
        for node in nodes(parent, "cac:AllowanceCharge")
        if text(node, "cbc:ChargeIndicator").lower() == indicator
    ]


def nodes(context: Element, path: str) -> list[Element]:
    """The element matches of ``path``, in document order, as ``context.xpath(path)`` gives.

    A plain child path (``cac:Price/cbc:PriceAmount``, or ``.``) is walked in Python: for
    child steps that walk is document order, and it costs a fraction of an XPath call, which
    matters because the rules make dozens of these look-ups per invoice line. Anything else
    runs as XPath compiled once per path.
    """
    steps = _steps(path)
    if steps is None:
        found = _compiled(path)(context)
        assert isinstance(found, list)
        return [node for node in found if isinstance(node, etree._Element)]
    if len(steps) == 1:
        return list(context.iterchildren(steps[0]))
    return list(_walk_children(context, steps, 0))


def first(context: Element, path: str) -> Element | None:
    steps = _steps(path)
    if steps is None:
        found = nodes(context, path)
        return found[0] if found else None
    if len(steps) == 1:
        return next(context.iterchildren(steps[0]), None)
    return _first_child(context, steps, 0)


def text(context: Element | None, path: str) -> str:
    """The whitespace-normalised text of the first match, or "" (XPath normalize-space)."""
    if context is None:
        return ""
    node = first(context, path)
    if node is None:
        return ""
    return normalize_space(string_value(node))


def string_value(node: Element) -> str:
    """XPath ``string(.)``: ``.text`` when the element has no children, else XPath itself.

    Only leaves are common here; comments, entities or children fall back to libxml2 so that
    what counts as text stays exactly XPath's.
    """
    if len(node) == 0:
        return node.text or ""
    return str(_STRING(node))


def normalize_space(value: str) -> str:
    """XPath ``normalize-space``: only space, tab, CR and LF are whitespace (not ``str.split``)."""
    if _NOT_NORMAL.search(value) is None:
        return value
    return _XML_SPACE.sub(" ", value).strip(" ")


def exists(context: Element | None, path: str) -> bool:
    return context is not None and first(context, path) is not None


def decimal(context: Element | None, path: str) -> Decimal | None:
    """The first match as ``xs:decimal``, or None when missing or not a decimal."""
    return to_decimal(text(context, path))


_CHILD_PATH = re.compile(r"^(?:cac|cbc):[A-Za-z]+(?:/(?:cac|cbc):[A-Za-z]+)*$")
_NOT_NORMAL = re.compile(r"[\t\n\r]|  |^ | $")
_XML_SPACE = re.compile(r"[ \t\n\r]+")
_STRING = etree.XPath("string(.)")


@functools.cache
def _compiled(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=NS)


@functools.cache
def _steps(path: str) -> tuple[str, ...] | None:
    """The Clark names of a plain child path (``()`` for ``.``); None for any other XPath."""
    if path == ".":
        return ()
    if not _CHILD_PATH.match(path):
        return None
    return tuple(f"{{{NS[prefix]}}}{local}" for prefix, _, local in _split(path))


def _split(path: str) -> Iterator[tuple[str, str, str]]:
    return (step.partition(":") for step in path.split("/"))


def _walk_children(context: Element, steps: tuple[str, ...], depth: int) -> Iterator[Element]:
    if depth == len(steps):
        yield context
        return
    for child in context.iterchildren(steps[depth]):
        yield from _walk_children(child, steps, depth + 1)


def _first_child(context: Element, steps: tuple[str, ...], depth: int) -> Element | None:
    if depth == len(steps):
        return context
    for child in context.iterchildren(steps[depth]):
        found = _first_child(child, steps, depth + 1)
        if found is not None:
            return found
    return None


def to_decimal(value: str) -> Decimal | None:
    if not _XS_DECIMAL.match(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None


def decimal_sum(elements: list[Element], path: str) -> Decimal:
    """Σ of ``path`` under each element; missing values count as zero."""
    return sum((decimal(element, path) or Decimal(0) for element in elements), Decimal(0))


def decimals_in(value: str) -> int:
    """How many characters follow the decimal point (BR-DEC-*: substring-after(., '.'))."""
    return len(value.partition(".")[2])


def walk(context: Element, path: str) -> Iterator[tuple[int, Element]]:
    """Matches of ``path`` numbered from 1, for messages that say which one broke a rule."""
    yield from enumerate(nodes(context, path), start=1)


def clark(tag: str) -> str:
    """``cbc:ID`` as lxml names it: ``{urn:…:CommonBasicComponents-2}ID``."""
    prefix, _, local = tag.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def everywhere(root: Element, *tags: str) -> Iterator[Element]:
    """``//a | //b | …`` from the document element, in document order and each once.

    libxml2 evaluates every ``//`` as a scan of the whole tree and merges the unions with a
    quadratic duplicate check; lxml's ``iter`` filters the tags in one pass in C.
    """
    return root.iter(*(clark(tag) for tag in tags))


def parent_is(node: Element, tag: str) -> bool:
    """Whether ``node``'s parent is a ``tag`` element: the ``a/`` in ``//a/b``."""
    parent = node.getparent()
    return parent is not None and parent.tag == clark(tag)
