"""The report commands: `samkalk assets schedule`, `assets replacement-plan` and `financing`.

JSON amounts are strings with two decimals in SEK, so no reader turns them into floats.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from samkalk.cli import app

runner = CliRunner()
TWO_DECIMALS = re.compile(r"^-?\d+\.\d\d$")


def _json(*args):
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


@pytest.mark.parametrize(
    "command", [["assets"], ["assets", "schedule"], ["assets", "replacement-plan"], ["financing"]]
)
def test_every_new_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_financing_2026_as_json(loans):
    # L-1 10 Mkr at 3 %: Jan–Jun 6 × 25 000.00, Jul–Dec on 9.5 Mkr 6 × 23 750.00 = 292 500.00;
    # L-2 2 Mkr at 4 % from April: 9 × 6 666.67 = 60 000.03; together 352 500.03.
    rows, stderr = _json("financing", "--year", "2026")
    assert rows == [
        {
            "year": 2026,
            "opening_debt": "10000000.00",
            "new_borrowing": "2000000.00",
            "new_borrowing_equity": "0.00",
            "amortisation": "500000.00",
            "closing_debt": "11500000.00",
            "guarantee_frame": "20000000.00",
            "frame_left": "8500000.00",
            "interest": "352500.03",
        }
    ]
    assert stderr == ""


def test_financing_without_loans_or_frame_still_gives_two_decimals_and_warns(db):
    rows, stderr = _json("financing", "--year", "2026")
    assert all(TWO_DECIMALS.match(v) for k, v in rows[0].items() if k != "year")
    assert "financing.no_frame" in stderr


def test_assets_schedule_2026_as_json(federation):
    rows, stderr = _json("assets", "schedule", "--year", "2026")
    assert [r["type_code"] for r in rows] == ["dator", "telefon", None]
    assert rows[0] == {
        "type_code": "dator",
        "type_name": "Datorer",
        "count": 4,
        "acquisitions": "26400.00",
        "depreciation": "8000.00",
        "interest": "684.04",
        "capital_cost": "8684.04",
        "book_value_end": "27075.00",
        "disposals": 1,
        "disposed_book_value": "6600.00",
    }
    assert rows[-1]["type_name"] == "Total"
    assert (rows[-1]["count"], rows[-1]["capital_cost"]) == (6, "9521.54")
    assert rows[1]["disposed_book_value"] == "0.00"
    assert "1 direct purchase(s) left out" in stderr


def test_assets_replacement_plan_as_json(federation):
    rows, _ = _json("assets", "replacement-plan", "--from", "2026", "--years", "5")
    assert [(r["year"], r["type_code"], r["member"], r["count"], r["amount"]) for r in rows] == [
        (2026, "telefon", "alfa", 1, "5400.00"),
        (2028, "telefon", None, 1, "5400.00"),
        (2029, "dator", "beta", 1, "13200.00"),
        (2030, "dator", "alfa", 2, "26400.00"),
    ]


def test_assets_schedule_as_table_and_csv(federation):
    table = runner.invoke(app, ["assets", "schedule", "--year", "2026"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "Datorer" in table.stdout and "9521.54" in table.stdout
    csv = runner.invoke(app, ["assets", "replacement-plan", "--from", "2026", "--format", "csv"])
    lines = csv.stdout.splitlines()
    assert lines[0] == "year,type_code,type_name,member,member_name,count,amount"
    assert lines[2] == "2028,telefon,Mobiltelefoner,,—,1,5400.00"
