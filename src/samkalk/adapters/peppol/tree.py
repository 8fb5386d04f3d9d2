"""A parsed UBL Invoice or CreditNote, with the few look-ups the business rules need.

The rules are written once for both document types: ``Ubl`` hides whether lines are
``cac:InvoiceLine`` with ``cbc:InvoicedQuantity`` or ``cac:CreditNoteLine`` with
``cbc:CreditedQuantity``, and reads numbers as ``Decimal`` (never float) the way the Schematron
reads them with ``xs:decimal``: a missing or malformed number is ``None``, which the XSD reports.

A 20 000-line invoice has some 330 000 elements, and a Python look-up per element and rule was
most of the check. So the document is walked once (``_Scan``), in document order: every line
into a ``Line`` with all its rules read, and on the way the elements the document-wide rules look
at (empty elements, dates, amounts, identifiers, tax categories) are gathered, and the document
element's children indexed by tag. The rules then read those facts and lists instead of walking
the tree again, and look-ups from the root (``first(ubl, path)``) use the index.
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

# The elements the document-wide rules look at wherever they are, gathered by the one walk:
# each group is one ``Ubl.everywhere`` look-up, ``//a | //p/b | …``, kept in document order.
DATES = (  # PEPPOL-EN16931-F001, BR-CO-25
    "cbc:IssueDate",
    "cbc:DueDate",
    "cbc:TaxPointDate",
    "cbc:StartDate",
    "cbc:EndDate",
    "cbc:ActualDeliveryDate",
    "cbc:PaymentDueDate",
)
AMOUNTS = (  # PEPPOL-EN16931-R051
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
IDENTIFIERS = (  # PEPPOL-COMMON-R049
    "cbc:EndpointID",
    "cac:PartyIdentification/cbc:ID",
    "cbc:CompanyID",
)
CATEGORIES = ("cac:TaxCategory", "cac:ClassifiedTaxCategory")  # BR-CL-17, SE-R-006
GROUPS = (DATES, AMOUNTS, IDENTIFIERS, CATEGORIES)


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken rule: its official id (or a SAMKALK-* id) and where in the document."""

    rule: str
    where: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class Category:
    """A ``cac:TaxCategory`` or ``cac:ClassifiedTaxCategory``, as the VAT rules read it.

    Equal categories are one object (``_category_facts``), compared and hashed by identity.
    """

    codes: tuple[str, ...]  # string(.) of each cbc:ID, as written (SE-R-006 compares it so)
    code: str  # text(category, "cbc:ID")
    percent: str  # text(category, "cbc:Percent")
    rate: Decimal | None  # decimal(category, "cbc:Percent")
    vat: bool  # [cac:TaxScheme/cbc:ID='VAT']: some scheme id is exactly "VAT"


@dataclass(frozen=True, slots=True)
class Period:
    """A line's ``cac:InvoicePeriod``: text(period, "cbc:StartDate") and of cbc:EndDate."""

    start: str
    end: str


@dataclass(frozen=True, slots=True)
class Charge:
    """A line's ``cac:AllowanceCharge``."""

    indicators: tuple[str, ...]  # string(.) of each cbc:ChargeIndicator ([… = 'true'])
    indicator: str  # lower-case(text(charge, "cbc:ChargeIndicator"))
    amounts: tuple[str, ...]  # text of each cbc:Amount (BR-DEC-24/27 read every one)
    amount: Decimal | None  # decimal(charge, "cbc:Amount")


