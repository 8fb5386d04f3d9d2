"""SIE 4I out and back: a March billing run for Luleå and Piteå, as the ledger will import it.

The golden files ``golden/sie/run.se`` and, for Piteå's own ledger, ``golden/sie/member.se`` pin
the writer byte for byte. After a deliberate change
to the output, regenerate it and review the difference before committing:

    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/adapters/test_sie.py -p no:cacheprovider
"""

import datetime as dt
import os
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samkalk.adapters.sie import Company, read_sie, sie_export, sie_file
from samkalk.adapters.sie.syntax import checksum, clean, split_record
from samkalk.core.invoice import Document, DocumentKind, DocumentLine, Party, line_amount
from samkalk.core.ledger import (
    AccountMap,
    PurchaseAccounts,
    Transaction,
    Voucher,
    balance,
    purchase_voucher_for,
    voucher_for,
)
from samkalk.core.money import D

GOLDEN = Path(__file__).parent / "golden" / "sie" / "run.se"
MEMBER_GOLDEN = Path(__file__).parent / "golden" / "sie" / "member.se"

FEDERATION = Party("IT-förbundet Norrbotten", "222000-1234", "0007:2220001234")
LULEA = Party("Luleå kommun", "212000-2742", "0007:2120002742")
PITEA = Party("Piteå kommun", "212000-2759", "0007:2120002759")
COMPANY = Company("IT-förbundet Norrbotten", "222000-1234", "0.1.0")
ACCOUNTS = AccountMap(
    revenue={"LAPTOP": "3440", "LICENS": "3450"},
    names={
        "1510": "Kundfordringar",
        "2611": "Utgående moms 25 %",
        "3440": "Hyra av utrustning",
        "3450": "Licensintäkter",
        "3490": "Övriga tjänster",
    },
)
LINE_OBJECTS = {"LAPTOP": "ARB", "LICENS": "ARB", "SUPPORT": "SKOLA"}
OBJECTS = {
    1: {"ARB": "Arbetsplats", "SKOLA": "Skol-IT"},
    2: {"LULEA": "Luleå kommun", "PITEA": "Piteå kommun"},
}
MARCH = dt.date(2025, 3, 31)
YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def line(product: str, quantity: str, price: str) -> DocumentLine:
    amount = line_amount(D(quantity), D(price))
    return DocumentLine("1", product, product, D(quantity), "EA", D(price), amount)


def document(number: str, buyer: Party, *lines: DocumentLine, credit: bool = False) -> Document:
    return Document(
        kind=DocumentKind.CREDIT_NOTE if credit else DocumentKind.INVOICE,
        number=number,
        issue_date=MARCH,
        due_date=dt.date(2025, 4, 30),
        seller=FEDERATION,
        buyer=buyer,
        buyer_reference="4711",
        lines=lines,
        bankgiro="123-4567",
        payment_terms="30 dagar netto",
        preceding_number="2025-0002" if credit else "",
    )


def march_run() -> list[Voucher]:
    """Two invoices and a credit note: Piteå was billed one laptop too many."""
    documents = [
        (document("2025-0001", LULEA, line("LAPTOP", "40", "312.50"), line("SUPPORT", "1", "1200")),
         "LULEA"),
        (document("2025-0002", PITEA, line("LAPTOP", "25", "312.50"), line("LICENS", "25", "49.90"),
                  line("SUPPORT", "2", "600")), "PITEA"),
        (document("2025-0003", PITEA, line("LAPTOP", "1", "312.50"), credit=True), "PITEA"),
    ]  # fmt: skip
    vouchers = []
    for number, (doc, member) in enumerate(documents, start=101):
        voucher, errors = voucher_for(doc, number, ACCOUNTS, LINE_OBJECTS, member)
        assert errors == []
        vouchers.append(voucher)
    return vouchers


PITEA_COMPANY = Company("Piteå kommun", "212000-2759", "0.1.0")
PITEA_ACCOUNTS = PurchaseAccounts(
    payable="25110",
    vat={Decimal(25): "16410"},
    cost={"LAPTOP": "64300"},
    default_cost="73300",
    names={"25110": "Leverantörsskulder", "16410": "Ingående moms 25 %"},
)


def pitea_vouchers() -> list[Voucher]:
    """Piteå's side of the March run: its invoice and the credit note, in its own accounts."""
    documents = [
        document("2025-0002", PITEA, line("LAPTOP", "25", "312.50"), line("LICENS", "25", "49.90"),
                 line("SUPPORT", "2", "600")),
        document("2025-0003", PITEA, line("LAPTOP", "1", "312.50"), credit=True),
    ]  # fmt: skip
    vouchers = []
    for number, doc in enumerate(documents, start=1):
        voucher, errors = purchase_voucher_for(doc, number, PITEA_ACCOUNTS, LINE_OBJECTS)
        assert errors == []
        vouchers.append(voucher)
    return vouchers


