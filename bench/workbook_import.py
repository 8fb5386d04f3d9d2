"""How fast a workbook imports, validates (dry run) and exports: the demo and a large federation.

The large federation is generated deterministically: 300 members, 10 organisations each,
5 count keys with 10 yearly snapshots per member, 1 000 products over 20 objects, a budget with
three years of direct costs per product, and 20 cost pools with overhead shares.
"""

from __future__ import annotations

import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection

from samkalk.adapters.workbook.writer import write_csv_folder
from samkalk.apps.workbook.demo import DEMO_WORKBOOK
from samkalk.apps.workbook.services import workbook_export, workbook_import
from samkalk.core.identity import luhn_valid


def _org_number(prefix: str, n: int) -> str:
    stem = f"{prefix}{n:05d}"[:9]
    digit = next(d for d in range(10) if luhn_valid(f"{stem}{d}"))
    return f"{stem[:6]}-{stem[6:]}{digit}"


def large_federation(
    members: int = 300, products: int = 1000, pools: int = 20
) -> dict[str, list[dict[str, Any]]]:
    import datetime as dt
    from decimal import Decimal

    m_codes = [f"m{i:03d}" for i in range(members)]
    records: dict[str, list[dict[str, Any]]] = {
        "federation": [{"name": "Storförbundet", "org_number": _org_number("2220", 1)}],
        "members": [
            {
                "code": c,
                "name": f"Kommun {c}",
                "org_number": _org_number("2120", i),
                "is_host": False,
                "illustrative": True,
            }
            for i, c in enumerate(m_codes)
        ],
        "organisations": [
            {
                "code": f"{c}-o{j}",
                "member": c,
                "name": f"Förvaltning {j}",
                "kind": "department",
                "illustrative": True,
            }
            for c in m_codes
            for j in range(10)
        ],
        "allocation_keys": [
            {
                "code": f"k{k}",
                "name": f"Nyckel {k}",
                "unit": "count",
                "snapshot_date": (1, 1),
                "snapshot_year_offset": -1,
            }
            for k in range(5)
        ],
        "key_snapshots": [
            {
                "key": f"k{k}",
                "member": c,
                "as_of": dt.date(2017 + y, 1, 1),
                "value": Decimal(1000 + (i * 37 + k * 11 + y) % 5000),
                "illustrative": True,
            }
            for k in range(5)
            for i, c in enumerate(m_codes)
            for y in range(10)
        ],
        "governance_objects": [
            {"code": f"obj{o}", "name": f"Objekt {o}", "category": "support"} for o in range(20)
        ],
        "cost_pools": [
            {"code": f"pool{p}", "name": f"Pool {p}", "kind": "other"} for p in range(pools)
        ],
        "products": [
            {
                "code": f"p{i:04d}",
                "name": f"Produkt {i}",
                "governance_object": f"obj{i % 20}",
                "category": "usage_based",
                "price_model": "per_unit",
                "unit": "st/månad",
                "vat_rate": Decimal(25),
            }
            for i in range(products)
        ],
        "overhead_shares": [
            {
                "budget": 2026,
                "year": 2026,
                "cost_pool": f"pool{p}",
                "product": f"p{i:04d}",
                "weight": Decimal("0.1"),
                "illustrative": True,
            }
            for p in range(pools)
            for i in range(products)
        ],
        "budgets": [{"year": 2026, "status": "draft"}],
        "direct_costs": [
            {
                "budget": 2026,
                "product": f"p{i:04d}",
                "year": 2026 + y,
                "kind": "other",
                "amount": Decimal(100000 + i * 13 + y),
                "illustrative": True,
            }
            for i in range(products)
            for y in range(3)
        ],
    }
    return records


def _timed(label: str, action: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"  {label:<44} {seconds:8.2f} s")
    return result, seconds


def _reset() -> None:
    call_command("flush", interactive=False, verbosity=0)


def run(folder: str) -> None:
    print(
        f"Workbook import — {platform.processor() or platform.machine()}, "
        f"{connection.vendor}, Python {platform.python_version()}"
    )
    call_command("migrate", verbosity=0)
    demo_rows = sum(
        len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in DEMO_WORKBOOK.glob("*.csv")
    )
    print(f"Demo federation ({demo_rows} rows):")
    _timed(
        "dry run into an empty database",
        lambda: workbook_import(DEMO_WORKBOOK, actor="bench", dry_run=True),
    )
    _timed("import into an empty database", lambda: workbook_import(DEMO_WORKBOOK, actor="bench"))
    _timed("import again (no changes)", lambda: workbook_import(DEMO_WORKBOOK, actor="bench"))
    _timed("export to CSV", lambda: workbook_export(Path(folder) / "demo-out"))
    _reset()
    large = Path(folder) / "large"
    write_csv_folder(large, large_federation())
    rows = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in large.glob("*.csv"))
    print(f"Large federation (300 members, 1 000 products; {rows:,} rows):")
    _, dry = _timed(
        "dry run into an empty database",
        lambda: workbook_import(large, actor="bench", dry_run=True),
    )
    report, full = _timed(
        "import into an empty database", lambda: workbook_import(large, actor="bench")
    )
    assert report.ok, report.errors[:5]
    _timed("import again (no changes)", lambda: workbook_import(large, actor="bench"))
    _timed("export to .xlsx", lambda: workbook_export(Path(folder) / "large.xlsx"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  rows per second (import)                     {rows / full:8.0f}")
    print(f"  write share of the import                    {(full - dry) / full:8.0%}")
    print(f"  peak memory of the process                   {peak_mb:8.0f} MB")