@dataclass(slots=True)
class Line:
    """What the rules read from one invoice line, read and parsed in one walk over it.

    Each field is what the look-up named in its comment gives; the sequences keep every match
    in document order, for the rules that read all of them (first match vs any match). Not
    frozen only because a frozen dataclass sets each field through ``object.__setattr__``,
    eight times the cost, once per line; nothing changes a ``Line`` after the walk.
    """

    element: Element
    id: str  # string(cbc:ID) of the first, as written: text(line, "cbc:ID") normalises it
    has_quantity: bool  # exists(line, quantity tag)
    unit_code: str | None  # first(line, quantity tag).get("unitCode")
    quantity_value: Decimal | None  # decimal(line, quantity tag)
    amounts: tuple[str, ...]  # text of each cbc:LineExtensionAmount
    amount: Decimal | None  # decimal(line, "cbc:LineExtensionAmount")
    periods: tuple[Period, ...]  # each cac:InvoicePeriod
    name: str  # string(.) of the first cac:Item/cbc:Name, as written
    categories: tuple[Category, ...]  # each cac:Item/cac:ClassifiedTaxCategory; the first
    # is first(line, "cac:Item/cac:ClassifiedTaxCategory"), whatever its scheme
    price: Decimal | None  # decimal(line, "cac:Price/cbc:PriceAmount")
    has_price: bool  # exists(line, "cac:Price/cbc:PriceAmount")
    base: Decimal | None  # decimal(line, "cac:Price/cbc:BaseQuantity")
    has_base: bool  # exists(line, "cac:Price/cbc:BaseQuantity")
    allowance_charges: tuple[Charge, ...]  # each cac:AllowanceCharge
    charges: Decimal  # Σ cbc:Amount of the line's charges …
    allowances: Decimal  # … and of its allowances, missing amounts as zero


@dataclass(frozen=True, slots=True)
class Ubl:
    root: Element
    _cache: dict[str, _Scan] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def credit(self) -> bool:
        return etree.QName(self.root).namespace == CREDIT_NOTE_NS

    @property
    def line_tag(self) -> str:
        return "cac:CreditNoteLine" if self.credit else "cac:InvoiceLine"

    @property
    def quantity_tag(self) -> str:
        return "cbc:CreditedQuantity" if self.credit else "cbc:InvoicedQuantity"

    def _scan(self) -> _Scan:
        """The one walk over the document, on the first call (the tree must not change after)."""
        if "scan" not in self._cache:
            scan = _Scan(clark(self.quantity_tag))
            self._cache["scan"] = scan.document(self.root, clark(self.line_tag))
        return self._cache["scan"]

    def lines(self) -> list[Element]:
        return [line.element for line in self.line_facts()]

    def line_facts(self) -> list[Line]:
        """Every line (a child of the document element with the line tag), in order."""
        return self._scan().lines

    def empty_elements(self) -> list[Element]:
        """``//*[not(*) and not(normalize-space())]``, in document order."""
        return self._scan().empty

    def everywhere(self, group: tuple[str, ...]) -> list[Element]:
        """``//a | //p/b | …`` for one of ``GROUPS``, in document order and each once."""
        return self._scan().groups[group]

    def categories(self) -> list[Category]:
        """The facts of each of ``everywhere(CATEGORIES)``, in the same order."""
        scan = self._scan()
        facts = scan.categories
        return [facts[element] for element in scan.groups[CATEGORIES]]

    def nodes(self, path: str) -> list[Element]:
        """``nodes(root, path)``, the document element's children taken from the walk.

        The document element has a child per line: finding the few others among 20 000 costs a
        pass over them all, a cache miss each, some 5 ms. With dozens of look-ups from the root
        per document, the walk's index of the children by tag is worth having. A path that is
        not a plain child path is split after its first step when the rest only looks below.
        """
        steps = _steps(path)
        head, _, rest = path.partition("/")
        children = self._scan().children
        if steps:
            found = children.get(steps[0], [])
            return list(found) if len(steps) == 1 else _walk_all(found, steps)
        if rest and _CHILD_PATH.match(head) and _RELATIVE_PATH.match(rest):
            return [node for child in children.get(clark(head), []) for node in nodes(child, rest)]
        return nodes(self.root, path)

    def first(self, path: str) -> Element | None:
        """``first(root, path)``, with the document element's children from the walk."""
        steps = _steps(path)
        if not steps:
            found = self.nodes(path)
            return found[0] if found else None
        for child in self._scan().children.get(steps[0], []):
            node = _first_child(child, steps, 1)
            if node is not None:
                return node
        return None

    def seller(self) -> Element | None:
        return first(self, "cac:AccountingSupplierParty/cac:Party")

    def buyer(self) -> Element | None:
        return first(self, "cac:AccountingCustomerParty/cac:Party")

    def currency(self) -> str:
        return text(self, "cbc:DocumentCurrencyCode")

    def tax_totals(self, subtotals: bool) -> list[Element]:
        """``cac:TaxTotal[cac:TaxSubtotal]`` (``subtotals``) or ``[not(cac:TaxSubtotal)]``."""
        return [
            node
            for node in nodes(self, "cac:TaxTotal")
            if exists(node, "cac:TaxSubtotal") == subtotals
        ]

    def tax_total(self) -> Element | None:
        """The TaxTotal with subtotals, in the document currency (BG-22/BG-23)."""
        return next(iter(self.tax_totals(True)), None)

    def monetary_total(self) -> Element | None:
        return first(self, "cac:LegalMonetaryTotal")

    def allowance_charges(self, charge: bool) -> list[Element]:
        """Document level allowances (``charge`` False) or charges (True)."""
        indicator = "true" if charge else "false"
        return [
            node
            for node in nodes(self, "cac:AllowanceCharge")
            if text(node, "cbc:ChargeIndicator").lower() == indicator
        ]


