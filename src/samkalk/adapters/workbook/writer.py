"""Writing records as a workbook (.xlsx) or a folder of CSV files, in the canonical form.

The canonical CSV form is what the demo federation ships in: UTF-8, ';' between cells, Swedish
headers, decimal comma, ISO dates, ja/nej. Text that a spreadsheet would take for a formula
(starting with = + - @) is neutralised: in CSV with a leading apostrophe (which the importer
removes again), in .xlsx by storing the cell as text.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from samkalk.adapters.workbook.cells import FORMULA_START
from samkalk.adapters.workbook.parse import Record, ref_kind
from samkalk.adapters.workbook.spec import SHEETS, Column, Sheet

Records = Mapping[str, Iterable[Record]]


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """Decimal → text with a decimal comma; ``places`` fixes the decimals, else trims zeros."""
    if places is not None:
        text = f"{value:.{places}f}"
    else:
        text = f"{value:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.00"):
        text = text[1:]
    return text.replace(".", ",")


def cell_text(column: Column, value: Any) -> str:
    """A typed value → its canonical CSV text."""
    if value is None or value == "":
        return ""
    kind = ref_kind(column) if column.kind == "ref" else column.kind
    if kind == "money":
        return format_decimal(value, 2)
    if kind in ("decimal", "percent"):
        return format_decimal(value)
    if kind == "bool":
        return "ja" if value else "nej"
    if kind == "date":
        return str(value.isoformat())
    if kind == "month_day":
        return f"{value[0]:02d}-{value[1]:02d}"
    text = str(value)
    if kind == "text" and text.startswith(FORMULA_START):
        return "'" + text
    return text


def write_csv_folder(folder: Path, records: Records) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in SHEETS:
        rows = list(records.get(spec.name, ()))
        if not rows:
            continue
        path = folder / f"{spec.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, delimiter=";", lineterminator="\n")
            out.writerow([c.label for c in spec.columns])
            for record in rows:
                out.writerow([cell_text(c, record.get(c.name)) for c in spec.columns])
        written.append(path)
    return written


def write_xlsx(path: Path, records: Records) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for spec in SHEETS:
        rows = list(records.get(spec.name, ()))
        if not rows:
            continue
        sheet = book.create_sheet(spec.label)
        sheet.append([c.label for c in spec.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for record in rows:
            sheet.append([_xlsx_value(c, record.get(c.name)) for c in spec.columns])
        _protect_text(sheet, spec)
        for index, column in enumerate(spec.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, min(50, len(column.label) + 4))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _xlsx_value(column: Column, value: Any) -> Any:
    if value is None or value == "":
        return None
    kind = ref_kind(column) if column.kind == "ref" else column.kind
    if kind in ("money", "decimal", "percent"):
        return value  # openpyxl stores a Decimal as a number
    if kind == "month_day" or kind == "bool":
        return cell_text(column, value)
    if isinstance(value, dt.date | int):
        return value
    return str(value)


def _protect_text(sheet: Any, spec: Sheet) -> None:
    """Cells whose text starts like a formula are stored as text, never as a formula."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"
            column = spec.columns[cell.column - 1]
            if column.kind == "money" and cell.value is not None:
                cell.number_format = "#,##0.00"
            elif column.kind == "date" and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
