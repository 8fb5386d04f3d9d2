"""Raw rows → typed records, one sheet at a time, collecting every cell problem.

A record is a plain dict of column name → typed value; a reference holds the referenced
sheet's key value (a code, a decision reference, a year). The same record shape comes from
the database for export and for the diff, so an import can say exactly what would change.
"""

from __future__ import annotations

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
    for number, values in raw.rows:
        record: Record = {}
        row_ok = True
        for column in spec.columns:
            if column.name not in raw.columns and not column.default:
                record[column.name] = None
                continue
            cell = values.get(column.name) if column.name in raw.columns else None
            try:
                record[column.name] = parse_cell(column, cell)
            except CellError as exc:
                errors.append(
                    CoreError(f"cell.{column.kind}", str(exc), raw.source(number, column.name))
                )
                row_ok = False
        if not row_ok:
            continue
        key = key_of(spec, record)
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
