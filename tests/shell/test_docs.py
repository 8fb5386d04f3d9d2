"""The documentation that is generated from code is up to date."""

from pathlib import Path

from samkalk.adapters.workbook.docs import format_reference

ROOT = Path(__file__).resolve().parents[2]


def test_import_format_reference_matches_the_specification():
    written = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    assert written == format_reference(), "run `make docs`"


def test_readme_starts_with_the_two_setup_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.split("#")[0].strip() for line in lines[:8] if line.startswith("make ")]
    assert commands == ["make demo", "make test"]
