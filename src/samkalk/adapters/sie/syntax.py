"""The SIE 4 line syntax shared by the writer and the reader, so the two cannot drift apart.

A SIE file is a text file in IBM PC 8-bit extended ASCII (code page 437, ``#FORMAT PC8``).
Every line is one record: a label (``#VER``) followed by fields separated by spaces or tabs.
A field that holds spaces is enclosed in quotes, a quote inside it is written ``\\"``; an
object list is enclosed in braces (``{1 "ARB" 2 "LULEA"}``). Amounts have a decimal point and
at most two decimals, dates are ``YYYYMMDD``.

The optional ``#KSUMMA`` checksum is CRC-32 (the ISO 3309 / zlib polynomial) over the bytes of
every record between the opening ``#KSUMMA`` and the closing ``#KSUMMA <sum>``: the label and
the contents of every field, concatenated in code page 437, without the spaces between fields,
the quotes around them, the braces of object lists or the line ends (SIE 4B, "Kontroll-
summering"). That is our reading of the specification; the writer leaves it off by default.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterable
from decimal import Decimal

from samkalk.core.money import D, MoneyError, from_ore, to_ore

ENCODING = "cp437"
LINE_END = "\r\n"  # the PC convention the specification grew up with; the reader takes LF too
REPLACEMENT = "?"  # for a character code page 437 cannot hold

Field = str | tuple[str, ...]  # a plain field, or the contents of an object list {…}

_BARE = re.compile(r"[0-9A-Za-z_.+\-]+")
_DATE = re.compile(r"\d{8}")
_AMOUNT = re.compile(r"-?\d+(\.\d+)?")
_SPACE = " \t"


class SieSyntaxError(ValueError):
    """A line that is not a SIE record: unterminated quote, unbalanced braces, no label."""


# -- writing ---------------------------------------------------------------------------------------


def clean(text: str) -> tuple[str, str]:
    """``text`` as a SIE field can hold it, and the characters that had to be replaced.

    The rule: a control character (tab, line break …) becomes a space, since a record is one
    line; a backslash becomes ``/``, since ``\\"`` is the only escape and a text ending in a
    backslash would swallow its closing quote; a character outside code page 437 (``€``, ``–``)
    becomes ``?``.
    """
    kept: list[str] = []
    replaced: list[str] = []
    for char in text:
        substitute = _substitute(char)
        if substitute != char:
            replaced.append(char)
        kept.append(substitute)
    return "".join(kept), "".join(replaced)


def _substitute(char: str) -> str:
    if char < " " or char == "\x7f":
        return " "
    if char == "\\":
        return "/"
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return REPLACEMENT
    return char


def quote(text: str) -> str:
    """A field in quotes with its quotes escaped; ``text`` has been through ``clean``."""
    return '"' + text.replace('"', '\\"') + '"'


def token(text: str) -> str:
    """A field bare when it is a plain word or number, else in quotes."""
    return text if _BARE.fullmatch(text) else quote(text)


def format_amount(amount: Decimal) -> str:
    """Two decimals with a decimal point; raises ``MoneyError`` for a part of an öre."""
    return f"{from_ore(to_ore(amount)):f}"


def format_date(date: dt.date) -> str:
    return date.strftime("%Y%m%d")


# -- reading ---------------------------------------------------------------------------------------


def split_record(line: str) -> tuple[str, list[Field]]:
    """A record line → its label (upper case) and its fields; ``SieSyntaxError`` if malformed."""
    fields: list[Field] = []
    objects: list[str] | None = None
    position = 0
    while position < len(line):
        char = line[position]
        if char in _SPACE:
            position += 1
        elif char == "{":
            if objects is not None:
                raise SieSyntaxError("an object list inside an object list")
            objects, position = [], position + 1
        elif char == "}":
            if objects is None:
                raise SieSyntaxError("'}' without '{'")
            fields.append(tuple(objects))
            objects, position = None, position + 1
        else:
            value, position = _read_field(line, position)
            (fields if objects is None else objects).append(value)
    if objects is not None:
        raise SieSyntaxError("an object list without its closing '}'")
    if not fields or not isinstance(fields[0], str) or not fields[0].startswith("#"):
        raise SieSyntaxError("a record must start with a label such as #VER")
    label = fields.pop(0)
    assert isinstance(label, str)
    return label.upper(), fields


def _read_field(line: str, position: int) -> tuple[str, int]:
    """One field from ``position``: quoted (``\\"`` is a quote) or bare up to a space or brace."""
    if line[position] != '"':
        end = position
        while end < len(line) and line[end] not in ' \t{}"':
            end += 1
        return line[position:end], end
    chars: list[str] = []
    position += 1
    while position < len(line):
        char = line[position]
        if char == "\\" and line[position + 1 : position + 2] == '"':
            chars.append('"')
            position += 2
        elif char == '"':
            return "".join(chars), position + 1
        else:
            chars.append(char)
            position += 1
    raise SieSyntaxError("a quoted field without its closing quote")


def parse_date(text: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise ValueError(f"not a date YYYYMMDD: {text!r}")
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def parse_amount(text: str) -> Decimal:
    """An amount in kronor with a decimal point; whole öre, or ``ValueError``."""
    if not _AMOUNT.fullmatch(text):
        raise ValueError(f"not an amount: {text!r}")
    amount = D(text)
    try:
        to_ore(amount)
    except MoneyError as exc:
        raise ValueError(f"not a whole number of öre: {text!r}") from exc
    return amount


# -- #KSUMMA ---------------------------------------------------------------------------------------


def record_bytes(label: str, fields: Iterable[Field]) -> bytes:
    """What one record contributes to the checksum: label and field contents, nothing between."""
    parts = [label]
    for field in fields:
        parts.extend((field,) if isinstance(field, str) else field)
    return "".join(parts).encode(ENCODING, errors="replace")


def checksum(lines: Iterable[str]) -> int:
    """CRC-32 of the records in ``lines`` (which the writer produced, so they parse)."""
    crc = 0
    for line in lines:
        if line.strip() in ("{", "}"):
            continue
        crc = zlib.crc32(record_bytes(*split_record(line)), crc)
    return crc