_ZERO = Decimal(0)
_WS = " \t\n\r"  # XPath whitespace: what normalize-space() removes
_STRING = etree.XPath("string(.)")


class _Scan:
    """One walk over the whole document in document order, gathering what the rules read.

    Each element is seen once: the children of the document element with the line tag as lines
    (``_line`` and the methods below it read the children the line rules need and hand every
    other child to ``_element``), everything else by ``_element``. Every element is put in its
    ``GROUPS`` list as it is reached (``_groups`` of its parent's tag says which, for a
    ``p/b`` entry) and every empty one in ``empty``, so the lists come out in document order.

    An element is empty (PEPPOL-EN16931-R008) when it has no child element and its string
    value is whitespace; with no child at all, that string value is its text. A container is
    noted empty after its children, which is still in document order: with no child element,
    nothing below it was noted in between.

    At some 17 elements a line, the cost is per element: the loops over a line's children are
    written out (no generator, no call per child), a child the loop knows goes straight into
    its group (``_READ``) without hashing its tag, and comments only fall through to the last
    branch (``_other``).
    """

    def __init__(self, quantity_tag: str) -> None:
        self.lines: list[Line] = []
        self.children: dict[str, list[Element]] = {}  # the document element's, by tag
        self.empty: list[Element] = []
        self.groups: dict[tuple[str, ...], list[Element]] = {group: [] for group in GROUPS}
        self.categories: dict[Element, Category] = {}
        self._anywhere: dict[str, list[Element]] = {}  # tag → its group
        self._under_parent: dict[str, dict[str, list[Element]]] = {}  # parent tag → tag → …
        for group, found in self.groups.items():
            for path in group:
                parent, _, tag = path.rpartition("/")
                if parent:
                    self._under_parent.setdefault(clark(parent), {})[clark(tag)] = found
                else:
                    self._anywhere[clark(tag)] = found
        self._under_cache: dict[str, dict[str, list[Element]]] = {}
        self._quantity_tag = quantity_tag
        self._amounts = self.groups[AMOUNTS]
        self._dates = self.groups[DATES]
        self._categories = self.groups[CATEGORIES]

    def _groups(self, parent_tag: str) -> dict[str, list[Element]]:
        """The group of each tag that has one as a child of a ``parent_tag`` element."""
        groups = self._under_cache.get(parent_tag)
        if groups is None:
            groups = {**self._anywhere, **self._under_parent.get(parent_tag, {})}
            self._under_cache[parent_tag] = groups
        return groups

    def document(self, root: Element, line_tag: str) -> _Scan:
        """Walk the whole document; only children of ``root`` can be lines."""
        root_tag = root.tag
        if root_tag in _CATEGORY_TAGS:  # a bare category as the document: its facts aside
            self.categories[root] = _Scan(self._quantity_tag)._category(root, root_tag)
        group = self._groups("").get(root_tag)  # the document element has no parent element
        if group is not None:
            group.append(root)
        children, groups, lines = self.children, self._groups(root_tag), self.lines
        line_group = groups.get(line_tag)
        has_child = False
        for child in root:
            tag = child.tag
            if tag == line_tag:
                if line_group is not None:
                    line_group.append(child)
                lines.append(self._line(child))
            elif isinstance(tag, str):  # not a comment or processing instruction
                group = groups.get(tag)
                if group is not None:
                    group.append(child)
                children.setdefault(tag, []).append(child)
                self._element(child, tag)
            else:
                continue
            has_child = True
        if lines:
            children[line_tag] = [line.element for line in lines]
        if not has_child:
            self._childless(root)
        return self

    def _childless(self, node: Element) -> None:
        """A container without a child element, after its children: empty without text?"""
        if not string_value(node).strip(_WS):
            self.empty.append(node)

    def _element(self, node: Element, tag: str) -> None:
        """Any element, already reached, with everything below it."""
        if tag in _CATEGORY_TAGS:
            self._category(node, tag)
        elif len(node) == 0:
            if not (node.text or "").strip(_WS):
                self.empty.append(node)
        else:
            self._below(node, tag)

    def _below(self, node: Element, node_tag: str) -> None:
        groups = self._groups(node_tag)
        has_child = False
        for child in node:
            tag = child.tag
            if isinstance(tag, str):
                has_child = True
                group = groups.get(tag)
                if group is not None:
                    group.append(child)
                self._element(child, tag)
        if not has_child:
            self._childless(node)

    def _other(self, node: Element, parent_tag: str) -> bool:
        """A child the loops do not read: reached and walked; False for a comment."""
        tag = node.tag
        if not isinstance(tag, str):
            return False
        group = self._groups(parent_tag).get(tag)
        if group is not None:
            group.append(node)
        self._element(node, tag)
        return True

    def _leaf(self, node: Element, tag: str) -> str:
        """The string value of an element the schema gives only text, already reached."""
        if len(node) == 0:
            value = node.text or ""
            if not value.strip(_WS):
                self.empty.append(node)
            return value
        self._below(node, tag)  # comments, or elements the schema has not
        return str(_STRING(node))

    def _line(self, line: Element) -> Line:
        """One line; of cbc:ID, the quantity and cac:Price/* the first counts."""
        line_id = quantity_text = price = base = name = unit_code = amount = None
        has_quantity = False
        amounts: list[str] = []
        periods: list[Period] = []
        categories: list[Category] = []
        charges: list[Charge] = []
        quantity_tag, leaf = self._quantity_tag, self._leaf
        has_child = False
        for child in line:
            tag = child.tag
            if tag == _ID:
                value = leaf(child, tag)
                line_id = value if line_id is None else line_id
            elif tag == quantity_tag:
                value = leaf(child, tag)
                if not has_quantity:
                    has_quantity, quantity_text = True, value
                    unit_code = child.get("unitCode")
            elif tag == _LINE_AMOUNT:
                self._amounts.append(child)
                text, value_of = _decimal_text(leaf(child, tag))
                amount = value_of if not amounts else amount
                amounts.append(text)
            elif tag == _PERIOD:
                periods.append(self._period(child))
            elif tag == _ITEM:
                item_name = self._item(child, categories)
                name = item_name if name is None else name
            elif tag == _PRICE:
                price_amount, base_quantity = self._price(child)
                price = price_amount if price is None else price
                base = base_quantity if base is None else base
            elif tag == _ALLOWANCE_CHARGE:
                charges.append(self._charge(child))
            elif not self._other(child, line.tag):
                continue
            has_child = True
        if not has_child:
            self._childless(line)
        return Line(
            element=line,
            id=line_id or "",
            has_quantity=has_quantity,
            unit_code=unit_code,
            quantity_value=None if quantity_text is None else _number(quantity_text),
            amounts=tuple(amounts),
            amount=amount,
            periods=tuple(periods),
            name=name or "",
            categories=tuple(categories),
            price=None if price is None else _number(price),
            has_price=price is not None,
            base=None if base is None else _number(base),
            has_base=base is not None,
            allowance_charges=tuple(charges),
            charges=_charge_sum(charges, "true") if charges else _ZERO,
            allowances=_charge_sum(charges, "false") if charges else _ZERO,
        )

    def _period(self, period: Element) -> Period:
        start = end = None
        has_child = False
        for child in period:
            tag = child.tag
            if tag == _START:
                self._dates.append(child)
                value = self._leaf(child, tag)
                start = value if start is None else start
            elif tag == _END:
                self._dates.append(child)
                value = self._leaf(child, tag)
                end = value if end is None else end
            elif not self._other(child, _PERIOD):
                continue
            has_child = True
        if not has_child:
            self._childless(period)
        return _period_facts(start or "", end or "")

    def _item(self, item: Element, categories: list[Category]) -> str | None:
        """The string value of the item's first cbc:Name; its categories onto ``categories``."""
        name = None
        has_child = False
        for child in item:
            tag = child.tag
            if tag == _NAME:
                value = self._leaf(child, tag)
                name = value if name is None else name
            elif tag == _CLASSIFIED:
                self._categories.append(child)
                categories.append(self._category(child, tag))
            elif not self._other(child, _ITEM):
                continue
            has_child = True
        if not has_child:
            self._childless(item)
        return name

    def _price(self, price: Element) -> tuple[str | None, str | None]:
        """The string values of the first cbc:PriceAmount and cbc:BaseQuantity, or None."""
        amount = base = None
        has_child = False
        for child in price:
            tag = child.tag
            if tag == _PRICE_AMOUNT:
                self._amounts.append(child)
                value = self._leaf(child, tag)
                amount = value if amount is None else amount
            elif tag == _BASE_QUANTITY:
                value = self._leaf(child, tag)
                base = value if base is None else base
            elif not self._other(child, _PRICE):
                continue
            has_child = True
        if not has_child:
            self._childless(price)
        return amount, base

    def _charge(self, charge: Element) -> Charge:
        indicators: list[str] = []
        amounts: list[str] = []
        has_child = False
        for child in charge:
            tag = child.tag
            if tag == _CHARGE_INDICATOR:
                indicators.append(self._leaf(child, tag))
            elif tag == _AMOUNT:
                self._amounts.append(child)
                amounts.append(normalize_space(self._leaf(child, tag)))
            elif not self._other(child, _ALLOWANCE_CHARGE):
                continue
            has_child = True
        if not has_child:
            self._childless(charge)
        return Charge(
            indicators=tuple(indicators),
            indicator=normalize_space(indicators[0]).lower() if indicators else "",
            amounts=tuple(amounts),
            amount=to_decimal(amounts[0]) if amounts else None,
        )

    def _category(self, category: Element, category_tag: str) -> Category:
        """A category, already reached, with everything below it, into ``categories``."""
        codes: list[str] = []
        percent = None
        vat = False
        has_child = False
        for child in category:
            tag = child.tag
            if tag == _ID:
                codes.append(self._leaf(child, tag))
            elif tag == _PERCENT:
                value = self._leaf(child, tag)
                percent = value if percent is None else percent
            elif tag == _TAX_SCHEME:
                vat = self._scheme(child) or vat
            elif not self._other(child, category_tag):
                continue
            has_child = True
        if not has_child:
            self._childless(category)
        facts = _category_facts(tuple(codes), percent or "", vat)
        self.categories[category] = facts
        return facts

    def _scheme(self, scheme: Element) -> bool:
        """Whether some cbc:ID of this cac:TaxScheme is exactly "VAT"."""
        vat = False
        has_child = False
        for child in scheme:
            tag = child.tag
            if tag == _ID:
                vat = self._leaf(child, tag) == "VAT" or vat
            elif not self._other(child, _TAX_SCHEME):
                continue
            has_child = True
        if not has_child:
            self._childless(scheme)
        return vat


