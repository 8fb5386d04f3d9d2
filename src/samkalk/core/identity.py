"""Swedish organisation numbers and the Peppol participant IDs built from them.

An organisation number (organisationsnummer) is ten digits, written NNNNNN-NNNN, whose last
digit is a Luhn check digit. Swedish public bodies are reached in Peppol under the ICD 0007
scheme as ``0007:<ten digits>``; the seller's VAT number is ``SE<ten digits>01``.
"""

from __future__ import annotations

import re

_ORG_NUMBER = re.compile(r"^(\d{6})-?(\d{4})$")
_PEPPOL_ID = re.compile(r"^\d{4}:[A-Za-z0-9.\-_]{1,50}$")


def luhn_valid(digits: str) -> bool:
    """True when the last digit of ``digits`` is the Luhn check digit of the others."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_org_number(text: str) -> str | None:
    """``'2120000506'`` or ``'212000-0506'`` → ``'212000-0506'``; None when it is not valid."""
    match = _ORG_NUMBER.match(text.strip())
    if not match:
        return None
    digits = match.group(1) + match.group(2)
    if not luhn_valid(digits):
        return None
    return f"{match.group(1)}-{match.group(2)}"


def peppol_id_for(org_number: str) -> str:
    """The Swedish Peppol participant ID of a (valid) organisation number: ``0007:NNNNNNNNNN``."""
    return "0007:" + org_number.replace("-", "")


def vat_number_for(org_number: str) -> str:
    """The Swedish VAT registration number of a (valid) organisation number."""
    return "SE" + org_number.replace("-", "") + "01"


def peppol_id_valid(text: str) -> bool:
    """A Peppol participant ID is ``<scheme>:<identifier>``; under 0007 an org number."""
    if not _PEPPOL_ID.match(text):
        return False
    scheme, identifier = text.split(":", 1)
    if scheme == "0007":
        return len(identifier) == 10 and luhn_valid(identifier)
    return True
