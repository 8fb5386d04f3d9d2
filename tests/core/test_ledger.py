"""Vouchers from invoices: in the federation's ledger receivable, revenue per account and object,
output VAT per rate; in a member's ledger payable, cost per account and object, input VAT."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.invoice import (
    Document,
    DocumentKind,
    DocumentLine,
    Party,
    VatCategory,
    line_amount,
    totals,
)
from samkalk.core.ledger import (
    MEMBER_DIMENSION,
    OBJECT_DIMENSION,
    AccountMap,
    PurchaseAccounts,
    Transaction,
    balance,
    purchase_voucher_for,
    voucher_for,
)
from samkalk.core.money import D

FEDERATION = Party("IT-förbundet Norr", "222000-1234", "0007:2220001234")
LULEA = Party("Luleå kommun", "212000-2742", "0007:2120002742")
ACCOUNTS = AccountMap(revenue={"LAPTOP": "3440", "LICENS": "3450"})
OBJECTS = {"LAPTOP": "ARB", "LICENS": "ARB", "SUPPORT": ""}


def line(product: str, quantity: str, price: str, *, exempt: bool = False) -> DocumentLine:
    amount = line_amount(D(quantity), D(price))
    if exempt:
        return DocumentLine(
            product, product, product, D(quantity), "EA", D(price), amount,
            VatCategory.EXEMPT, Decimal(0),
        )  # fmt: skip
    return DocumentLine(product, product, product, D(quantity), "EA", D(price), amount)


def document(*lines: DocumentLine, kind: DocumentKind = DocumentKind.INVOICE) -> Document:
    return Document(
        kind=kind,
        number="2025-0001",
        issue_date=dt.date(2025, 3, 31),
        due_date=dt.date(2025, 4, 30),
        seller=FEDERATION,
        buyer=LULEA,
        buyer_reference="4711",
        lines=lines,
        bankgiro="123-4567",
        payment_terms="30 dagar netto",
    )


def test_march_invoice_two_laptops_and_support():
    doc = document(line("LAPTOP", "2", "450"), line("SUPPORT", "1", "200"))
    voucher, errors = voucher_for(doc, 17, ACCOUNTS, OBJECTS, "LULEA")
    assert errors == []
    assert (voucher.series, voucher.number, voucher.date) == ("F", 17, dt.date(2025, 3, 31))
    assert voucher.text == "Faktura 2025-0001 Luleå kommun"
    member = (MEMBER_DIMENSION, "LULEA")
    assert voucher.transactions == (
        Transaction("1510", D("1375.00"), (member,)),
        Transaction("3440", D("-900.00"), ((OBJECT_DIMENSION, "ARB"), member)),
        Transaction("3490", D("-200.00"), (member,)),
        Transaction("2611", D("-275.00")),
    )
    assert balance(voucher) == 0


def test_lines_of_the_same_account_and_object_are_summed():
    doc = document(
        line("LAPTOP", "1", "100"), line("SUPPORT", "1", "50"), line("LAPTOP", "3", "100")
    )
    voucher, _ = voucher_for(doc, 1, ACCOUNTS, OBJECTS, "LULEA")
    revenue = [t for t in voucher.transactions if t.account.startswith("3")]
    assert [(t.account, t.amount) for t in revenue] == [("3440", D("-400")), ("3490", D("-50"))]


def test_same_account_different_objects_stay_apart():
    doc = document(line("LAPTOP", "1", "100"), line("LICENS", "1", "10"))
    accounts = AccountMap(revenue={"LAPTOP": "3440", "LICENS": "3440"})
    voucher, _ = voucher_for(doc, 1, accounts, {"LAPTOP": "ARB", "LICENS": "SKOLA"}, "LULEA")
    revenue = [t for t in voucher.transactions if t.account == "3440"]
    assert [t.objects[0] for t in revenue] == [(1, "ARB"), (1, "SKOLA")]


def test_credit_note_is_the_mirror_image():
    lines = (line("LAPTOP", "2", "450"), line("SUPPORT", "1", "200"))
    invoice, _ = voucher_for(document(*lines), 1, ACCOUNTS, OBJECTS, "LULEA")
    credit, errors = voucher_for(
        document(*lines, kind=DocumentKind.CREDIT_NOTE), 2, ACCOUNTS, OBJECTS, "LULEA"
    )
    assert errors == []
    assert credit.text == "Kreditnota 2025-0001 Luleå kommun"
    assert [t.amount for t in credit.transactions] == [-t.amount for t in invoice.transactions]


def test_exempt_lines_have_no_vat_transaction():
    doc = document(line("LAPTOP", "1", "100"), line("SUPPORT", "1", "80", exempt=True))
    voucher, errors = voucher_for(doc, 1, ACCOUNTS, OBJECTS, "LULEA")
    assert errors == []
    assert [t for t in voucher.transactions if t.account == "2611"] == [
        Transaction("2611", D("-25.00"))
    ]
    assert voucher.transactions[0].amount == D("205.00")


def test_a_vat_rate_without_account_is_an_error():
    doc = document(
        line("LAPTOP", "1", "100"),
        DocumentLine("BOK", "BOK", "Bok", D(1), "EA", D(100), D(100), vat_percent=Decimal(6)),
    )
    voucher, errors = voucher_for(doc, 1, ACCOUNTS, OBJECTS, "LULEA")
    assert [e.code for e in errors] == ["ledger.no_vat_account"]
    assert "6 %" in errors[0].message
    assert balance(voucher) != 0  # returned to be shown, never posted


def test_a_vat_account_per_rate():
    accounts = AccountMap(vat={Decimal(25): "2611", Decimal(6): "2631"})
    doc = document(
        line("LAPTOP", "1", "100"),
        DocumentLine("BOK", "BOK", "Bok", D(1), "EA", D(100), D(100), vat_percent=Decimal("6.00")),
    )
    voucher, errors = voucher_for(doc, 1, accounts, OBJECTS, "LULEA")
    assert errors == []
    vat = {t.account: t.amount for t in voucher.transactions if t.account.startswith("26")}
    assert vat == {"2611": D("-25.00"), "2631": D("-6.00")}


# -- the member's side ------------------------------------------------------------------------

MEMBER_ACCOUNTS = PurchaseAccounts(cost={"LAPTOP": "5252", "LICENS": "5420"})


def test_the_member_books_the_march_invoice_as_a_purchase():
    doc = document(line("LAPTOP", "2", "450"), line("SUPPORT", "1", "200"))
    voucher, errors = purchase_voucher_for(doc, 3, MEMBER_ACCOUNTS, OBJECTS)
    assert errors == []
    assert (voucher.series, voucher.number, voucher.date) == ("L", 3, dt.date(2025, 3, 31))
    assert voucher.text == "Faktura 2025-0001 IT-förbundet Norr"
    assert voucher.transactions == (
        Transaction("2440", D("-1375.00")),
        Transaction("5252", D("900.00"), ((OBJECT_DIMENSION, "ARB"),)),
        Transaction("6540", D("200.00")),  # no account of its own: the member's default
        Transaction("2641", D("275.00")),
    )


def test_a_credit_note_received_is_the_mirror_image():
    lines = (line("LAPTOP", "2", "450"), line("LICENS", "3", "19.90"))
    invoice, _ = purchase_voucher_for(document(*lines), 1, MEMBER_ACCOUNTS, OBJECTS)
    credit, errors = purchase_voucher_for(
        document(*lines, kind=DocumentKind.CREDIT_NOTE), 2, MEMBER_ACCOUNTS, OBJECTS
    )
    assert errors == [] and credit.text.startswith("Kreditnota 2025-0001")
    assert [t.amount for t in credit.transactions] == [-t.amount for t in invoice.transactions]


def test_an_input_vat_rate_without_account_is_an_error():
    doc = document(
        DocumentLine("BOK", "BOK", "Bok", D(1), "EA", D(100), D(100), vat_percent=Decimal(6)),
    )
    voucher, errors = purchase_voucher_for(doc, 1, MEMBER_ACCOUNTS, OBJECTS)
    assert [e.code for e in errors] == ["ledger.no_vat_account"]
    assert "input VAT at 6 %" in errors[0].message
    assert balance(voucher) != 0


# -- every voucher balances ------------------------------------------------------------------------

PRODUCTS = ["LAPTOP", "LICENS", "SUPPORT", "OKAND"]
RATES = [
    (VatCategory.STANDARD, Decimal(25)),
    (VatCategory.STANDARD, Decimal(12)),
    (VatCategory.STANDARD, Decimal(6)),
    (VatCategory.EXEMPT, Decimal(0)),
]


@st.composite
def document_lines(draw: st.DrawFn) -> DocumentLine:
    product = draw(st.sampled_from(PRODUCTS))
    quantity = draw(st.decimals(Decimal("0.01"), Decimal(1000), places=2))
    price = draw(st.decimals(Decimal("-5000"), Decimal(50000), places=2))
    category, rate = draw(st.sampled_from(RATES))
    return DocumentLine(
        "1", product, product, quantity, "EA", price, line_amount(quantity, price), category, rate
    )


ALL_RATES = AccountMap(
    vat={Decimal(25): "2611", Decimal(12): "2621", Decimal(6): "2631"},
    revenue={"LAPTOP": "3440", "LICENS": "3450"},
)


@given(
    lines=st.lists(document_lines(), min_size=1, max_size=12),
    kind=st.sampled_from(list(DocumentKind)),
)
def test_every_voucher_balances_and_debits_the_payable_amount(lines, kind):
    doc = document(*lines, kind=kind)
    voucher, errors = voucher_for(doc, 1, ALL_RATES, {"LAPTOP": "ARB"}, "LULEA")
    assert errors == []
    assert balance(voucher) == 0
    receivable = voucher.transactions[0]
    assert receivable.account == "1510"
    assert receivable.objects == ((MEMBER_DIMENSION, "LULEA"),)
    sign = 1 if kind is DocumentKind.INVOICE else -1
    assert receivable.amount == sign * totals(doc).payable


ALL_INPUT_RATES = PurchaseAccounts(
    vat={Decimal(25): "2641", Decimal(12): "2642", Decimal(6): "2643"},
    cost={"LAPTOP": "5252", "LICENS": "5420"},
)


@given(
    lines=st.lists(document_lines(), min_size=1, max_size=12),
    kind=st.sampled_from(list(DocumentKind)),
)
def test_the_members_voucher_mirrors_the_federations(lines, kind):
    """What the federation books as receivable, revenue and output VAT, the member books as
    payable, cost and input VAT: the same amounts with the other sign, per governance object."""
    doc = document(*lines, kind=kind)
    sale, _ = voucher_for(doc, 1, ALL_RATES, {"LAPTOP": "ARB"}, "LULEA")
    purchase, errors = purchase_voucher_for(doc, 1, ALL_INPUT_RATES, {"LAPTOP": "ARB"})
    assert errors == []
    assert balance(purchase) == 0
    payable, *rest = purchase.transactions
    assert payable.account == "2440" and payable.amount == -sale.transactions[0].amount

    def per_object(voucher, accounts):
        sums = {}
        for t in voucher.transactions:
            if t.account in accounts:
                key = tuple(o for o in t.objects if o[0] == OBJECT_DIMENSION)
                sums[key] = sums.get(key, 0) + t.amount
        return sums

    revenue = per_object(sale, {"3440", "3450", "3490"})
    cost = per_object(purchase, {"5252", "5420", "6540"})
    assert {key: amount for key, amount in cost.items() if amount} == {
        key: -amount for key, amount in revenue.items() if amount
    }
    output = sorted(-t.amount for t in sale.transactions if t.account.startswith("26"))
    assert sorted(t.amount for t in rest if t.account.startswith("264")) == output