def pitea_file() -> bytes:
    objects = {1: OBJECTS[1]}
    return sie_file(PITEA_COMPANY, pitea_vouchers(), PITEA_ACCOUNTS, objects, dt.date(2025, 4, 1),
                    YEAR_2025)  # fmt: skip


def march_file(**options: bool) -> bytes:
    return sie_file(COMPANY, march_run(), ACCOUNTS, OBJECTS, dt.date(2025, 4, 1), YEAR_2025,
                    **options)  # fmt: skip


# -- the golden file -------------------------------------------------------------------------------


def test_march_run_matches_the_golden_file():
    data = march_file()
    if os.environ.get("REGENERATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_pitea_s_own_file_matches_the_golden_file_and_reads_back():
    data = pitea_file()
    if os.environ.get("REGENERATE_GOLDEN") == "1":
        MEMBER_GOLDEN.write_bytes(data)
    assert data == MEMBER_GOLDEN.read_bytes()
    contents = read_sie(data, "member.se")
    assert contents.errors == ()
    assert contents.vouchers == tuple(pitea_vouchers())
    assert contents.company == PITEA_COMPANY
    assert contents.objects == {1: OBJECTS[1]}
    invoice, credit = contents.vouchers
    assert invoice.transactions[0] == Transaction("25110", D("-12825.00"))
    assert [(t.account, t.amount) for t in credit.transactions] == [
        ("25110", D("390.63")), ("64300", D("-312.50")), ("16410", D("-78.13"))
    ]  # fmt: skip


def test_golden_file_reads_back_as_the_march_run():
    contents = read_sie(GOLDEN.read_bytes(), "run.se")
    assert contents.errors == ()
    assert contents.vouchers == tuple(march_run())
    assert all(balance(v) == 0 for v in contents.vouchers)
    assert contents.company == COMPANY
    assert contents.accounts["3440"] == "Hyra av utrustning"
    assert contents.objects == OBJECTS
    assert contents.fiscal_year == YEAR_2025
    assert contents.generated_on == dt.date(2025, 4, 1)
    assert contents.checksum_ok is None


def test_file_is_code_page_437_with_crlf_line_ends():
    data = march_file()
    assert data.startswith(b'#FLAGGA 0\r\n#PROGRAM "Samkalk" "0.1.0"\r\n#FORMAT PC8\r\n')
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert '"Luleå kommun"'.encode("cp437") in data  # å is 0x86 in code page 437
    assert b"\x86" in data and "å".encode() not in data


def test_credit_note_is_written_with_mirrored_signs():
    text = march_file().decode("cp437")
    assert '#VER F 103 20250331 "Kreditnota 2025-0003 Piteå kommun"' in text
    assert '#TRANS 1510 {2 "PITEA"} -390.63' in text
    assert '#TRANS 3440 {1 "ARB" 2 "PITEA"} 312.50' in text


# -- every #VER balances, every voucher survives the round trip ------------------------------------

TEXT = st.text(
    alphabet=st.sampled_from(list("abcxyzÅÄÖåäöéÉü ABC0123456789-_.,:;'\"{}#/%&()")), max_size=30
)


@st.composite
def vouchers(draw: st.DrawFn, number: int) -> Voucher:
    amounts = draw(st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=8))
    amounts.append(-sum(amounts))
    transactions = tuple(
        Transaction(
            account=draw(st.sampled_from(["1510", "2611", "3440", "3490", "1930"])),
            amount=Decimal(ore) / 100,
            objects=tuple(draw(st.lists(st.tuples(st.integers(1, 20), TEXT), max_size=3))),
            text=draw(TEXT),
        )
        for ore in amounts
    )
    series = draw(st.sampled_from(["F", "A", "KN", "Å"]))
    date = draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
    return Voucher(series, number, date, draw(TEXT), transactions)


@st.composite
def runs(draw: st.DrawFn) -> list[Voucher]:
    count = draw(st.integers(0, 5))
    return [draw(vouchers(number)) for number in range(1, count + 1)]


@given(run=runs(), name=TEXT, with_checksum=st.booleans())
def test_round_trip_gives_the_same_vouchers(run, name, with_checksum):
    company = Company(name, "222000-1234", "0.1.0")
    data, errors = sie_export(
        company, run, AccountMap(), {}, MARCH, YEAR_2025, with_checksum=with_checksum
    )
    assert errors == []
    contents = read_sie(data)
    assert contents.errors == ()
    assert contents.vouchers == tuple(run)
    assert contents.company == company
    assert all(balance(v) == 0 for v in contents.vouchers)
    assert contents.checksum_ok is (True if with_checksum else None)


