"""Raw rows → typed records, one sheet at a time, collecting every cell problem.

A record is a plain dict of column name → typed value; a reference holds the referenced
sheet's key value (a code, a decision reference, a year). The same record shape comes from
the database for export and for the diff, so an import can say exactly what would change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from samkalk.adapters.workbook.cells import FORMULA_START, PARSERS, CellError, as_text
from samkalk.adapters.workbook.reader import RawSheet, RawWorkbook
from samkalk.adapters.workbook.spec import SHEETS_BY_NAME, Column, Sheet
from samkalk.core.errors import CoreError

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ParsedRow:
    number: int
    record: Record


@dataclass(slots=True)
class ParsedSheet:
    raw: RawSheet
    rows: list[ParsedRow] = field(default_factory=list)

    @property
    def spec(self) -> Sheet:
        return self.raw.spec


@dataclass(slots=True)
class ParsedWorkbook:
    sheets: dict[str, ParsedSheet] = field(default_factory=dict)
    errors: list[CoreError] = field(default_factory=list)


def key_of(sheet: Sheet, record: Record) -> tuple[Any, ...]:
    return tuple(record.get(name) for name in sheet.key)


def ref_kind(column: Column) -> str:
    """A reference is read as the kind of the referenced sheet's key column."""
    target = SHEETS_BY_NAME[column.ref]
    return target.column(target.key[0]).kind


def parse_workbook(raw: RawWorkbook) -> ParsedWorkbook:
    parsed = ParsedWorkbook(errors=list(raw.errors))
    for name, sheet in raw.sheets.items():
        parsed.sheets[name] = _parse_sheet(sheet, parsed.errors)
    return parsed


def _parse_sheet(raw: RawSheet, errors: list[CoreError]) -> ParsedSheet:
    sheet = ParsedSheet(raw)
    spec = raw.spec
    seen: dict[tuple[Any, ...], int] = {}
    # Decided once per sheet, not per cell: which columns are in the file, and how each is read.
    constants: Record = {}
    present: list[tuple[str, Callable[[Any], Any], str]] = []
    for column in spec.columns:
        if column.name in raw.columns:
            present.append((column.name, cell_reader(column), f"cell.{column.kind}"))
        else:
            # A column left out reads as an empty cell: a default, "" for text, else None.
            constants[column.name] = (
                parse_cell(column, None) if column.default or column.kind == "text" else None
            )
    order = [column.name for column in spec.columns]
    key_names = spec.key
    for number, values in raw.rows:
        record: Record = dict(constants)
        row_ok = True
        for name, read, code in present:
            try:
                record[name] = read(values[name])
            except CellError as exc:
                errors.append(CoreError(code, str(exc), raw.source(number, name)))
                row_ok = False
        if not row_ok:
            continue
        if constants:
            record = {name: record[name] for name in order}  # the spec's column order
        key = tuple([record[k] for k in key_names])
        if key in seen:
            errors.append(
                CoreError(
                    "row.duplicate_key",
                    f"{_key_text(spec, key)} is already on row {seen[key]}",
                    raw.source(number, spec.key[-1]),
                )
            )
            continue
        seen[key] = number
        sheet.rows.append(ParsedRow(number, record))
    if spec.single_row and len(sheet.rows) > 1:
        errors.append(
            CoreError(
                "sheet.single_row",
                "this sheet takes exactly one row",
                raw.source(sheet.rows[1].number),
            )
        )
    return sheet


def cell_reader(column: Column) -> Callable[[Any], Any]:
    """A function that reads one cell of ``column`` exactly as ``parse_cell`` does, faster.

    The column's kind, reference target and default are looked up once, not for every cell.
    """
    if not column.default and not column.required and column.kind != "text":
        empty: Any = None
    elif column.default or (column.kind == "text" and not column.required):
        empty = parse_cell(column, None)
    else:
        empty = _REQUIRED
    label = column.label

    def when_empty() -> Any:
        if empty is _REQUIRED:
            raise CellError(f"{label} is required")
        return empty

    if column.kind == "text":

        def read_text(cell: Any) -> Any:
            text = as_text(cell)
            if not text:
                return when_empty()
            if text[0] == "'" and text[1:2] in FORMULA_START:
                return text[1:]
            return text

        return read_text
    if column.kind == "choice":
        choices = {choice.casefold(): choice for choice in column.choices}

        def read_choice(cell: Any) -> Any:
            text = as_text(cell)
            if not text:
                return when_empty()
            found = choices.get(text.casefold())
            return found if found is not None else _parse_choice(column, text)

        return read_choice
    parser = PARSERS[ref_kind(column) if column.kind == "ref" else column.kind]

    def read(cell: Any) -> Any:
        if cell is None or cell == "" or (cell.__class__ is str and not cell.strip()):
            return when_empty()
        return parser(cell)

    return read


_REQUIRED = object()


def parse_cell(column: Column, cell: Any) -> Any:
    """One cell → its typed value; an empty cell gives the column's default or None."""
    text = as_text(cell)
    if not text:
        if column.default:
            return parse_cell(column, column.default)
        if column.required:
            raise CellError(f"{column.label} is required")
        return None if column.kind != "text" else ""
    if column.kind == "text":
        # An exported cell that began with a formula character carries a protecting quote.
        if text.startswith("'") and text[1:2] in FORMULA_START:
            return text[1:]
        return text
    if column.kind == "choice":
        return _parse_choice(column, text)
    kind = ref_kind(column) if column.kind == "ref" else column.kind
    return PARSERS[kind](cell)


def _parse_choice(column: Column, text: str) -> str:
    for choice in column.choices:
        if text.casefold() == choice.casefold():
            return choice
    raise CellError(f"{text!r} is not one of: {', '.join(column.choices)}")


def _key_text(spec: Sheet, key: tuple[Any, ...]) -> str:
    return ", ".join(f"{spec.column(n).label} {v}" for n, v in zip(spec.key, key, strict=True))
