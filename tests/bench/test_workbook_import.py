"""The import benchmark's generated federation stays a valid workbook as the format grows."""

from __future__ import annotations

from bench.workbook_import import large_federation

from samkalk.adapters.workbook.writer import write_csv_folder
from samkalk.apps.budget.models import DirectCost, OverheadShare
from samkalk.apps.workbook.services import workbook_import


def test_a_small_generated_federation_imports_without_a_problem(db, tmp_path):
    folder = tmp_path / "large"
    write_csv_folder(folder, large_federation(members=3, products=10, pools=2))
    report = workbook_import(folder, actor="bench test")
    assert report.ok, [str(e) for e in report.errors[:5]]
    assert OverheadShare.objects.count() == 2 * 10
    assert DirectCost.objects.count() == 10 * 3
