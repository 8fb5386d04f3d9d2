"""Accounting vouchers (verifikationer) for the federation's ledger, from invoice documents.

An invoice debits accounts receivable with its total and credits a revenue account per line
(by the product's account) and the output VAT account per VAT rate; a credit note is the mirror
image. Every voucher balances to zero. Dimensions carry the governance object and the member,
so the ledger can be followed up per object and per member.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from samkalk.core.errors import CoreError
from samkalk.core.invoice import Document, DocumentKind, VatCategory, VatSubtotal, totals
from samkalk.core.money import ZERO

OBJECT_DIMENSION = 1  # SIE's "Resultatenhet"/"Kostnadsställe": used for the governance object
MEMBER_DIMENSION = 2  # used for the member (the customer municipality)


@dataclass(frozen=True, slots=True)
class AccountMap:
    """Kontoplan för faktureringen: which account each kind of amount goes to.

    Kommun-Bas defaults: accounts receivable 1510, output VAT 25 % 2611, and revenue by
    product (e.g. 3440 for rent of equipment) with ``default_revenue`` for the rest.
    """

    receivable: str = "1510"
    vat: Mapping[Decimal, str] = field(default_factory=lambda: {Decimal(25): "2611"})
    revenue: Mapping[str, str] = field(default_factory=dict)  # product code → account
    default_revenue: str = "3490"
    names: Mapping[str, str] = field(default_factory=dict)  # account → name, for #KONTO


@dataclass(frozen=True, slots=True)
class Transaction:
    """#TRANS: account, amount (debit positive, credit negative), objects by dimension."""

    account: str
    amount: Decimal
    objects: tuple[tuple[int, str], ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class Voucher:
    """#VER: a series, a number, a date, a text and balanced transactions."""

    series: str
    number: int
    date: dt.date
    text: str
    transactions: tuple[Transaction, ...]


def voucher_for(
    document: Document,
    number: int,
    accounts: AccountMap,
    line_objects: Mapping[str, str],  # product code → governance object code ("" for none)
    member_code: str,
    series: str = "F",
) -> tuple[Voucher, list[CoreError]]:
    """The voucher of one invoice or credit note; errors for a VAT rate without an account.

    A voucher with errors lacks the VAT it could not place and does not balance: it is returned
    so that the caller can show it, never to be posted.
    """
    sign = Decimal(1) if document.kind is DocumentKind.INVOICE else Decimal(-1)
    sums = totals(document)
    member = ((MEMBER_DIMENSION, member_code),)
    vat, errors = _vat_transactions(sums.vat, accounts, sign, document.number)
    transactions = (
        Transaction(accounts.receivable, sign * sums.payable, member),
        *_revenue_transactions(document, accounts, line_objects, member_code, sign),
        *vat,
    )
    word = "Faktura" if document.kind is DocumentKind.INVOICE else "Kreditnota"
    voucher = Voucher(
        series=series,
        number=number,
        date=document.issue_date,
        text=f"{word} {document.number} {document.buyer.name}",
        transactions=transactions,
    )
    if not errors:
        assert balance(voucher) == ZERO, f"voucher for {document.number} does not balance"
    return voucher, errors


def balance(voucher: Voucher) -> Decimal:
    """The sum of a voucher's transactions: zero for every voucher that may be posted."""
    return sum((t.amount for t in voucher.transactions), ZERO)


def _revenue_transactions(
    document: Document,
    accounts: AccountMap,
    line_objects: Mapping[str, str],
    member_code: str,
    sign: Decimal,
) -> list[Transaction]:
    """One credit per revenue account and set of objects, the lines' net amounts summed."""
    sums: dict[tuple[str, tuple[tuple[int, str], ...]], Decimal] = {}
    for line in document.lines:
        account = accounts.revenue.get(line.product_code, accounts.default_revenue)
        governance_object = line_objects.get(line.product_code, "")
        objects = ((OBJECT_DIMENSION, governance_object),) if governance_object else ()
        key = (account, (*objects, (MEMBER_DIMENSION, member_code)))
        sums[key] = sums.get(key, ZERO) + line.amount
    return [
        Transaction(account, -sign * amount, objects)
        for (account, objects), amount in sums.items()
        if amount != ZERO
    ]


def _vat_transactions(
    subtotals: tuple[VatSubtotal, ...], accounts: AccountMap, sign: Decimal, number: str
) -> tuple[list[Transaction], list[CoreError]]:
    """One credit of output VAT per rate; exempt subtotals carry no VAT and get none."""
    transactions: list[Transaction] = []
    errors: list[CoreError] = []
    for subtotal in subtotals:
        if subtotal.category is VatCategory.EXEMPT:
            if subtotal.tax != ZERO:
                errors.append(_exempt_with_tax(subtotal, number))
            continue
        account = accounts.vat.get(subtotal.percent)
        if account is None:
            errors.append(
                CoreError(
                    "ledger.no_vat_account",
                    f"{number}: no account for output VAT at {subtotal.percent} %",
                )
            )
        elif subtotal.tax != ZERO:
            transactions.append(Transaction(account, -sign * subtotal.tax))
    return transactions, errors


def _exempt_with_tax(subtotal: VatSubtotal, number: str) -> CoreError:
    return CoreError(
        "ledger.exempt_with_tax",
        f"{number}: lines exempt from VAT have a VAT rate of {subtotal.percent} % "
        f"and {subtotal.tax} in VAT",
    )
