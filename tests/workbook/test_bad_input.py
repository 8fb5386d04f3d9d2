"""Bad input: every problem is reported with its file, sheet, row and column; nothing is written.

Each case starts from a loaded federation, imports a broken copy of the same workbook, and
checks the error's code and place, and that the database (records and audit trail) is exactly
as it was.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from samkalk.adapters.workbook.reader import Limits
from samkalk.apps.workbook.services import workbook_export, workbook_import
from tests.workbook.conftest import fingerprint
from tests.workbook.sample import SAMPLE, write_sample


def swap(sheet: str, old: str, new: str) -> Callable[[Path], Path]:
    """A broken workbook: one text replaced in one sheet (the text must be there)."""
    assert old in SAMPLE[sheet], (sheet, old)

    def build(folder: Path) -> Path:
        return write_sample(folder, **{sheet: SAMPLE[sheet].replace(old, new, 1)})

    return build


def add_rows(sheet: str, rows: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return write_sample(folder, **{sheet: SAMPLE[sheet] + rows})

    return build


def write_bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        write_sample(folder)
        (folder / name).write_bytes(data)
        return folder

    return build


# (case id, builder, expected error code, expected (file, row, column) of the first error)
CASES = [
    (
        "unknown member",
        swap("organisations", "alfa-ks;alfa;", "alfa-ks;alva;"),
        "ref.unknown",
        ("organisations.csv", 2, "Medlem"),
    ),
    (
        "duplicate code",
        add_rows("members", "alfa;Alfa igen;212000-0035;;nej;nej\n"),
        "row.duplicate_key",
        ("members.csv", 4, "Kod"),
    ),
    (
        "org number fails Luhn",
        swap("members", "212000-0027", "212000-0028"),
        "cell.org_number",
        ("members.csv", 3, "Organisationsnummer"),
    ),
    (
        "percentages add up to 99",
        swap("key_snapshots", "fast;beta;2026-01-01;40", "fast;beta;2026-01-01;39"),
        "key.percent_total",
        ("key_snapshots.csv", 4, "Värde"),
    ),
    (
        "malformed number",
        swap("key_snapshots", "alfa;2025-01-01;600", "alfa;2025-01-01;6OO"),
        "cell.decimal",
        ("key_snapshots.csv", 2, "Värde"),
    ),
    (
        "two decimal marks",
        swap("direct_costs", "1000000,00", "1.000,000,00"),
        "cell.money",
        ("direct_costs.csv", 2, "Belopp"),
    ),
    (
        "fractions of an öre",
        swap("direct_costs", "1000000,00", "1000000,005"),
        "cell.money",
        ("direct_costs.csv", 2, "Belopp"),
    ),
    (
        "not UTF-8",
        write_bytes("members.csv", SAMPLE["members"].replace("Alfa", "Älfa").encode("cp1252")),
        "file.encoding",
        ("members.csv", 1, ""),
    ),
    (
        "binary file as CSV",
        write_bytes("members.csv", b"Kod;Namn\x00\x01"),
        "file.binary",
        ("members.csv", None, ""),
    ),
    (
        "unknown sheet",
        write_bytes("medlemar.csv", b"Kod\nx\n"),
        "sheet.unknown",
        ("medlemar.csv", None, ""),
    ),
    (
        "missing required column",
        swap("members", "Kod;Namn;", "Kod;"),
        "column.missing",
        ("members.csv", 1, "Namn"),
    ),
    (
        "unknown column",
        swap("members", "Värdkommun", "Värdkomun"),
        "column.unknown",
        ("members.csv", 1, "Värdkomun"),
    ),
    (
        "duplicate column",
        swap("members", "Kod;Namn;", "Kod;Namn;Name;"),
        "column.duplicate",
        ("members.csv", 1, "Name"),
    ),
    (
        "required cell empty",
        swap("members", "alfa;Alfa kommun;", "alfa;;"),
        "cell.text",
        ("members.csv", 2, "Namn"),
    ),
    (
        "unknown category",
        swap("governance_objects", ";infrastructure;", ";infrastruktur;"),
        "cell.choice",
        ("governance_objects.csv", 2, "Kategori"),
    ),
    (
        "impossible date",
        swap("key_snapshots", "alfa;2025-01-01;600", "alfa;2025-13-01;600"),
        "cell.date",
        ("key_snapshots.csv", 2, "Datum"),
    ),
    (
        "date in another notation",
        swap("decisions", ";2025-02-27;§", ";27/2/2025;§"),
        "cell.date",
        ("decisions.csv", 2, "Datum"),
    ),
    (
        "not ja or nej",
        swap("members", "212000-0019;;nej", "212000-0019;;kanske"),
        "cell.bool",
        ("members.csv", 2, "Värdkommun"),
    ),
    (
        "bad e-mail",
        swap("governance_objects", "kim@test.example", "kim-at-test"),
        "cell.email",
        ("governance_objects.csv", 2, "Objektägarens e-post"),
    ),
    (
        "bad Peppol ID",
        swap("members", "212000-0019;;", "212000-0019;0007:123;"),
        "cell.peppol_id",
        ("members.csv", 2, "Peppol-ID"),
    ),
    (
        "code with spaces",
        swap("members", "alfa;Alfa kommun", "Alfa K;Alfa kommun"),
        "cell.code",
        ("members.csv", 2, "Kod"),
    ),
    (
        "year outside the budget's plan",
        swap("direct_costs", "datorer-hyra;2027;", "datorer-hyra;2030;"),
        "budget.year_outside",
        ("direct_costs.csv", 3, "År"),
    ),
    (
        "adopted budget without decision",
        swap("budgets", "adopted;DIR 2025-02-27 § 7", "adopted;"),
        "budget.decision_required",
        ("budgets.csv", 2, "Beslut"),
    ),
    (
        "product without object",
        swap("products", "datorer-hyra;Datorer hyra;klient;", "datorer-hyra;Datorer hyra;;"),
        "product.object_required",
        ("products.csv", 2, "Förvaltningsobjekt"),
    ),
    (
        "allocated product without key",
        swap("products", ";allocated;;fast;", ";allocated;;;"),
        "product.key_required",
        ("products.csv", 3, "Fördelningsnyckel"),
    ),
    (
        "unit price without unit",
        swap("products", ";per_unit;enhet/månad;", ";per_unit;;"),
        "product.unit_required",
        ("products.csv", 2, "Enhet"),
    ),
    (
        "overhead shares over 100 %",
        swap("overhead_shares", "personal;grundanslag;70;", "personal;grundanslag;70,5;"),
        "overhead.over_100",
        ("overhead_shares.csv", 2, "Andel"),
    ),
    (
        "negative key value",
        swap("key_snapshots", "alfa;2025-01-01;600", "alfa;2025-01-01;-600"),
        "key.negative",
        ("key_snapshots.csv", 2, "Värde"),
    ),
    (
        "member name used twice",
        add_rows("members", "gamma;Alfa kommun;212000-0035;;nej;nej\n"),
        "row.not_unique",
        ("members.csv", 4, "Namn"),
    ),
    (
        "two federation rows",
        add_rows("federation", "Annat;212000-0019;;;;;;\n"),
        "sheet.single_row",
        ("federation.csv", 3, ""),
    ),
    (
        "VAT over 100 %",
        swap("products", "enhet/månad;;25;", "enhet/månad;;125;"),
        "cell.percent",
        ("products.csv", 2, "Momssats"),
    ),
    (
        "bad bankgiro",
        swap("federation", ";123-4567", ";1234567"),
        "cell.bankgiro",
        ("federation.csv", 2, "Bankgiro"),
    ),
    (
        "impossible snapshot day",
        swap("allocation_keys", ";count;01-01;", ";count;02-30;"),
        "cell.month_day",
        ("allocation_keys.csv", 2, "Mätdatum"),
    ),
    (
        "year that is not a year",
        swap("budgets", "2026;adopted", "20x6;adopted"),
        "cell.year",
        ("budgets.csv", 2, "År"),
    ),
    (
        "fractional year offset",
        swap("allocation_keys", ";01-01;-1;", ";01-01;-1,5;"),
        "cell.int",
        ("allocation_keys.csv", 2, "Årsförskjutning"),
    ),
    (
        "unknown decision",
        swap("budgets", "DIR 2025-02-27 § 7", "DIR 2025-02-27 § 9"),
        "ref.unknown",
        ("budgets.csv", 2, "Beslut"),
    ),
    (
        "unknown product in a direct cost",
        swap("direct_costs", "2026;grundanslag;", "2026;grundanslaget;"),
        "ref.unknown",
        ("direct_costs.csv", 4, "Produkt"),
    ),
    (
        "use of equity that adds to the cost",
        swap(
            "direct_costs", "grundanslag;2026;other;500000,00", "grundanslag;2026;equity_use;1,00"
        ),
        "budget.equity_use_positive",
        ("direct_costs.csv", 4, "Belopp"),
    ),
    (
        "product consuming itself",
        swap("consumptions", "datorer-hyra;grundanslag;10", "datorer-hyra;datorer-hyra;10"),
        "consumption.self",
        ("consumptions.csv", 2, "Levererande produkt"),
    ),
    (
        "negative volume",
        swap("volumes", "alfa;2026;1200", "alfa;2026;-1200"),
        "volume.negative",
        ("volumes.csv", 2, "Kvantitet"),
    ),
    (
        "volume of an unknown member",
        swap("volumes", "datorer-hyra;alfa;", "datorer-hyra;gamma;"),
        "ref.unknown",
        ("volumes.csv", 2, "Medlem"),
    ),
    (
        "staff post over 100 %",
        swap("staff_posts", "Tekniker;100;", "Tekniker;120;"),
        "cell.percent",
        ("staff_posts.csv", 2, "Tjänstgöringsgrad"),
    ),
    (
        "price change during the year without a decision",
        swap("product_prices", "2026-01-01;600,00", "2026-07-01;600,00"),
        "price.decision_required",
        ("product_prices.csv", 2, "Beslut"),
    ),
    (
        "asset type carried by a product and a pool",
        swap(
            "asset_types",
            "datorer-hyra;;;keep_in_pool;ja;;",
            "datorer-hyra;;;keep_in_pool;ja;personal;",
        ),
        "asset_type.two_carriers",
        ("asset_types.csv", 2, "Kostnadspool"),
    ),
    (
        "budget year parameters outside the plan",
        swap("budget_years", "2026;2027;3;2;", "2026;2029;3;2;"),
        "budget.year_outside",
        ("budget_years.csv", 3, "År"),
    ),
]


@pytest.mark.parametrize(
    ("build", "code", "where"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_reported_in_place_and_nothing_is_written(
    loaded, tmp_path, build, code, where
):
    before = fingerprint()
    report = workbook_import(build(tmp_path / "broken"), actor="test")
    assert not report.ok and not report.written
    error = next((e for e in report.errors if e.code == code), None)
    assert error is not None, [str(e) for e in report.errors]
    file, row, column = where
    assert (error.source.file, error.source.row, error.source.column) == (file, row, column)
    assert fingerprint() == before


def test_at_least_thirty_distinct_bad_inputs_are_covered():
    assert len(CASES) >= 30


def test_every_problem_is_reported_at_once(loaded, tmp_path):
    folder = write_sample(
        tmp_path / "many",
        members=SAMPLE["members"].replace("212000-0027", "212000-0028"),
        organisations=SAMPLE["organisations"].replace("alfa-ks;alfa;", "alfa-ks;alva;"),
        direct_costs=SAMPLE["direct_costs"].replace("1000000,00", "1 000 000,0x"),
    )
    before = fingerprint()
    report = workbook_import(folder, actor="test")
    assert {e.code for e in report.errors} >= {"cell.org_number", "cell.money"}
    assert fingerprint() == before


def test_another_federation_is_refused(loaded, tmp_path):
    folder = write_sample(
        tmp_path / "other", federation=SAMPLE["federation"].replace("222000-0018", "212000-0043")
    )
    before = fingerprint()
    report = workbook_import(folder, actor="test")
    assert [e.code for e in report.errors] == ["federation.other"]
    assert fingerprint() == before


def test_an_empty_database_needs_the_federation_sheet(db, tmp_path):
    folder = write_sample(tmp_path / "nofed")
    (folder / "federation.csv").unlink()
    report = workbook_import(folder, actor="test")
    assert "federation.missing" in [e.code for e in report.errors]
    assert fingerprint() == ({k: {} for k in fingerprint()[0]}, 0)


@pytest.fixture
def xlsx(loaded, tmp_path) -> Path:
    path = tmp_path / "book.xlsx"
    workbook_export(path)
    return path


def test_a_zip_bomb_is_refused_unopened(loaded, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    before = fingerprint()
    report = workbook_import(bomb, actor="test")
    assert [e.code for e in report.errors] == ["file.zip_bomb"]
    assert report.errors[0].source.file == "bomb.xlsx"
    assert fingerprint() == before


def test_a_file_that_is_not_a_workbook_is_refused(loaded, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Kod;Namn\n", encoding="utf-8")
    assert [e.code for e in workbook_import(fake, actor="test").errors] == ["file.not_xlsx"]


def test_an_oversized_file_is_refused(xlsx):
    before = fingerprint()
    report = workbook_import(xlsx, actor="test", limits=Limits(max_file_bytes=1000))
    assert [e.code for e in report.errors] == ["file.too_large"]
    assert fingerprint() == before


def test_xlsx_errors_name_the_sheet(xlsx):
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    book["Medlemmar"]["C3"] = "212000-0028"
    book.save(xlsx)
    before = fingerprint()
    report = workbook_import(xlsx, actor="test")
    error = report.errors[0]
    assert (
        error.code,
        error.source.file,
        error.source.sheet,
        error.source.row,
        error.source.column,
    ) == ("cell.org_number", "book.xlsx", "Medlemmar", 3, "Organisationsnummer")
    assert "book.xlsx, Medlemmar, row 3, column Organisationsnummer" in str(error)
    assert fingerprint() == before


def test_an_empty_folder_is_an_error(db, tmp_path):
    (tmp_path / "empty").mkdir()
    assert [e.code for e in workbook_import(tmp_path / "empty", actor="t").errors] == [
        "file.empty_folder"
    ]


# Assets, the investment plan and financing.
MORE_CASES = [
    (
        "negative depreciation time",
        swap("asset_types", "dator;Dator;48;", "dator;Dator;-48;"),
        "asset.life_not_positive",
        ("asset_types.csv", 2, "Avskrivningstid (månader)"),
    ),
    (
        "zero life on an investment",
        swap("investments", "dator;36;member", "dator;0;member"),
        "asset.life_not_positive",
        ("investments.csv", 3, "Avskrivningstid (månader)"),
    ),
    (
        "one member's investment without the member",
        swap("investments", "dator;36;member;alfa;", "dator;36;member;;"),
        "investment.member_required",
        ("investments.csv", 3, "Medlem"),
    ),
    (
        "a common investment naming a member",
        swap("investments", "dator;;common;;", "dator;;common;beta;"),
        "investment.member_on_common",
        ("investments.csv", 2, "Medlem"),
    ),
    (
        "investment year outside the plan",
        swap("investment_lines", "datorer;2025;", "datorer;2020;"),
        "budget.year_outside",
        ("investment_lines.csv", 2, "År"),
    ),
    (
        "loan repaid more than borrowed",
        swap("loan_amortisations", "2026-12-31;250000,00", "2026-12-31;850000,00"),
        "loan.over_amortised",
        ("loan_amortisations.csv", 3, "Belopp"),
    ),
    (
        "repayment before the loan is taken",
        swap("loan_amortisations", "lan-2025;2025-12-31;", "lan-2025;2025-01-31;"),
        "loan.amortised_before_borrowed",
        ("loan_amortisations.csv", 3, "Belopp"),
    ),
    (
        "price base amount of zero",
        swap("price_base_amounts", "2026;59200,00", "2026;0,00"),
        "amount.not_positive",
        ("price_base_amounts.csv", 3, "Belopp"),
    ),
    (
        "unknown asset type",
        swap("investments", "datorer;Datorer;dator;", "datorer;Datorer;pc;"),
        "ref.unknown",
        ("investments.csv", 2, "Tillgångstyp"),
    ),
]


@pytest.mark.parametrize(
    ("build", "code", "where"), [c[1:] for c in MORE_CASES], ids=[c[0] for c in MORE_CASES]
)
def test_bad_assets_and_financing_input(loaded, tmp_path, build, code, where):
    test_bad_input_is_reported_in_place_and_nothing_is_written(loaded, tmp_path, build, code, where)


# The asset register and the federation's rules for it (threshold, minimum life).
ASSET = "assets.csv"
REGISTER_CASES = [
    (
        "leased without a holder",
        swap("assets", "65000,00;alfa-ks;2025-04-01;;leased", "65000,00;;2025-04-01;;leased"),
        "asset.holder_required",
        (ASSET, 2, "Innehavare"),
    ),
    (
        "sold without a disposal date",
        swap("assets", ";sold;2026-06-30;", ";sold;;"),
        "asset.disposal_date_required",
        (ASSET, 4, "Avyttrad"),
    ),
    (
        "scrapped without a disposal date",
        swap("assets", ";sold;2026-06-30;20000,00;", ";scrapped;;;"),
        "asset.disposal_date_required",
        (ASSET, 4, "Avyttrad"),
    ),
    (
        "disposed of before it was acquired",
        swap("assets", ";sold;2026-06-30;", ";sold;2025-12-31;"),
        "asset.disposed_before_acquired",
        (ASSET, 4, "Avyttrad"),
    ),
    (
        "leased out before it was acquired",
        swap("assets", "alfa-ks;2025-04-01;", "alfa-ks;2025-03-01;"),
        "asset.lease_before_acquired",
        (ASSET, 2, "Hyra från"),
    ),
    (
        "lease ends before it starts",
        swap("assets", "2026-02-01;2026-06-30;sold", "2026-02-01;2026-01-31;sold"),
        "asset.lease_end_before_start",
        (ASSET, 4, "Hyra till"),
    ),
    (
        "cost below one price base amount",
        swap("assets", "SN002;Atea;;2025-03-14;65000,00", "SN002;Atea;;2025-03-14;12000,00"),
        "asset.below_threshold",
        (ASSET, 3, "Anskaffningsvärde"),
    ),
    (
        "cost below a raised threshold",
        swap("federation", "123-4567;1;36", "123-4567;1,5;36"),
        "asset.below_threshold",
        (ASSET, 2, "Anskaffningsvärde"),
    ),
    (
        "no price base amount for the year of acquisition",
        swap("assets", "SN002;Atea;;2025-03-14;", "SN002;Atea;;2024-03-14;"),
        "asset.no_price_base_amount",
        (ASSET, 3, "Anskaffad"),
    ),
    (
        "asset type without depreciation time",
        swap("asset_types", "dator;Dator;48;", "dator;Dator;;"),
        "asset.type_without_life",
        (ASSET, 2, "Tillgångstyp"),
    ),
    (
        "asset type life below three years",
        swap("asset_types", "dator;Dator;48;", "dator;Dator;24;"),
        "asset.life_below_minimum",
        ("asset_types.csv", 2, "Avskrivningstid (månader)"),
    ),
    (
        "investment life below three years",
        swap("investments", "dator;36;member", "dator;30;member"),
        "asset.life_below_minimum",
        ("investments.csv", 3, "Avskrivningstid (månader)"),
    ),
    (
        "negative capitalisation threshold",
        swap("federation", "123-4567;1;36", "123-4567;-1;36"),
        "federation.threshold_negative",
        ("federation.csv", 2, "Aktiveringsgräns (prisbasbelopp)"),
    ),
    (
        "minimum life of zero months",
        swap("federation", "123-4567;1;36", "123-4567;1;0"),
        "federation.minimum_life_not_positive",
        ("federation.csv", 2, "Minsta nyttjandetid (månader)"),
    ),
    (
        "direct purchase the type does not allow, without a decision",
        swap("assets", ";in_stock;;;nej;;datorer", ";in_stock;;;ja;;datorer"),
        "asset.direct_purchase_not_allowed",
        (ASSET, 3, "Direktköp"),
    ),
    (
        "disposal proceeds without a sale",
        swap("assets", ";in_stock;;;nej;", ";in_stock;;5000,00;nej;"),
        "asset.proceeds_without_sale",
        (ASSET, 3, "Försäljningsintäkt"),
    ),
    (
        "negative acquisition cost",
        swap("assets", "SN002;Atea;;2025-03-14;65000,00", "SN002;Atea;;2025-03-14;-65000,00"),
        "amount.negative",
        (ASSET, 3, "Anskaffningsvärde"),
    ),
    (
        "an inventory number twice",
        add_rows("assets", "IT-000002;dator;;;;;2025-03-14;65000,00;;;;in_stock;;;nej;;\n"),
        "row.duplicate_key",
        (ASSET, 5, "Inventarienummer"),
    ),
    (
        "unknown holder",
        swap("assets", ";alfa-ks;2025-04-01;", ";alfa-kx;2025-04-01;"),
        "ref.unknown",
        (ASSET, 2, "Innehavare"),
    ),
]


@pytest.mark.parametrize(
    ("build", "code", "where"), [c[1:] for c in REGISTER_CASES], ids=[c[0] for c in REGISTER_CASES]
)
def test_bad_register_input(loaded, tmp_path, build, code, where):
    test_bad_input_is_reported_in_place_and_nothing_is_written(loaded, tmp_path, build, code, where)


def test_a_raised_minimum_life_is_checked_against_stored_asset_types(loaded, tmp_path):
    folder = tmp_path / "minimum"
    folder.mkdir()
    (folder / "federation.csv").write_text(
        SAMPLE["federation"].replace("123-4567;1;36", "123-4567;1;60"), encoding="utf-8"
    )
    before = fingerprint()
    report = workbook_import(folder, actor="test")
    problems = [(e.code, e.source.row, e.source.column) for e in report.errors]
    assert problems == [
        ("asset.life_below_minimum", 2, "Minsta nyttjandetid (månader)"),  # asset type dator
        ("asset.life_below_minimum", 2, "Minsta nyttjandetid (månader)"),  # investment datorer-alfa
    ]
    assert fingerprint() == before


def test_every_bad_register_row_is_reported(loaded, tmp_path):
    rows = "".join(
        f"IT-9{i:05d};dator;;;;;2025-05-0{1 + i % 9};100,00;;;;leased;;;nej;;\n" for i in range(50)
    )
    report = workbook_import(add_rows("assets", rows)(tmp_path / "many"), actor="test")
    below = [e.source.row for e in report.errors if e.code == "asset.below_threshold"]
    holder = [e.source.row for e in report.errors if e.code == "asset.holder_required"]
    assert below == holder == list(range(5, 55))


def test_the_development_pool_above_six_price_base_amounts_needs_the_board(loaded, tmp_path):
    """500 000 kr unspecified in 2026 is more than 6 × 59 200 = 355 200 kr."""
    undecided = "pott;Utvecklingspott;dator;;common;;anvandare;loan;ja;nej;;"
    decided = "pott;Utvecklingspott;dator;;common;;anvandare;loan;ja;ja;;"
    test_bad_input_is_reported_in_place_and_nothing_is_written(
        loaded,
        tmp_path,
        swap("investments", undecided, decided),
        "investment.board_decision_required",
        ("investments.csv", 4, "Beslutad"),
    )
    by_board = decided.replace(";ja;ja;;", ";ja;ja;DIR 2025-02-27 § 7;")
    folder = write_sample(
        tmp_path / "board", investments=SAMPLE["investments"].replace(undecided, by_board)
    )
    report = workbook_import(folder, actor="test")
    assert report.ok, [str(e) for e in report.errors]


def test_the_threshold_applies_to_a_whole_purchase(loaded, tmp_path):
    """Two 30 000 kr laptops on one order in 2025 are 60 000 kr, above 58 800 (1 pba)."""
    rows = (
        "IT-100001;dator;;;;IK-2025-1;2025-05-02;30000,00;;;;in_stock;;;nej;;\n"
        "IT-100002;dator;;;;IK-2025-1;2025-05-02;30000,00;;;;in_stock;;;nej;;\n"
    )
    report = workbook_import(add_rows("assets", rows)(tmp_path / "order"), actor="test")
    assert report.ok, [str(e) for e in report.errors]
    alone = "IT-100003;dator;;;;IK-2025-2;2025-05-02;30000,00;;;;in_stock;;;nej;;\n"
    test_bad_input_is_reported_in_place_and_nothing_is_written(
        loaded,
        tmp_path / "alone",
        add_rows("assets", alone),
        "asset.below_threshold",
        (ASSET, 5, "Anskaffningsvärde"),
    )
