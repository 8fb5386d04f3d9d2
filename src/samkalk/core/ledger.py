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
from samkalk.core.invoice import Document

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
    """The voucher of one invoice or credit note; errors for a VAT rate without an account."""
    raise NotImplementedError
