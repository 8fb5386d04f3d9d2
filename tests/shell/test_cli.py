"""The `samkalk` command: every command has --help; import/export/reports behave as documented."""

import json

import pytest
from typer.testing import CliRunner

from samkalk.cli import app
from tests.workbook.sample import SAMPLE, write_sample

runner = CliRunner()
COMMANDS = [
    "import",
    "export",
    "migrate",
    "demo",
    "serve",
    "workbook-format",
    "members",
    "keys",
    "products",
    "manage",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_import_dry_run_then_import_then_json_reports(db, tmp_path):
    folder = write_sample(tmp_path / "wb")
    dry = runner.invoke(app, ["import", str(folder), "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.output)
    assert report["dry_run"] and not report["written"]
    assert report["counts"]["members"] == {"create": 2, "update": 0, "unchanged": 0}
    assert runner.invoke(app, ["import", str(folder)]).exit_code == 0
    keys = json.loads(runner.invoke(app, ["keys", "--year", "2026", "--format", "json"]).output)
    assert {(r["key"], r["member"], r["value"], r["share_percent"]) for r in keys} == {
        ("anvandare", "alfa", "600", "60.0"),
        ("anvandare", "beta", "400", "40.0"),
        ("fast", "alfa", "60", "60.0"),
        ("fast", "beta", "40", "40.0"),
    }
    members = runner.invoke(app, ["members", "--format", "csv"]).output.splitlines()
    assert members[0] == "code,name,org_number,peppol_id,organisations,illustrative"
    assert members[1] == "alfa,Alfa kommun,212000-0019,0007:2120000019,1,False"


def test_a_bad_import_exits_non_zero_with_every_error_placed(db, tmp_path):
    folder = write_sample(
        tmp_path / "bad", members=SAMPLE["members"].replace("212000-0027", "212000-0028")
    )
    result = runner.invoke(app, ["import", str(folder), "--format", "json"])
    assert result.exit_code == 1
    errors = json.loads(result.output)["errors"]
    assert errors == [
        {
            "code": "cell.org_number",
            "message": "'212000-0028' is not a valid organisation number (NNNNNN-NNNN, Luhn)",
            "file": "members.csv",
            "sheet": "members",
            "row": 3,
            "column": "Organisationsnummer",
        }
    ]


def test_csv_output_neutralises_formula_cells(db, tmp_path):
    folder = write_sample(
        tmp_path / "f", members=SAMPLE["members"].replace("Alfa kommun", "=1+1 kommun")
    )
    assert runner.invoke(app, ["import", str(folder)]).exit_code == 0
    output = runner.invoke(app, ["members", "--format", "csv"]).output
    assert "'=1+1 kommun" in output