# The children the loops of ``_Scan`` read themselves, by parent, with the group each is put
# in straight away instead of looking it up: this must be what ``GROUPS`` says.
_READ: tuple[tuple[tuple[str, ...], dict[str, tuple[str, ...] | None]], ...] = (
    (
        ("cac:InvoiceLine", "cac:CreditNoteLine"),
        {
            "cbc:ID": None,
            "cbc:InvoicedQuantity": None,
            "cbc:CreditedQuantity": None,
            "cbc:LineExtensionAmount": AMOUNTS,
            "cac:InvoicePeriod": None,
            "cac:Item": None,
            "cac:Price": None,
            "cac:AllowanceCharge": None,
        },
    ),
    (("cac:InvoicePeriod",), {"cbc:StartDate": DATES, "cbc:EndDate": DATES}),
    (("cac:Item",), {"cbc:Name": None, "cac:ClassifiedTaxCategory": CATEGORIES}),
    (CATEGORIES, {"cbc:ID": None, "cbc:Percent": None, "cac:TaxScheme": None}),
    (("cac:TaxScheme",), {"cbc:ID": None}),
    (("cac:Price",), {"cbc:PriceAmount": AMOUNTS, "cbc:BaseQuantity": None}),
    (("cac:AllowanceCharge",), {"cbc:ChargeIndicator": None, "cbc:Amount": AMOUNTS}),
)


