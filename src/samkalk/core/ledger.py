"""Accounting vouchers (verifikationer) from invoice documents, for the federation's ledger and
for each member's.

In the federation's ledger an invoice debits accounts receivable with its total and credits a
revenue account per line (by the product's account) and the output VAT account per VAT rate; a
credit note is the mirror image. Dimensions carry the governance object and the member, so the
ledger can be followed up per object and per member.

In a member's ledger the same invoice is a purchase: accounts payable is credited with the
total, a cost account per product and input VAT per rate are debited, with the governance
object as the dimension, so that the member can follow up what each object costs it. Every
voucher, on either side, balances to zero.
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
class PurchaseAccounts:
    """A member's kontoplan for what it buys from the federation.

    Each member keeps its own chart, so these are the member's settings. The defaults are
    accounts of the BAS chart — accounts payable 2440, input VAT 2641, and a cost account by
    product (e.g. 5252 for leased computers) with ``default_cost`` 6540 (IT services) for the
    rest — for a member to replace with its own.
    """

    payable: str = "2440"
    vat: Mapping[Decimal, str] = field(default_factory=lambda: {Decimal(25): "2641"})
    cost: Mapping[str, str] = field(default_factory=dict)  # product code → account
    default_cost: str = "6540"
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
    """The federation's voucher of one invoice or credit note; errors for a VAT rate without an
    account.

    A voucher with errors lacks the VAT it could not place and does not balance: it is returned
    so that the caller can show it, never to be posted.
    """
    sign = _sign(document)
    sums = totals(document)
    member = ((MEMBER_DIMENSION, member_code),)
    vat, errors = _vat_transactions(sums.vat, accounts.vat, -sign, document.number, "output")
    transactions = (
        Transaction(accounts.receivable, sign * sums.payable, member),
        *_line_transactions(
            document, accounts.revenue, accounts.default_revenue, line_objects, member, -sign
        ),
        *vat,
    )
    return _voucher(document, number, series, document.buyer.name, transactions, errors)


def purchase_voucher_for(
    document: Document,
    number: int,
    accounts: PurchaseAccounts,
    line_objects: Mapping[str, str],  # product code → governance object code ("" for none)
    series: str = "L",
) -> tuple[Voucher, list[CoreError]]:
    """The member's voucher of an invoice or credit note it received from the federation.

    The federation's voucher mirrored into the member's accounts: what the federation credits
    as revenue and output VAT, the member debits as cost and input VAT, per the same lines and
    rates. Errors and an unbalanced voucher as for ``voucher_for``.
    """
    sign = _sign(document)
    sums = totals(document)
    vat, errors = _vat_transactions(sums.vat, accounts.vat, sign, document.number, "input")
    transactions = (
        Transaction(accounts.payable, -sign * sums.payable),
        *_line_transactions(document, accounts.cost, accounts.default_cost, line_objects, (), sign),
        *vat,
    )
    return _voucher(document, number, series, document.seller.name, transactions, errors)


def _sign(document: Document) -> Decimal:
    return Decimal(1) if document.kind is DocumentKind.INVOICE else Decimal(-1)


def _voucher(
    document: Document,
    number: int,
    series: str,
    party: str,
    transactions: tuple[Transaction, ...],
    errors: list[CoreError],
) -> tuple[Voucher, list[CoreError]]:
    """``#VER`` for a document, named by its kind, number and the other party; it balances
    unless ``errors`` say what could not be placed."""
    word = "Faktura" if document.kind is DocumentKind.INVOICE else "Kreditnota"
    voucher = Voucher(
        series=series,
        number=number,
        date=document.issue_date,
        text=f"{word} {document.number} {party}",
        transactions=transactions,
    )
    if not errors:
        assert balance(voucher) == ZERO, f"voucher for {document.number} does not balance"
    return voucher, errors


def balance(voucher: Voucher) -> Decimal:
    """The sum of a voucher's transactions: zero for every voucher that may be posted."""
    return sum((t.amount for t in voucher.transactions), ZERO)


def _line_transactions(
    document: Document,
    by_product: Mapping[str, str],
    default_account: str,
    line_objects: Mapping[str, str],
    extra_objects: tuple[tuple[int, str], ...],
    sign: Decimal,
) -> list[Transaction]:
    """One transaction per account and set of objects, ``sign`` × the lines' net amounts."""
    sums: dict[tuple[str, tuple[tuple[int, str], ...]], Decimal] = {}
    for line in document.lines:
        account = by_product.get(line.product_code, default_account)
        governance_object = line_objects.get(line.product_code, "")
        objects = ((OBJECT_DIMENSION, governance_object),) if governance_object else ()
        key = (account, (*objects, *extra_objects))
        sums[key] = sums.get(key, ZERO) + line.amount
    return [
        Transaction(account, sign * amount, objects)
        for (account, objects), amount in sums.items()
        if amount != ZERO
    ]


def _vat_transactions(
    subtotals: tuple[VatSubtotal, ...],
    accounts: Mapping[Decimal, str],
    sign: Decimal,
    number: str,
    which: str,  # "output" or "input", for the message
) -> tuple[list[Transaction], list[CoreError]]:
    """One transaction of ``sign`` × the VAT per rate; exempt subtotals carry no VAT and get
    none."""
    transactions: list[Transaction] = []
    errors: list[CoreError] = []
    for subtotal in subtotals:
        if subtotal.category is VatCategory.EXEMPT:
            if subtotal.tax != ZERO:
                errors.append(_exempt_with_tax(subtotal, number))
            continue
        account = accounts.get(subtotal.percent)
        if account is None:
            errors.append(
                CoreError(
                    "ledger.no_vat_account",
                    f"{number}: no account for {which} VAT at {subtotal.percent} %",
                )
            )
        elif subtotal.tax != ZERO:
            transactions.append(Transaction(account, sign * subtotal.tax))
    return transactions, errors


def _exempt_with_tax(subtotal: VatSubtotal, number: str) -> CoreError:
    return CoreError(
        "ledger.exempt_with_tax",
        f"{number}: lines exempt from VAT have a VAT rate of {subtotal.percent} % "
        f"and {subtotal.tax} in VAT",
    )
