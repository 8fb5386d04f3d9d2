"""SIE 4I: the vouchers of a billing run as a file a ledger program imports: the federation's
own, or a member's (the same documents as purchases, ``core.ledger.purchase_voucher_for``).

Type 4 with vouchers only (no balances) is what the specification calls an import file (4I):
identification, chart of accounts and objects for the accounts and objects the vouchers use,
then one ``#VER`` block per voucher. The output is deterministic (sorted declarations, vouchers
in the given order, CRLF line ends, code page 437), so a golden file can pin it byte for byte.

Texts that code page 437 cannot hold are not an exception: the character is replaced by the
rule in ``syntax.clean`` and the replacement is reported as a ``CoreError``, so that a person
sees "€ became ?" before the file goes to the ledger. An unbalanced voucher or an amount that is
not whole öre is reported the same way; such a file must not be imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from samkalk.adapters.sie import syntax
from samkalk.core.errors import CoreError
from samkalk.core.ledger import (
    MEMBER_DIMENSION,
    OBJECT_DIMENSION,
    AccountMap,
    PurchaseAccounts,
    Transaction,
    Voucher,
    balance,
)
from samkalk.core.money import MoneyError

DIMENSION_NAMES = {OBJECT_DIMENSION: "Förvaltningsobjekt", MEMBER_DIMENSION: "Medlem"}


@dataclass(frozen=True, slots=True)
class Company:
    """The exporting organisation (``#FNAMN``, ``#ORGNR``) and program (``#PROGRAM``).

    ``chart_type`` is written as ``#KPTYP``. The specification's list (BAS95, BAS96, EUBAS97,
    NE2007) has no code for Kommun-Bas; EUBAS97, the BAS chart Kommun-Bas follows, is the
    default. An empty value leaves the record out.
    """

    name: str
    org_number: str  # NNNNNN-NNNN
    program_version: str
    program: str = "Samkalk"
    chart_type: str = "EUBAS97"


class _Lines:
    """The records written so far, and every replacement and problem met on the way."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.errors: list[CoreError] = []

    def add(self, *parts: str) -> None:
        self.lines.append(" ".join(parts))

    def text(self, value: str, where: str) -> str:
        """``value`` as a quoted field."""
        return syntax.quote(self._clean(value, where))

    def word(self, value: str, where: str) -> str:
        """An account, a series: bare when it is a plain word, else quoted."""
        return syntax.token(self._clean(value, where))

    def _clean(self, value: str, where: str) -> str:
        """``value`` with what code page 437 cannot hold replaced, and the replacement reported."""
        cleaned, replaced = syntax.clean(value)
        if replaced:
            self.errors.append(
                CoreError(
                    "sie.replaced_characters",
                    f"{where}: {replaced!r} cannot be written in a SIE file (code page 437) "
                    f"and became {cleaned!r}",
                )
            )
        return cleaned


def sie_file(
    company: Company,
    vouchers: Sequence[Voucher],
    accounts: AccountMap | PurchaseAccounts,
    objects: Mapping[int, Mapping[str, str]],
    generated_on: dt.date,
    fiscal_year: tuple[dt.date, dt.date],
    *,
    with_checksum: bool = False,
) -> bytes:
    """The SIE 4I file; see ``sie_export`` for the same file with the problems reported."""
    data, _ = sie_export(
        company, vouchers, accounts, objects, generated_on, fiscal_year, with_checksum=with_checksum
    )
    return data


def sie_export(
    company: Company,
    vouchers: Sequence[Voucher],
    accounts: AccountMap | PurchaseAccounts,
    objects: Mapping[int, Mapping[str, str]],
    generated_on: dt.date,
    fiscal_year: tuple[dt.date, dt.date],
    *,
    with_checksum: bool = False,
) -> tuple[bytes, list[CoreError]]:
    """The SIE 4I file as bytes (code page 437, CRLF), and the replacements and problems."""
    out = _Lines()
    _identification(out, company, generated_on, fiscal_year)
    _chart(out, vouchers, accounts)
    _objects(out, vouchers, objects)
    for voucher in vouchers:
        _voucher(out, voucher)
    records = out.lines
    if with_checksum:
        records = ["#KSUMMA", *records, f"#KSUMMA {syntax.checksum(records)}"]
    text = "".join(line + syntax.LINE_END for line in ["#FLAGGA 0", *records])
    return text.encode(syntax.ENCODING), out.errors