def _group_of(parent: str, tag: str) -> tuple[str, ...] | None:
    """The group of a ``tag`` child of a ``parent`` element, as ``_Scan._groups`` has it."""
    return next((group for group in GROUPS if tag in group or f"{parent}/{tag}" in group), None)


assert all(
    _group_of(parent, tag) == group
    for parents, read in _READ
    for parent in parents
    for tag, group in read.items()
), "_Scan puts the children it reads in other groups than GROUPS says"


# A large invoice has thousands of lines in a few categories and periods: equal ones share
# their facts (frozen, so sharing them is safe), read from the string values once.


@functools.lru_cache(maxsize=1024)
def _period_facts(start: str, end: str) -> Period:
    return Period(normalize_space(start), normalize_space(end))


@functools.lru_cache(maxsize=1024)
def _category_facts(codes: tuple[str, ...], percent: str, vat: bool) -> Category:
    text = normalize_space(percent)
    return Category(
        codes=codes,
        code=normalize_space(codes[0]) if codes else "",
        percent=text,
        rate=to_decimal(text),
        vat=vat,
    )


def _charge_sum(charges: list[Charge], indicator: str) -> Decimal:
    return sum(
        (charge.amount or _ZERO for charge in charges if charge.indicator == indicator), _ZERO
    )


