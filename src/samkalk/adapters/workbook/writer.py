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
from samkalk.adapters.workbook.spec import SHEETS, Column

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
    """Write the .xlsx in openpyxl's write-only mode: rows are streamed, never held as cells.

    Only the cells that need a format (money, dates) or protection (text that looks like a
    formula) are built as cell objects; the rest are written as plain values.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in SHEETS:
        rows = list(records.get(spec.name, ()))
        if not rows:
            continue
        sheet = book.create_sheet(spec.label)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(spec.columns, start=1):
            width = max(12, min(50, len(column.label) + 4))
            sheet.column_dimensions[get_column_letter(index)].width = width
        header = []
        for column in spec.columns:
            cell = WriteOnlyCell(sheet, column.label)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        formats = [NUMBER_FORMATS.get(column.kind) for column in spec.columns]
        for record in rows:
            line: list[Any] = []
            for column, number_format in zip(spec.columns, formats, strict=True):
                value = _xlsx_value(column, record.get(column.name))
                if value is None:
                    line.append(None)
                elif number_format is not None:
                    cell = WriteOnlyCell(sheet, value)
                    cell.number_format = number_format
                    line.append(cell)
                elif isinstance(value, str) and value.startswith(FORMULA_START):
                    cell = WriteOnlyCell(sheet, value)
                    cell.data_type = "s"  # text, never a formula
                    line.append(cell)
                else:
                    line.append(value)
            sheet.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


NUMBER_FORMATS = {"money": "#,##0.00", "date": "yyyy-mm-dd"}


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
