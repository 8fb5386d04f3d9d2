"""SIE 4 reader: vouchers, chart of accounts and objects from a file, every problem reported.

It reads what our writer writes and what other programs write: LF or CRLF, labels it does not
know (``#ADRESS``, ``#IB``, ``#RTRANS`` …) skipped as the specification asks of a reader, fields
quoted or bare, the optional fields at the end of ``#VER`` and ``#TRANS`` present or not, a
trailing DOS end-of-file mark (Ctrl-Z). The file is decoded as code page 437, the only
character set SIE 4 (``#FORMAT PC8``) allows.

Like the other importers it never stops at the first problem: a malformed line, a field that is
not a date or an amount, a ``#TRANS`` outside a voucher, a voucher that does not balance or a
``#KSUMMA`` that does not match becomes a ``CoreError`` with the line number, and reading goes
on. A voucher number left empty (``""``, "let the receiving program number it") reads as 0.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from samkalk.adapters.sie import syntax
from samkalk.adapters.sie.syntax import Field, SieSyntaxError
from samkalk.adapters.sie.writer import Company
from samkalk.core.errors import CoreError, Source
from samkalk.core.ledger import Transaction, Voucher, balance


@dataclass(frozen=True, slots=True)
class SieContents:
    """What a SIE file holds, as far as Samkalk needs it, and the problems met reading it."""

    company: Company
    vouchers: tuple[Voucher, ...]
    accounts: Mapping[str, str]  # #KONTO: account → name
    dimensions: Mapping[int, str]  # #DIM: dimension → name
    objects: Mapping[int, Mapping[str, str]]  # #OBJEKT: dimension → code → name
    generated_on: dt.date | None  # #GEN
    fiscal_year: tuple[dt.date, dt.date] | None  # #RAR 0
    errors: tuple[CoreError, ...]
    checksum_ok: bool | None = None  # None: the file carries no #KSUMMA


class _FieldError(ValueError):
    """A field missing, or not what the record needs there."""


@dataclass(slots=True)
class _OpenVoucher:
    header: Voucher
    row: int
    braced: bool = False
    transactions: list[Transaction] = field(default_factory=list)


def read_sie(data: bytes, file_name: str = "") -> SieContents:
    """Read a SIE 4 file (the bytes as they came, code page 437)."""
    reader = _Reader(file_name)
    for row, line in enumerate(data.decode(syntax.ENCODING).split("\n"), start=1):
        reader.line(row, line.rstrip("\r"))
    return reader.finish()


class _Reader:
    """The state while reading: what has been declared, the voucher open, the running #KSUMMA."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.identity: dict[str, str] = {}
        self.accounts: dict[str, str] = {}
        self.dimensions: dict[int, str] = {}
        self.objects: dict[int, dict[str, str]] = {}
        self.vouchers: list[Voucher] = []
        self.errors: list[CoreError] = []
        self.generated_on: dt.date | None = None
        self.fiscal_year: tuple[dt.date, dt.date] | None = None
        self.voucher: _OpenVoucher | None = None
        self.crc: int | None = None  # running while inside #KSUMMA … #KSUMMA
        self.checksum_row = 0
        self.checksum_ok: bool | None = None

    def error(self, row: int, code: str, message: str) -> None:
        self.errors.append(CoreError(code, message, Source(file=self.file_name, row=row)))

    def line(self, row: int, text: str) -> None:
        stripped = text.strip(" \t\x1a")  # \x1a: the end-of-file mark old DOS programs add
        if not stripped:
            return
        if stripped in ("{", "}"):
            (self._open if stripped == "{" else self._close)(row)
            return
        try:
            label, fields = syntax.split_record(stripped)
        except SieSyntaxError as exc:
            self.error(row, "sie.malformed_line", f"not a SIE record: {exc}")
            return
        if label == "#KSUMMA":
            self._checksum(row, fields)
            return
        if self.crc is not None:
            self.crc = zlib.crc32(syntax.record_bytes(label, fields), self.crc)
        handler = _HANDLERS.get(label)
        if handler is None:
            return  # a record Samkalk does not need: the specification says to skip it
        try:
            handler(self, row, fields)
        except _FieldError as exc:
            self.error(row, "sie.bad_field", f"{label}: {exc}")

    def finish(self) -> SieContents:
        if self.voucher is not None:
            self.error(self.voucher.row, "sie.unclosed_voucher", "#VER without its closing '}'")
        if self.crc is not None:
            self.error(
                self.checksum_row,
                "sie.checksum_truncated",
                "the file opens #KSUMMA but never closes it: it is probably cut off",
            )
        company = Company(
            name=self.identity.get("name", ""),
            org_number=self.identity.get("org_number", ""),
            program_version=self.identity.get("program_version", ""),
            program=self.identity.get("program", ""),
            chart_type=self.identity.get("chart_type", ""),
        )
        return SieContents(
            company, tuple(self.vouchers), self.accounts, self.dimensions, self.objects,
            self.generated_on, self.fiscal_year, tuple(self.errors), self.checksum_ok,
        )  # fmt: skip

    # -- vouchers ----------------------------------------------------------------------------------

    def _open(self, row: int) -> None:
        if self.voucher is None or self.voucher.braced:
            self.error(row, "sie.malformed_line", "'{' that does not follow a #VER")
            return
        self.voucher.braced = True

    def _close(self, row: int) -> None:
        open_voucher = self.voucher
        if open_voucher is None or not open_voucher.braced:
            self.error(row, "sie.malformed_line", "'}' that does not close a #VER")
            return
        self.voucher = None
        header = open_voucher.header
        voucher = Voucher(
            header.series, header.number, header.date, header.text,
            tuple(open_voucher.transactions),
        )  # fmt: skip
        if balance(voucher) != 0:
            self.error(
                open_voucher.row,
                "sie.unbalanced_voucher",
                f"#VER {voucher.series} {voucher.number} does not balance: {balance(voucher)}",
            )
        self.vouchers.append(voucher)

    def _ver(self, row: int, fields: list[Field]) -> None:
        if self.voucher is not None:
            self.error(self.voucher.row, "sie.unclosed_voucher", "#VER without its closing '}'")
            self.voucher = None
        number = _text(fields, 1, "voucher number")
        header = Voucher(
            series=_text(fields, 0, "series"),
            number=_integer(number, "voucher number") if number else 0,
            date=_date(_text(fields, 2, "date")),
            text=_optional(fields, 3),
            transactions=(),
        )
        self.voucher = _OpenVoucher(header, row)

    def _trans(self, row: int, fields: list[Field]) -> None:
        if self.voucher is None or not self.voucher.braced:
            self.error(row, "sie.trans_outside_voucher", "#TRANS outside a #VER { … } block")
            return
        account = _text(fields, 0, "account")
        rest = fields[1:]
        objects: tuple[tuple[int, str], ...] = ()
        if rest and isinstance(rest[0], tuple):
            objects = _object_list(rest[0])
            rest = rest[1:]
        amount = _amount(_text(rest, 0, "amount"))
        transaction = Transaction(account, amount, objects, _optional(rest, 2))
        self.voucher.transactions.append(transaction)

    # -- #KSUMMA -----------------------------------------------------------------------------------

    def _checksum(self, row: int, fields: list[Field]) -> None:
        if not fields:
            if self.crc is None and self.checksum_ok is None:
                self.crc, self.checksum_row = 0, row
            return
        if self.crc is None:
            self.error(row, "sie.checksum_without_start", "closing #KSUMMA without an opening one")
            return
        declared = _text(fields, 0, "checksum")
        computed, self.crc = self.crc, None
        self.checksum_ok = declared.lstrip("-").isdigit() and int(declared) % 2**32 == computed
        if not self.checksum_ok:
            self.error(
                row,
                "sie.checksum_mismatch",
                f"#KSUMMA {declared} does not match the contents ({computed}): "
                "the file was changed after it was written",
            )

    # -- declarations ------------------------------------------------------------------------------

    def _program(self, row: int, fields: list[Field]) -> None:
        self.identity["program"] = _text(fields, 0, "program")
        self.identity["program_version"] = _optional(fields, 1)

    def _fnamn(self, row: int, fields: list[Field]) -> None:
        self.identity["name"] = _text(fields, 0, "company name")

    def _orgnr(self, row: int, fields: list[Field]) -> None:
        self.identity["org_number"] = _text(fields, 0, "organisation number")

    def _kptyp(self, row: int, fields: list[Field]) -> None:
        self.identity["chart_type"] = _text(fields, 0, "chart type")

    def _gen(self, row: int, fields: list[Field]) -> None:
        self.generated_on = _date(_text(fields, 0, "date"))

    def _rar(self, row: int, fields: list[Field]) -> None:
        if _text(fields, 0, "year") == "0":
            self.fiscal_year = (_date(_text(fields, 1, "start")), _date(_text(fields, 2, "end")))

    def _konto(self, row: int, fields: list[Field]) -> None:
        self.accounts[_text(fields, 0, "account")] = _optional(fields, 1)

    def _dim(self, row: int, fields: list[Field]) -> None:
        dimension = _integer(_text(fields, 0, "dimension"), "dimension")
        self.dimensions[dimension] = _optional(fields, 1)

    def _objekt(self, row: int, fields: list[Field]) -> None:
        dimension = _integer(_text(fields, 0, "dimension"), "dimension")
        code = _text(fields, 1, "object")
        self.objects.setdefault(dimension, {})[code] = _optional(fields, 2)