def nodes(context: Element | Ubl, path: str) -> list[Element]:
    """The element matches of ``path``, in document order, as ``context.xpath(path)`` gives.

    A plain child path (``cac:Price/cbc:PriceAmount``, or ``.``) is walked in Python: for
    child steps that walk is document order, and it costs a fraction of an XPath call.
    Anything else runs as XPath compiled once per path. A ``Ubl`` context is its root.
    """
    if isinstance(context, Ubl):
        return context.nodes(path)
    steps = _steps(path)
    if steps is None:
        found = _compiled(path)(context)
        assert isinstance(found, list)
        return [node for node in found if isinstance(node, etree._Element)]
    if len(steps) == 1:
        return list(context.iterchildren(steps[0]))
    return list(_walk_children(context, steps, 0))


def first(context: Element | Ubl, path: str) -> Element | None:
    if isinstance(context, Ubl):
        return context.first(path)
    steps = _steps(path)
    if steps is None:
        found = nodes(context, path)
        return found[0] if found else None
    if len(steps) == 1:
        return next(context.iterchildren(steps[0]), None)
    return _first_child(context, steps, 0)


def text(context: Element | Ubl | None, path: str) -> str:
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
    """XPath ``normalize-space``: only space, tab, CR and LF are whitespace (not ``str.split``).

    Most values are normal already; the string methods tell so cheaper than the pattern (tab,
    CR and LF are not printable), and leave the rest to it.
    """
    if "  " not in value and value.isprintable() and value[:1] != " " and value[-1:] != " ":
        return value
    if _NOT_NORMAL.search(value) is None:
        return value
    return _XML_SPACE.sub(" ", value).strip(" ")


