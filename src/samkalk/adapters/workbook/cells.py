"""Reading one cell: text as a user typed it (Swedish or English notation) → a typed value.

Spreadsheet cells arrive as text (CSV) or as numbers, dates and text (xlsx). Each parser returns
the value or raises ``CellError`` with a message that tells the user what was expected.
Numbers are never floats here: an xlsx number is read through its shortest decimal repr.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from samkalk.core.identity import normalise_org_number, peppol_id_valid

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_BANKGIRO = re.compile(r"^\d{3,4}-\d{4}$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d*)?")

# A cell starting with one of these is taken for a formula by spreadsheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
FALSE_WORDS = {"nej", "n", "no", "false", "falskt", "0", ""}


class CellError(ValueError):
    """A cell whose content is not what its column expects."""


def as_text(raw: Any) -> str:
    """The cell as text; numbers from xlsx keep their decimal form (no ``.0`` on integers)."""
    if raw.__class__ is str:  # the common case (every CSV cell), first
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "ja" if raw else "nej"
    if isinstance(raw, float):
        if raw.is_integer():
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def parse_decimal(raw: Any) -> Decimal:
    """'1 234,50', '1234.5', '1,234.50', '1.234,50', '−3 000' → Decimal.

    Spaces (also non-breaking) group thousands. With both ',' and '.', the last one is the
    decimal separator. With only one of them: a single separator is the decimal mark; several
    of the same kind group thousands ('1,234,567' and '1.234.567').
    """
    if isinstance(raw, int | Decimal) and not isinstance(raw, bool):
        return Decimal(raw)
    text = as_text(raw)
    if _PLAIN_NUMBER.fullmatch(text):  # '1234', '-1234,50', '1234.5': no grouping to undo
        return Decimal(text.replace(",", "."))
    text = text.replace("\u2212", "-")
    text = _SPACES.sub("", text)
    if not text:
        raise CellError("a number is required")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        text = text.replace(group_mark, "").replace(decimal_mark, ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")
    else:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", text):
        raise CellError(f"{as_text(raw)!r} is not a number")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise CellError(f"{as_text(raw)!r} is not a number") from exc


def parse_money(raw: Any) -> Decimal:
    value = parse_decimal(raw)
    if value != value.quantize(Decimal("0.01")):
        raise CellError(f"{as_text(raw)!r} has more than two decimals (öre)")
    return value.quantize(Decimal("0.01"))


def parse_percent(raw: Any) -> Decimal:
    text = as_text(raw).rstrip("%").strip()
    value = parse_decimal(text)
    if not Decimal(0) <= value <= Decimal(100):
        raise CellError(f"{as_text(raw)!r} is not a percentage between 0 and 100")
    return value


def parse_int(raw: Any) -> int:
    value = parse_decimal(raw)
    if value != value.to_integral_value():
        raise CellError(f"{as_text(raw)!r} is not a whole number")
    return int(value)


def parse_year(raw: Any) -> int:
    value = parse_int(raw)
    if not 1900 <= value <= 2200:
        raise CellError(f"{as_text(raw)!r} is not a year")
    return value


def parse_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = as_text(raw)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CellError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def parse_bool(raw: Any) -> bool:
    word = as_text(raw).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"{as_text(raw)!r} is not ja or nej")


def parse_code(raw: Any) -> str:
    text = as_text(raw)
    if not _CODE.match(text):
        raise CellError(
            f"{text!r} is not a code (lowercase letters a–z, digits, '-' and '_', no spaces)"
        )
    return text


def parse_org_number(raw: Any) -> str:
    text = as_text(raw)
    value = normalise_org_number(text)
    if value is None:
        raise CellError(f"{text!r} is not a valid organisation number (NNNNNN-NNNN, Luhn)")
    return value


def parse_peppol_id(raw: Any) -> str:
    text = as_text(raw)
    if not peppol_id_valid(text):
        raise CellError(f"{text!r} is not a Peppol ID such as 0007:2120000000")
    return text


def parse_email(raw: Any) -> str:
    text = as_text(raw)
    if not _EMAIL.match(text):
        raise CellError(f"{text!r} is not an e-mail address")
    return text


def parse_bankgiro(raw: Any) -> str:
    text = as_text(raw)
    if not _BANKGIRO.match(text):
        raise CellError(f"{text!r} is not a bankgiro number (NNN-NNNN or NNNN-NNNN)")
    return text


def parse_month_day(raw: Any) -> tuple[int, int]:
    text = as_text(raw)
    match = _MONTH_DAY.match(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            dt.date(2000, month, day)  # a leap year: 02-29 is allowed
        except ValueError:
            pass
        else:
            return month, day
    raise CellError(f"{text!r} is not a month and day (MM-DD, e.g. 01-01)")


PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": as_text,
    "code": parse_code,
    "int": parse_int,
    "year": parse_year,
    "decimal": parse_decimal,
    "money": parse_money,
    "percent": parse_percent,
    "date": parse_date,
    "bool": parse_bool,
    "org_number": parse_org_number,
    "peppol_id": parse_peppol_id,
    "email": parse_email,
    "bankgiro": parse_bankgiro,
    "month_day": parse_month_day,
}