def test_characters_outside_code_page_437_become_a_question_mark_and_are_reported():
    voucher = Voucher("F", 1, MARCH, "Licens 100 € – mars", (
        Transaction("1510", D("1"), text="rad\tett"), Transaction("3490", D("-1")),
    ))  # fmt: skip
    data, errors = sie_export(COMPANY, [voucher], AccountMap(), {}, MARCH, YEAR_2025)
    assert [e.code for e in errors] == ["sie.replaced_characters"] * 2
    assert "€" in errors[0].message
    contents = read_sie(data)
    assert contents.vouchers[0].text == "Licens 100 ? ? mars"
    assert contents.vouchers[0].transactions[0].text == "rad ett"


def test_clean_rule():
    assert clean('Åsa "Ö" é') == ('Åsa "Ö" é', "")
    assert clean("a€b\\c\nd") == ("a?b/c d", "€\\\n")


def test_writer_reports_an_unbalanced_voucher():
    voucher = Voucher("F", 7, MARCH, "x", (Transaction("1510", D("10")),))
    _, errors = sie_export(COMPANY, [voucher], AccountMap(), {}, MARCH, YEAR_2025)
    assert [e.code for e in errors] == ["sie.unbalanced_voucher"]


def test_writer_reports_a_part_of_an_ore():
    voucher = Voucher("F", 7, MARCH, "x", (
        Transaction("1510", D("10.005")), Transaction("3490", D("-10.005")),
    ))  # fmt: skip
    _, errors = sie_export(COMPANY, [voucher], AccountMap(), {}, MARCH, YEAR_2025)
    assert [e.code for e in errors] == ["sie.amount_not_ore"] * 2


# -- the reader reports problems with their line number --------------------------------------------

HEADER = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4"]


def read_lines(*lines: str):
    return read_sie("\r\n".join([*HEADER, *lines]).encode("cp437"), "mars.se")


def codes_and_rows(contents):
    return [(e.code, e.source.row) for e in contents.errors]


def test_a_malformed_line_is_reported_with_its_line_number():
    contents = read_lines(
        '#VER F 1 20250331 "Faktura',  # line 4: the quote is never closed
        "{",
        "#TRANS 1510 {} 100.00",
        "#TRANS 3490 {} -100.00",
        "}",
    )
    assert codes_and_rows(contents) == [
        ("sie.malformed_line", 4),
        ("sie.malformed_line", 5),
        ("sie.trans_outside_voucher", 6),
        ("sie.trans_outside_voucher", 7),
        ("sie.malformed_line", 8),
    ]
    assert contents.errors[0].source.file == "mars.se"
    assert "row 4" in str(contents.errors[0])


@pytest.mark.parametrize(
    "record, code",
    [
        ("#TRANS 1510 {} 100,00", "sie.bad_field"),  # a decimal comma
        ("#TRANS 1510 {} 100.001", "sie.bad_field"),  # a part of an öre
        ("#TRANS 1510 {1} 100.00", "sie.bad_field"),  # an object without its dimension pair
        ("#TRANS 1510 {}", "sie.bad_field"),  # no amount
        ("#TRANS 1510 {1 {2}} 100.00", "sie.malformed_line"),
        ("Faktura 2025-0001", "sie.malformed_line"),  # no label
    ],
)
def test_bad_records_inside_a_voucher(record, code):
    contents = read_lines('#VER F 1 20250331 "x"', "{", record, "}")
    assert (code, 6) in codes_and_rows(contents)


def test_bad_voucher_date_and_number():
    contents = read_lines('#VER F 1 20251331 "x"', '#VER F x 20250331 "x"')
    assert codes_and_rows(contents) == [("sie.bad_field", 4), ("sie.bad_field", 5)]


def test_an_unbalanced_voucher_is_reported_at_its_ver_line():
    contents = read_lines('#VER F 1 20250331 "x"', "{", "#TRANS 1510 {} 100.00",
                          "#TRANS 3490 {} -99.00", "}")  # fmt: skip
    assert codes_and_rows(contents) == [("sie.unbalanced_voucher", 4)]
    assert len(contents.vouchers) == 1


def test_a_voucher_without_its_closing_brace():
    contents = read_lines('#VER F 1 20250331 "x"', "{", "#TRANS 1510 {} 0.00")
    assert codes_and_rows(contents) == [("sie.unclosed_voucher", 4)]


# -- a file from another program -------------------------------------------------------------------

