"""Printing command results as a table, JSON or CSV, the same way for every report command.

JSON amounts are strings with two decimals (``"67634000.00"``) so no reader turns them into
floats; CSV cells that a spreadsheet would read as a formula are neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from samkalk.adapters.workbook.cells import FORMULA_START
from samkalk.core.errors import CoreError


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(_plain(value))
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def json_ready(value: Any) -> Any:
    """Mappings and lists with amounts and dates as strings, ready for ``json.dump``."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return _plain(value)


def emit_json(value: Any) -> None:
    """A nested result (mappings and lists) as JSON, amounts as strings."""
    json.dump(json_ready(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def emit(rows: Sequence[dict[str, Any]], fmt: str, *, title: str = "") -> None:
    if fmt == "json":
        json.dump(
            [{k: _plain(v) for k, v in r.items()} for r in rows],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    elif fmt == "csv":
        out = csv.writer(sys.stdout, lineterminator="\n")
        if rows:
            out.writerow(list(rows[0]))
        for row in rows:
            out.writerow([safe_cell(v) for v in row.values()])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title or None)
        columns = list(rows[0]) if rows else []
        for column in columns:
            numeric = any(isinstance(r.get(column), Decimal | int) for r in rows)
            # Figures are never cut short: a number column is as wide as its widest figure.
            widest = max((len(str(_plain(r.get(column)))) for r in rows), default=0)
            table.add_column(
                column,
                justify="right" if numeric else "left",
                min_width=widest if numeric else None,
                no_wrap=numeric,
            )
        for row in rows:
            table.add_row(*[str(_plain(v)) if v is not None else "" for v in row.values()])
        Console().print(table)


def print_import_report(report: Any, fmt: str) -> None:
    """The outcome of an import: every error with its place, or what changed per sheet."""
    if fmt == "json":
        json.dump(_report_json(report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if report.errors:
        print(
            f"{report.source}: {len(report.errors)} problem(s); nothing was written.",
            file=sys.stderr,
        )
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        return
    verb = "would change" if report.dry_run else "changed"
    print(f"{report.source}: {verb}:")
    for sheet, counts in report.counts().items():
        print(
            f"  {sheet:<20} {counts['create']:>6} new  {counts['update']:>6} changed"
            f"  {counts['unchanged']:>6} unchanged"
        )
    if report.dry_run:
        for change in report.changes:
            if change.action == "update":
                print(
                    f"  ~ {change.sheet} {', '.join(map(str, change.key))}: "
                    f"{', '.join(change.fields)}"
                )


def _report_json(report: Any) -> dict[str, Any]:
    return {
        "source": report.source,
        "dry_run": report.dry_run,
        "ok": report.ok,
        "written": report.written,
        "errors": [_error_json(e) for e in report.errors],
        "counts": report.counts(),
        "changes": [
            {
                "sheet": c.sheet,
                "key": [_plain(k) for k in c.key],
                "action": c.action,
                "fields": list(c.fields),
            }
            for c in report.changes
        ],
    }


def _error_json(error: CoreError) -> dict[str, Any]:
    s = error.source
    return {
        "code": error.code,
        "message": error.message,
        "file": s.file,
        "sheet": s.sheet,
        "row": s.row,
        "column": s.column,
    }
