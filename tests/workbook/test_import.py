"""Importing and exporting the federation workbook: the happy path and its guarantees."""

from __future__ import annotations

import filecmp
import gc
from decimal import Decimal
from pathlib import Path

from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.budget.models import DirectCost
from samkalk.apps.catalogue.models import Product
from samkalk.apps.federation.models import KeySnapshot, Member, Organisation
from samkalk.apps.workbook.services import workbook_export, workbook_import
from tests.workbook.conftest import fingerprint
from tests.workbook.sample import SAMPLE, write_sample


def test_the_sample_loads_with_references_resolved(loaded):
    alfa = Member.objects.get(code="alfa")
    assert alfa.org_number == "212000-0019"
    assert alfa.effective_peppol_id == "0007:2120000019"
    assert Organisation.objects.get(code="alfa-ks").member == alfa
    product = Product.objects.get(code="grundanslag")
    assert product.allocation_key.code == "fast"
    assert product.governance_object is None
    line = DirectCost.objects.get(product__code="datorer-hyra", year=2027)
    assert line.amount_ore == 103000000
    assert line.amount == Decimal("1030000.00")


def test_every_created_record_has_an_audit_row(loaded):
    creates = AuditEntry.objects.filter(action="create")
    assert creates.count() == sum(text.count("\n") - 1 for text in SAMPLE.values())
    entry = creates.get(model="federation.member", object_repr="Alfa kommun")
    assert entry.after["org_number"] == "212000-0019"
    assert entry.via == f"import of {loaded.name}"


def test_importing_twice_changes_nothing(loaded):
    before = fingerprint()
    report = workbook_import(loaded, actor="test")
    assert report.ok and not report.changes and not report.written
    assert fingerprint() == before


def test_a_changed_value_is_an_update_with_its_before_and_after(loaded, tmp_path):
    folder = write_sample(
        tmp_path / "changed",
        key_snapshots=SAMPLE["key_snapshots"].replace(
            "anvandare;alfa;2025-01-01;600", "anvandare;alfa;2025-01-01;650"
        ),
    )
    report = workbook_import(folder, actor="test")
    assert [(c.sheet, c.action, c.fields) for c in report.changes] == [
        ("key_snapshots", "update", ("value",))
    ]
    assert KeySnapshot.objects.get(member__code="alfa", key__code="anvandare").value == 650
    entry = AuditEntry.objects.get(action="update")
    assert (entry.before["value"], entry.after["value"]) == ("600.0000", "650")


def test_a_dry_run_reports_the_changes_and_writes_nothing(loaded, tmp_path):
    folder = write_sample(
        tmp_path / "dry",
        members=SAMPLE["members"] + ("gamma;Gamma kommun;212000-0035;;nej;;;;nej\n"),
    )
    before = fingerprint()
    report = workbook_import(folder, actor="test", dry_run=True)
    assert report.ok and not report.written
    assert [(c.sheet, c.key, c.action) for c in report.changes] == [
        ("members", ("gamma",), "create")
    ]
    assert fingerprint() == before
    assert gc.isenabled(), "the cycle collector, paused for the import, runs again"


def test_a_partial_workbook_refers_to_stored_records(loaded, tmp_path):
    folder = tmp_path / "partial"
    folder.mkdir()
    (folder / "key_snapshots.csv").write_text(
        "Nyckel;Medlem;Datum;Värde\nanvandare;alfa;2026-01-01;610\nanvandare;beta;2026-01-01;390\n",
        encoding="utf-8",
    )
    report = workbook_import(folder, actor="test")
    assert report.ok, report.errors
    assert KeySnapshot.objects.filter(as_of="2026-01-01", key__code="anvandare").count() == 2


def test_export_then_import_into_an_empty_database_reproduces_it(
    loaded, tmp_path, django_db_blocker
):
    out = tmp_path / "export"
    workbook_export(out)
    comparison = filecmp.dircmp(loaded, out)
    assert comparison.left_only == comparison.right_only == comparison.diff_files == []
    xlsx = tmp_path / "export.xlsx"
    workbook_export(xlsx)
    before = fingerprint()[0]
    report = workbook_import(xlsx, actor="test")
    assert report.ok and not report.changes
    assert fingerprint()[0] == before


