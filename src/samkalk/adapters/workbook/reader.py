"""Reading a workbook file or CSV folder into raw rows, with every problem reported at once.

Nothing here knows the database. Files are checked before they are opened: size, that an .xlsx
really is a zip archive, and that its archive does not expand to far more than it weighs (a
zip bomb). Cells are not interpreted here beyond finding which column they belong to; see
``parse.py``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samkalk.adapters.workbook.spec import SHEETS, Sheet, sheet_for
from samkalk.core.errors import CoreError, Source


@dataclass(frozen=True, slots=True)
class Limits:
    """How large an input may be before it is refused unread."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 500 * 1024 * 1024
    max_ratio: int = 200
    max_archive_entries: int = 5_000
    max_rows: int = 1_100_000


DEFAULT_LIMITS = Limits()


@dataclass(slots=True)
class RawSheet:
    """One sheet as read: its spec, where it came from, and rows of column name → raw cell."""

    spec: Sheet
    file: str
    title: str
    columns: dict[str, str] = field(default_factory=dict)  # column name → header as written
    column_positions: list[tuple[int, str]] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def source(self, row: int | None = None, column: str = "") -> Source:
        header = self.columns.get(column, column)
        return Source(self.file, self.title, row, header)


@dataclass(slots=True)
class RawWorkbook:
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    errors: list[CoreError] = field(default_factory=list)


def read_workbook(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawWorkbook:
    """Read an .xlsx file or a folder of CSV files."""
    book = RawWorkbook()
    if path.is_dir():
        _read_csv_folder(path, book, limits)
    elif path.suffix.lower() == ".xlsx":
        _read_xlsx(path, book, limits)
    elif path.suffix.lower() == ".csv":
        _read_csv_file(path, book, limits)
    elif not path.exists():
        book.errors.append(CoreError("file.missing", "no such file or folder", Source(path.name)))
    else:
        book.errors.append(
            CoreError(
                "file.type",
                "expected an .xlsx workbook, a .csv file or a folder of .csv files",
                Source(path.name),
            )
        )
    return book


def _check_size(path: Path, limits: Limits, book: RawWorkbook) -> bool:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        book.errors.append(
            CoreError(
                "file.too_large",
                f"the file is {size:,} bytes; at most {limits.max_file_bytes:,} are accepted",
                Source(path.name),
            )
        )
        return False
    return True


def _check_archive(path: Path, limits: Limits, book: RawWorkbook) -> bool:
    if not zipfile.is_zipfile(path):
        book.errors.append(
            CoreError(
                "file.not_xlsx",
                "the file is not an .xlsx workbook (not a zip archive)",
                Source(path.name),
            )
        )
        return False
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    unpacked = sum(e.file_size for e in entries)
    packed = max(sum(e.compress_size for e in entries), 1)
    problem = None
    if len(entries) > limits.max_archive_entries:
        problem = f"the archive holds {len(entries):,} entries"
    elif unpacked > limits.max_unpacked_bytes:
        problem = f"the archive unpacks to {unpacked:,} bytes"
    elif unpacked > 1024 * 1024 and unpacked / packed > limits.max_ratio:
        problem = f"the archive unpacks to {unpacked // packed} times its size"
    if problem:
        book.errors.append(
            CoreError(
                "file.zip_bomb",
                f"refused unopened: {problem} (a zip bomb or a broken file)",
                Source(path.name),
            )
        )
        return False
    return True


def _read_xlsx(path: Path, book: RawWorkbook, limits: Limits) -> None:
    if not path.exists():
        book.errors.append(CoreError("file.missing", "no such file", Source(path.name)))
        return
    if not (_check_size(path, limits, book) and _check_archive(path, limits, book)):
        return
    import openpyxl  # imported late: it is slow to import and only needed here

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        book.errors.append(
            CoreError("file.unreadable", f"the workbook cannot be read: {exc}", Source(path.name))
        )
        return
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            _add_sheet(book, path.name, worksheet.title, rows, limits)
    finally:
        workbook.close()


def _read_csv_folder(path: Path, book: RawWorkbook, limits: Limits) -> None:
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        book.errors.append(
            CoreError("file.empty_folder", "the folder holds no .csv files", Source(path.name))
        )
    for file in files:
        _read_csv_file(file, book, limits)


def _read_csv_file(path: Path, book: RawWorkbook, limits: Limits) -> None:
    if not _check_size(path, limits, book):
        return
    data = path.read_bytes()
    if b"\x00" in data:
        book.errors.append(
            CoreError("file.binary", "the file is not text (it holds NUL bytes)", Source(path.name))
        )
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        book.errors.append(
            CoreError(
                "file.encoding",
                "the file is not UTF-8 text; save it as 'CSV UTF-8' "
                f"(the first bad byte is on line {line})",
                Source(path.name, row=line),
            )
        )
        return
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    _add_sheet(book, path.name, path.stem, rows, limits)


def _add_sheet(book: RawWorkbook, file: str, title: str, rows: Any, limits: Limits) -> None:
    if title.startswith(("_", "#")):
        return  # notes and instructions sheets are the user's own
    spec = sheet_for(title)
    if spec is None:
        known = ", ".join(f"{s.label} ({s.name})" for s in SHEETS)
        book.errors.append(
            CoreError(
                "sheet.unknown",
                f"unknown sheet {title!r}; the sheets are: {known}",
                Source(file, title),
            )
        )
        return
    if spec.name in book.sheets:
        book.errors.append(
            CoreError(
                "sheet.duplicate", f"the sheet {spec.label} appears twice", Source(file, title)
            )
        )
        return
    sheet = RawSheet(spec, file, title)
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or not _read_header(sheet, list(header), book):
        if header is None:
            book.errors.append(
                CoreError(
                    "sheet.no_header", "the sheet is empty (no header row)", Source(file, title, 1)
                )
            )
        return
    positions = {name: index for index, name in sheet.column_positions}
    for number, row in enumerate(iterator, start=2):
        cells = list(row)
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(sheet.rows) >= limits.max_rows:
            book.errors.append(
                CoreError(
                    "sheet.too_many_rows",
                    f"more than {limits.max_rows:,} rows",
                    Source(file, title, number),
                )
            )
            return
        values = {name: cells[i] if i < len(cells) else None for name, i in positions.items()}
        sheet.rows.append((number, values))
    book.sheets[spec.name] = sheet


def _read_header(sheet: RawSheet, header: list[Any], book: RawWorkbook) -> bool:
    """Map header cells to columns; report unknown, duplicate and missing required columns."""
    by_spelling = {}
    for column in sheet.spec.columns:
        by_spelling[column.name.casefold()] = column.name
        by_spelling[column.label.casefold()] = column.name
    ok = True
    positions: list[tuple[int, str]] = []
    for index, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        name = by_spelling.get(text.casefold())
        source = Source(sheet.file, sheet.title, 1, text)
        if name is None:
            book.errors.append(CoreError("column.unknown", f"unknown column {text!r}", source))
            ok = False
        elif name in sheet.columns:
            book.errors.append(
                CoreError("column.duplicate", f"the column {text!r} appears twice", source)
            )
            ok = False
        else:
            sheet.columns[name] = text
            positions.append((index, name))
    for column in sheet.spec.columns:
        if column.required and column.name not in sheet.columns:
            book.errors.append(
                CoreError(
                    "column.missing",
                    f"the required column {column.label!r} ({column.name}) is missing",
                    Source(sheet.file, sheet.title, 1, column.label),
                )
            )
            ok = False
    sheet.column_positions = positions
    return ok