OTHER_PROGRAM = """#FLAGGA 1
#PROGRAM "Ekonomisystemet X" 12.3
#FORMAT PC8
#GEN 20250402 "Anna"
#SIETYP 4
#PROSA Export fr\x86n X
#FNR 17
#ORGNR 222000-1234 1
#ADRESS "Ekonomi" "Storgatan 1" "971 85 Lule\x86" "0920-12345"
#FNAMN "IT-f\x94rbundet Norrbotten"
#RAR 0 20250101 20251231
#RAR -1 20240101 20241231
#KPTYP BAS2014
#VALUTA SEK
#KONTO 1510 Kundfordringar
#KTYP 1510 T
#SRU 1510 7251
#DIM 1 Resultatenhet
#OBJEKT 1 ARB Arbetsplats
#IB 0 1510 0.00
#VER "F" "" 20250331 "Faktura 2025-0001 Lule\x86 kommun" 20250402 "Anna"
{
\t#TRANS\t1510\t{}\t1250.00\t20250331\t"Kundfordran"\t1
\t#BTRANS 3490 {} -1250 "" "" 0 "Anna"
\t#RTRANS 3440 {1 "ARB"} -1000 "" "" 0 "Anna"
\t#TRANS 3440 {1 "ARB"} -1000 "" "" 0 "Anna"
\t#TRANS 2611 { } -250
}
\x1a"""


def test_reads_a_file_written_by_another_program():
    data = OTHER_PROGRAM.replace("\n", "\r\n").encode("latin-1")  # the escapes are cp437 bytes
    contents = read_sie(data, "x.se")
    assert contents.errors == ()
    assert contents.company == Company("IT-förbundet Norrbotten", "222000-1234", "12.3",
                                       "Ekonomisystemet X", "BAS2014")  # fmt: skip
    assert contents.fiscal_year == YEAR_2025
    assert contents.objects == {1: {"ARB": "Arbetsplats"}}
    assert contents.vouchers == (
        Voucher("F", 0, MARCH, "Faktura 2025-0001 Luleå kommun", (
            Transaction("1510", D("1250.00"), (), "Kundfordran"),
            Transaction("3440", D("-1000"), ((1, "ARB"),), ""),
            Transaction("2611", D("-250")),
        )),
    )  # fmt: skip


def test_reads_lf_line_ends_too():
    crlf = read_sie(march_file())
    lf = read_sie(march_file().replace(b"\r\n", b"\n"))
    assert lf == crlf


# -- #KSUMMA ---------------------------------------------------------------------------------------


def test_checksum_is_crc32_over_labels_and_field_contents():
    assert checksum(['#KONTO 1915 "Kassa \\"special\\""']) == zlib.crc32(
        b'#KONTO1915Kassa "special"'
    )
    assert checksum(['#TRANS 7010 {1 "456"} 13200.00', "{", "}"]) == zlib.crc32(
        b"#TRANS70101456" + b"13200.00"
    )
    assert checksum(['#FNAMN "Åre"']) == zlib.crc32("#FNAMNÅre".encode("cp437"))


def test_checksum_is_written_on_request_and_verified():
    data = march_file(with_checksum=True)
    lines = data.decode("cp437").split("\r\n")
    assert lines[:2] == ["#FLAGGA 0", "#KSUMMA"]
    assert lines[-2].startswith("#KSUMMA ") and lines[-1] == ""
    assert read_sie(data).checksum_ok is True
    assert data.replace(b"#KSUMMA\r\n", b"").split(b"\r\n#KSUMMA ")[0] == march_file()[:-2]


def test_checksum_does_not_depend_on_spacing():
    data = march_file(with_checksum=True).replace(b"#TRANS 1510 {", b"#TRANS\t1510   {")
    assert read_sie(data).checksum_ok is True


def test_a_changed_amount_fails_the_checksum():
    data = march_file(with_checksum=True)
    data = data.replace(b"} -390.63", b"} -391.63").replace(b"} 78.13", b"} 79.13")
    contents = read_sie(data)
    assert contents.checksum_ok is False
    assert [e.code for e in contents.errors] == ["sie.checksum_mismatch"]


def test_a_file_cut_off_before_the_closing_checksum():
    data = march_file(with_checksum=True)
    contents = read_sie(data[: data.rindex(b"#KSUMMA ")])
    assert [(e.code, e.source.row) for e in contents.errors] == [("sie.checksum_truncated", 2)]


def test_split_record():
    assert split_record('#TRANS 3440 {1 "ARB" 2 "A B"} -1.00 "" "a \\"b\\""') == (
        "#TRANS", ["3440", ("1", "ARB", "2", "A B"), "-1.00", "", 'a "b"']
    )  # fmt: skip