def exists(context: Element | Ubl | None, path: str) -> bool:
    return context is not None and first(context, path) is not None


def decimal(context: Element | Ubl | None, path: str) -> Decimal | None:
    """The first match as ``xs:decimal``, or None when missing or not a decimal."""
    return to_decimal(text(context, path))


def _number(value: str) -> Decimal | None:
    """A string value as ``xs:decimal`` after normalize-space, or None.

    A value the pattern takes as it is has nothing for normalize-space to remove (but a final
    newline, which ``Decimal`` ignores), so only the others are normalised.
    """
    if _XS_DECIMAL.match(value):
        return Decimal(value)
    return to_decimal(normalize_space(value))


def _decimal_text(value: str) -> tuple[str, Decimal | None]:
    """``text()`` of a string value, and ``_number`` of it: for an amount the rules read both."""
    if _XS_DECIMAL.fullmatch(value):  # nothing to normalise
        return value, Decimal(value)
    text = normalize_space(value)
    return text, to_decimal(text)


def blank(value: str) -> bool:
    """Whether ``normalize-space(value)`` is empty."""
    return not value.strip(_WS)


_CHILD_PATH = re.compile(r"^(?:cac|cbc):[A-Za-z]+(?:/(?:cac|cbc):[A-Za-z]+)*$")
# Child steps with predicates (no brackets inside): a path that selects only below its context,
# so that from several contexts its matches are those of each, one context after the other.
_RELATIVE_PATH = re.compile(
    r"^(?:cac|cbc):[A-Za-z]+(?:\[[^\[\]]*\])*(?:/(?:cac|cbc):[A-Za-z]+(?:\[[^\[\]]*\])*)*$"
)
_NOT_NORMAL = re.compile(r"[\t\n\r]|  |^ | $")
_XML_SPACE = re.compile(r"[ \t\n\r]+")


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


def _walk_all(contexts: list[Element], steps: tuple[str, ...]) -> list[Element]:
    """``_walk_children`` below each of some matches of the first step."""
    return [node for context in contexts for node in _walk_children(context, steps, 1)]


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


def walk(context: Element | Ubl, path: str) -> Iterator[tuple[int, Element]]:
    """Matches of ``path`` numbered from 1, for messages that say which one broke a rule."""
    yield from enumerate(nodes(context, path), start=1)


def clark(tag: str) -> str:
    """``cbc:ID`` as lxml names it: ``{urn:…:CommonBasicComponents-2}ID``."""
    prefix, _, local = tag.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def parent_is(node: Element, tag: str) -> bool:
    """Whether ``node``'s parent is a ``tag`` element: the ``a/`` in ``//a/b``."""
    parent = node.getparent()
    return parent is not None and parent.tag == clark(tag)


_ID = clark("cbc:ID")
_LINE_AMOUNT = clark("cbc:LineExtensionAmount")
_PERIOD = clark("cac:InvoicePeriod")
_START = clark("cbc:StartDate")
_END = clark("cbc:EndDate")
_ITEM = clark("cac:Item")
_NAME = clark("cbc:Name")
_CLASSIFIED = clark("cac:ClassifiedTaxCategory")
_PERCENT = clark("cbc:Percent")
_TAX_SCHEME = clark("cac:TaxScheme")
_PRICE = clark("cac:Price")
_PRICE_AMOUNT = clark("cbc:PriceAmount")
_BASE_QUANTITY = clark("cbc:BaseQuantity")
_ALLOWANCE_CHARGE = clark("cac:AllowanceCharge")
_CHARGE_INDICATOR = clark("cbc:ChargeIndicator")
_AMOUNT = clark("cbc:Amount")
_CATEGORY_TAGS = frozenset(clark(tag) for tag in CATEGORIES)