_HANDLERS: dict[str, Callable[[_Reader, int, list[Field]], None]] = {
    "#VER": _Reader._ver,
    "#TRANS": _Reader._trans,
    "#PROGRAM": _Reader._program,
    "#GEN": _Reader._gen,
    "#RAR": _Reader._rar,
    "#KONTO": _Reader._konto,
    "#DIM": _Reader._dim,
    "#OBJEKT": _Reader._objekt,
    "#FNAMN": _Reader._fnamn,
    "#ORGNR": _Reader._orgnr,
    "#KPTYP": _Reader._kptyp,
}


# -- fields ----------------------------------------------------------------------------------------


def _text(fields: list[Field], index: int, what: str) -> str:
    if index >= len(fields):
        raise _FieldError(f"the {what} is missing")
    value = fields[index]
    if not isinstance(value, str):
        raise _FieldError(f"an object list where the {what} should be")
    return value


def _optional(fields: list[Field], index: int) -> str:
    """An optional text field at the end of a record: empty when left out."""
    value = fields[index] if index < len(fields) else ""
    return value if isinstance(value, str) else ""


def _integer(text: str, what: str) -> int:
    if not text.lstrip("-").isdigit():
        raise _FieldError(f"the {what} is not a whole number: {text!r}")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return syntax.parse_date(text)
    except ValueError as exc:
        raise _FieldError(str(exc)) from exc


def _amount(text: str) -> Decimal:
    try:
        return syntax.parse_amount(text)
    except ValueError as exc:
        raise _FieldError(str(exc)) from exc


def _object_list(items: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """``{1 "ARB" 2 "LULEA"}`` → ((1, "ARB"), (2, "LULEA"))."""
    if len(items) % 2:
        raise _FieldError(f"an object list needs dimension and object in pairs: {items}")
    return tuple((_integer(items[i], "dimension"), items[i + 1]) for i in range(0, len(items), 2))