def test_english_and_swedish_number_notations_mean_the_same(db, tmp_path):
    lines = (
        "Budget;Produkt;År;Typ;Belopp;Illustrativ\n"
        "2026;datorer-hyra;2026;other;1,000,000.00;nej\n"
        "2026;datorer-hyra;2027;other;1 030 000,00;nej\n"
        "2026;grundanslag;2026;other;500000;nej\n"
    )
    report = workbook_import(write_sample(tmp_path / "n", direct_costs=lines), actor="test")
    assert report.ok, report.errors
    amounts = sorted(DirectCost.objects.values_list("amount_ore", flat=True))
    assert amounts == [50000000, 100000000, 103000000]


def test_text_that_looks_like_a_formula_survives_export_as_text(loaded, tmp_path):
    folder = write_sample(
        tmp_path / "f",
        decisions=SAMPLE["decisions"].replace("Budgeten fastställs.", '=HYPERLINK("http://x")'),
    )
    assert workbook_import(folder, actor="test").ok
    out = tmp_path / "out"
    workbook_export(out)
    assert "\"'=HYPERLINK" in (out / "decisions.csv").read_text(encoding="utf-8")
    xlsx = tmp_path / "out.xlsx"
    workbook_export(xlsx)
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["Beslut"]
    assert sheet["G2"].data_type == "s"
    report = workbook_import(xlsx, actor="test")
    assert report.ok and not report.changes


def test_xlsx_with_notes_sheet_and_swedish_headers(loaded, tmp_path: Path):
    xlsx = tmp_path / "book.xlsx"
    workbook_export(xlsx)
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    book.create_sheet("_Anteckningar").append(["fritt", "text"])
    book.save(xlsx)
    report = workbook_import(xlsx, actor="test")
    assert report.ok and not report.changes


def test_a_direct_purchase_with_a_decision_is_allowed(loaded, tmp_path):
    folder = write_sample(
        tmp_path / "direct",
        assets=SAMPLE["assets"].replace(
            ";in_stock;;;nej;;datorer", ";in_stock;;;ja;DIR 2025-02-27 § 7;datorer"
        ),
    )
    report = workbook_import(folder, actor="test")
    assert report.ok, report.errors
    assert [(c.sheet, c.key, c.fields) for c in report.changes] == [
        ("assets", ("IT-000002",), ("direct_purchase", "decision"))
    ]


def test_a_register_exports_to_xlsx_and_reimports_unchanged(loaded, tmp_path):
    rows = "".join(
        f"IT-1{i:05d};dator;=Modell {i};SN-{i};Atea;;2026-0{1 + i % 9}-15;{60000 + i},50;"
        f"{'alfa-ks' if i % 2 else ''};{'2026-10-01' if i % 2 else ''};;"
        f"{'leased' if i % 2 else 'in_stock'};;;{'ja' if i % 5 == 0 else 'nej'};"
        f"{'DIR 2025-02-27 § 7' if i % 5 == 0 else ''};{'datorer' if i % 3 else ''}\n"
        for i in range(40)
    )
    folder = write_sample(tmp_path / "register", assets=SAMPLE["assets"] + rows)
    assert workbook_import(folder, actor="test").ok
    xlsx = tmp_path / "register.xlsx"
    workbook_export(xlsx)
    before = fingerprint()
    report = workbook_import(xlsx, actor="test")
    assert report.ok, report.errors
    assert not report.changes and report.unchanged["assets"] == 43
    assert fingerprint() == before
    out = tmp_path / "again"
    workbook_export(out)
    assert (out / "assets.csv").read_text(encoding="utf-8").count("\n") == 44


def test_the_capitalisation_threshold_applies_to_a_whole_purchase(loaded, tmp_path):
    # Two laptops of 30 000 kr each: below one price base amount (58 800 kr in 2025) alone,
    # above it as one purchase.
    assets = SAMPLE["assets"].replace("Atea;;2025-03-14;65000,00", "Atea;IK-1;2025-03-14;30000,00")
    report = workbook_import(write_sample(tmp_path / "one", assets=assets), actor="test")
    assert report.ok, report.errors
    alone = assets.replace("SN002;Atea;IK-1;", "SN002;Atea;IK-2;")
    report = workbook_import(write_sample(tmp_path / "two", assets=alone), actor="test")
    assert [(e.code, e.source.row) for e in report.errors] == [
        ("asset.below_threshold", 2),
        ("asset.below_threshold", 3),
    ]