def _identification(
    out: _Lines, company: Company, generated_on: dt.date, fiscal_year: tuple[dt.date, dt.date]
) -> None:
    out.add(
        "#PROGRAM",
        out.text(company.program, "#PROGRAM"),
        out.text(company.program_version, "#PROGRAM"),
    )
    out.add("#FORMAT", "PC8")
    out.add("#GEN", syntax.format_date(generated_on))
    out.add("#SIETYP", "4")
    out.add("#ORGNR", out.word(company.org_number, "#ORGNR"))
    out.add("#FNAMN", out.text(company.name, "#FNAMN"))
    start, end = fiscal_year
    out.add("#RAR", "0", syntax.format_date(start), syntax.format_date(end))
    if company.chart_type:
        out.add("#KPTYP", out.word(company.chart_type, "#KPTYP"))


def _chart(
    out: _Lines, vouchers: Iterable[Voucher], accounts: AccountMap | PurchaseAccounts
) -> None:
    """``#KONTO`` for every account the vouchers use, named from the account map."""
    used = {t.account for v in vouchers for t in v.transactions}
    for account in sorted(used):
        where = f"#KONTO {account}"
        out.add(
            "#KONTO", out.word(account, where), out.text(accounts.names.get(account, ""), where)
        )


def _objects(
    out: _Lines, vouchers: Iterable[Voucher], objects: Mapping[int, Mapping[str, str]]
) -> None:
    """``#DIM`` and ``#OBJEKT`` for the given objects and every object the vouchers use."""
    declared: dict[int, dict[str, str]] = {d: dict(codes) for d, codes in objects.items()}
    for voucher in vouchers:
        for transaction in voucher.transactions:
            for dimension, code in transaction.objects:
                declared.setdefault(dimension, {}).setdefault(code, code)
    for dimension in sorted(declared):
        name = DIMENSION_NAMES.get(dimension, f"Dimension {dimension}")
        out.add("#DIM", str(dimension), out.text(name, f"#DIM {dimension}"))
    for dimension in sorted(declared):
        for code, name in sorted(declared[dimension].items()):
            where = f"#OBJEKT {dimension} {code}"
            out.add("#OBJEKT", str(dimension), out.text(code, where), out.text(name, where))


def _voucher(out: _Lines, voucher: Voucher) -> None:
    where = f"#VER {voucher.series} {voucher.number}"
    if balance(voucher) != 0:
        out.errors.append(
            CoreError("sie.unbalanced_voucher", f"{where} does not balance: {balance(voucher)}")
        )
    out.add(
        "#VER",
        out.word(voucher.series, where),
        str(voucher.number),
        syntax.format_date(voucher.date),
        out.text(voucher.text, where),
    )
    out.add("{")
    for transaction in voucher.transactions:
        _transaction(out, transaction, where)
    out.add("}")


def _transaction(out: _Lines, transaction: Transaction, where: str) -> None:
    objects = " ".join(f"{d} {out.text(code, where)}" for d, code in transaction.objects)
    try:
        amount = syntax.format_amount(transaction.amount)
    except MoneyError:
        out.errors.append(
            CoreError(
                "sie.amount_not_ore",
                f"{where}: {transaction.amount} on {transaction.account} is not whole öre",
            )
        )
        amount = f"{transaction.amount:f}"
    parts = ["#TRANS", out.word(transaction.account, where), "{" + objects + "}", amount]
    if transaction.text:
        parts += ['""', out.text(transaction.text, where)]  # transdat left empty
    out.add(*parts)
