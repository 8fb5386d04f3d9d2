"""How fast the asset register imports, validates and exports: 100 000 assets, one federation.

The register is generated deterministically (no clock, no randomness): a small federation of
ten members with five organisations each, four asset types, a price base amount per year, and
100 000 assets spread over those types, years, holders and statuses — every row valid under
the federation's rules (threshold 1 price base amount, useful life at least 36 months). The
goal the issue sets is an import of 100 000 rows, validated, in at most 30 s (one transaction).
"""

from __future__ import annotations

import datetime as dt
import platform
import resource
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection

from samkalk.adapters.workbook.writer import write_csv_folder
from samkalk.apps.workbook.services import workbook_export, workbook_import
from samkalk.core.identity import luhn_valid

ASSETS = 100_000
YEARS = range(2019, 2027)
PRICE_BASE_AMOUNTS = {2019: 46500, 2020: 47300, 2021: 47600, 2022: 48300}
PRICE_BASE_AMOUNTS |= {2023: 52500, 2024: 57300, 2025: 58800, 2026: 59200}
TYPES = (("dator", 48, True), ("telefon", 36, True), ("skarm", 60, False), ("natverk", 72, False))


def _org_number(prefix: str, n: int) -> str:
    stem = f"{prefix}{n:05d}"[:9]
    digit = next(d for d in range(10) if luhn_valid(f"{stem}{d}"))
    return f"{stem[:6]}-{stem[6:]}{digit}"


def register(assets: int = ASSETS, members: int = 10) -> dict[str, list[dict[str, Any]]]:
    """A small federation with a large asset register, as workbook records."""
    m_codes = [f"m{i:02d}" for i in range(members)]
    organisations = [f"{c}-o{j}" for c in m_codes for j in range(5)]
    records: dict[str, list[dict[str, Any]]] = {
        "federation": [
            {
                "name": "Registerförbundet",
                "org_number": _org_number("2220", 7),
                "capitalisation_threshold_pba": Decimal(1),
                "minimum_life_months": 36,
            }
        ],
        "members": [
            {"code": c, "name": f"Kommun {c}", "org_number": _org_number("2120", i)}
            for i, c in enumerate(m_codes)
        ],
        "organisations": [
            {"code": code, "member": code[:3], "name": f"Förvaltning {code}", "kind": "department"}
            for code in organisations
        ],
        "decisions": [
            {
                "reference": "DIR 2024-05-02 § 4",
                "case_number": "REG 2024/1",
                "decided_on": dt.date(2024, 5, 2),
                "body": "board",
                "title": "Direktköp av skärmar",
            }
        ],
        "price_base_amounts": [
            {"year": y, "amount": Decimal(a)} for y, a in PRICE_BASE_AMOUNTS.items()
        ],
        "asset_types": [
            {
                "code": code,
                "name": code.capitalize(),
                "depreciation_months": months,
                "activation_convention": "following_month",
                "direct_purchase_allowed": allowed,
            }
            for code, months, allowed in TYPES
        ],
        "assets": [_asset(i, organisations) for i in range(assets)],
    }
    return records


def _asset(i: int, organisations: list[str]) -> dict[str, Any]:
    year = YEARS[i % len(YEARS)]
    acquired = dt.date(year, 1 + i % 12, 1 + i % 28)
    code, _, allowed = TYPES[i % len(TYPES)]
    status = ("leased", "leased", "leased", "in_stock", "returned", "sold", "scrapped")[i % 7]
    leased = status in ("leased", "returned", "sold")
    disposed = acquired + dt.timedelta(days=900) if status in ("sold", "scrapped") else None
    direct = i % 11 == 0
    return {
        "tag": f"IT-{i:06d}",
        "asset_type": code,
        "model": f"Modell {i % 40}",
        "serial_number": f"SN{i * 7919 % 10**9:09d}",
        "supplier": ("Atea", "Dustin", "Dell", "Lenovo")[i % 4],
        "acquired_on": acquired,
        "acquisition_cost": Decimal(PRICE_BASE_AMOUNTS[year] + i % 5000) + Decimal("0.50"),
        "organisation": organisations[i % len(organisations)] if leased else None,
        "lease_start": acquired + dt.timedelta(days=14) if leased else None,
        "lease_end": acquired + dt.timedelta(days=800) if status in ("returned", "sold") else None,
        "status": status,
        "disposed_on": disposed,
        "disposal_proceeds": Decimal(i % 3000) if status == "sold" else None,
        "direct_purchase": direct,
        "decision": "DIR 2024-05-02 § 4" if direct and not allowed else None,
        "investment": None,
    }


def _timed(label: str, action: Callable[[], Any], rows: int) -> tuple[Any, float]:
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"  {label:<40} {seconds:8.2f} s {rows / seconds:10,.0f} rows/s")
    return result, seconds


def run(folder: str) -> None:
    print(
        f"Asset register — {platform.processor() or platform.machine()}, "
        f"{connection.vendor}, Python {platform.python_version()}"
    )
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    source = Path(folder) / "register"
    write_csv_folder(source, register())
    rows = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in source.glob("*.csv"))
    print(f"{ASSETS:,} assets over a federation of 10 members ({rows:,} rows in all):")
    report, _ = _timed(
        "import into an empty database", lambda: workbook_import(source, actor="bench"), rows
    )
    assert report.ok and report.written, report.errors[:5]
    report, _ = _timed(
        "import again (no changes)", lambda: workbook_import(source, actor="bench"), rows
    )
    assert report.ok and not report.changes, report.errors[:5]
    report, _ = _timed(
        "dry run (read, parse, validate, diff)",
        lambda: workbook_import(source, actor="bench", dry_run=True),
        rows,
    )
    xlsx = Path(folder) / "register.xlsx"
    _timed("export to .xlsx", lambda: workbook_export(xlsx), rows)
    report, _ = _timed(
        "import the .xlsx again (no changes)", lambda: workbook_import(xlsx, actor="bench"), rows
    )
    assert report.ok and not report.changes, report.errors[:5]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the process              {peak_mb:8.0f} MB")
