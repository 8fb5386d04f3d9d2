"""The asset-register benchmark's generator: a small register of it imports without a problem."""

from bench import asset_register
from samkalk.adapters.workbook.writer import write_csv_folder
from samkalk.apps.assets.models import Asset
from samkalk.apps.workbook.services import workbook_import


def test_a_generated_register_is_valid_and_imports(db, tmp_path):
    records = asset_register.register(assets=700)
    assert records == asset_register.register(assets=700)
    report = workbook_import(write_csv_folder(tmp_path / "r", records)[0].parent, actor="test")
    assert report.ok, report.errors[:5]
    assert Asset.objects.count() == 700
    assert set(Asset.objects.values_list("status", flat=True)) == {
        "in_stock",
        "leased",
        "returned",
        "sold",
        "scrapped",
    }
