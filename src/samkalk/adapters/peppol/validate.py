"""Is this e-invoice fit to send? The UBL 2.1 XSD plus the business rules, as data.

The export service calls ``violations(xml)`` and refuses to send a document whose list is not
empty; ``findings(xml)`` says where each rule broke, for the message to the user. Everything is
pure Python with lxml: the official Peppol artefacts are Schematron with XSLT 2.0 query binding
(``matches()``, ``xs:decimal``, ``u:`` functions), which lxml's XSLT 1.0 cannot run, and a
Java/Saxon dependency is not worth it for the subset of rules a Swedish public-sector seller with
VAT categories S and E can break. Which rules are checked: ``rules_document``, ``rules_totals``
and ``rules_se``; ids are the official ones, plus a few stricter ``SAMKALK-*`` rules.

The XSDs are not part of the package: they are read from ``SAMKALK_UBL_XSD`` or from
``shared/peppol/ubl-2.1/xsd`` beside the repository.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from lxml import etree

from samkalk.adapters.peppol import rules_document, rules_se, rules_totals
from samkalk.adapters.peppol.tree import Ubl, Violation
from samkalk.adapters.peppol.ubl import CREDIT_NOTE_NS, INVOICE_NS

XSD_ERROR = "UBL-XSD"
CHECKS = rules_document.CHECKS + rules_totals.CHECKS + rules_se.CHECKS
_MAINDOC = {INVOICE_NS: "UBL-Invoice-2.1.xsd", CREDIT_NOTE_NS: "UBL-CreditNote-2.1.xsd"}


def schema_dir() -> Path:
    """Where the UBL 2.1 XSDs are: ``$SAMKALK_UBL_XSD`` or ``../shared`` from the repository."""
    configured = os.environ.get("SAMKALK_UBL_XSD")
    if configured:
        return Path(configured)
    repository = Path(__file__).resolve().parents[4]
    return repository.parent / "shared" / "peppol" / "ubl-2.1" / "xsd"


@functools.cache
def _schema(directory: Path, filename: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(directory / "maindoc" / filename)))


def parse(xml: bytes) -> etree._Element:
    """Parse without network access or entity expansion: e-invoices come from outside."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(xml, parser)


def xsd_errors(xml: bytes) -> list[str]:
    """Messages from the UBL 2.1 Invoice or CreditNote schema; empty when the document is valid."""
    return _xsd_errors(parse(xml))


def _xsd_errors(root: etree._Element) -> list[str]:
    """``xsd_errors`` of a parsed document: validating does not change the tree."""
    filename = _MAINDOC.get(etree.QName(root).namespace or "")
    if filename is None:
        return [f"not a UBL 2.1 Invoice or CreditNote: {root.tag}"]
    schema = _schema(schema_dir(), filename)
    if schema.validate(root):
        return []
    return str(schema.error_log).splitlines()


def findings(xml: bytes) -> list[Violation]:
    """Every broken rule with where it broke: the XSD first, then the business rules."""
    root = parse(xml)  # once, for the XSD and the rules
    found = [Violation(XSD_ERROR, message) for message in _xsd_errors(root)]
    if found and found[0].where.startswith("not a UBL"):
        return found
    ubl = Ubl(root)
    for check in CHECKS:
        found.extend(check(ubl))
    return found


def violations(xml: bytes) -> list[str]:
    """The ids of the broken rules, sorted and each once; empty when the document may be sent."""
    return sorted({violation.rule for violation in findings(xml)})


def rule_violations(xml: bytes) -> list[str]:
    """The business rules alone (no XSD), for documents known to be schema-valid."""
    ubl = Ubl(parse(xml))
    return sorted({violation.rule for check in CHECKS for violation in check(ubl)})
