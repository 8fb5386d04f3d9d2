"""Import and export of the federation workbook.

``workbook_import`` reads, parses and validates the whole file first and writes only when there
is not a single problem; the write is one transaction that also writes an audit row for every
created or changed record. A dry run stops after the diff. Records in the database that the
workbook does not mention are left as they are: an import adds and updates, never deletes
(removing master data is a deliberate act in the admin, where it is audited one by one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from samkalk.adapters.workbook.parse import ParsedWorkbook, Record, key_of, parse_workbook
from samkalk.adapters.workbook.reader import DEFAULT_LIMITS, Limits, read_workbook
from samkalk.adapters.workbook.spec import SHEETS_BY_NAME
from samkalk.adapters.workbook.validate import validate
from samkalk.adapters.workbook.writer import write_csv_folder, write_xlsx
from samkalk.apps.audit.services import audit_record_many, snapshot
from samkalk.apps.workbook.records import (
    MODELS,
    ORDER,
    load_instances,
    load_records,
    lookup_table,
    write_plan,
)
from samkalk.collection import collection_paused
from samkalk.core.errors import CoreError


@dataclass(frozen=True, slots=True)
class Change:
    """One record the import creates or changes; ``fields`` names the changed columns."""

    sheet: str
    key: tuple[Any, ...]
    action: str  # create | update
    fields: tuple[str, ...] = ()


@dataclass(slots=True)
class ImportReport:
    source: str
    dry_run: bool
    errors: list[CoreError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: dict[str, int] = field(default_factory=dict)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, dict[str, int]]:
        """Per sheet: how many records are created, updated and unchanged."""
        result: dict[str, dict[str, int]] = {}
        for name, count in self.unchanged.items():
            result.setdefault(name, {"create": 0, "update": 0, "unchanged": 0})["unchanged"] = count
        for change in self.changes:
            row = result.setdefault(change.sheet, {"create": 0, "update": 0, "unchanged": 0})
            row[change.action] += 1
        return {name: result[name] for name in ORDER if name in result}


@collection_paused()  # a register of 100 000 rows read, checked and written: no cycles
def workbook_import(
    path: Path, *, actor: Any, dry_run: bool = False, limits: Limits = DEFAULT_LIMITS
) -> ImportReport:
    """Import a workbook or CSV folder: everything or nothing."""
    report = ImportReport(source=path.name, dry_run=dry_run)
    book = parse_workbook(read_workbook(path, limits))
    report.errors.extend(book.errors)
    if book.errors:
        return report
    existing = load_records()
    report.errors.extend(validate(book, existing))
    if report.errors:
        return report
    _diff(book, existing, report)
    if dry_run or not report.changes:
        return report
    try:
        _write(book, report, actor=actor, via=f"import of {path.name}")
    except _Invalid as invalid:
        report.errors.extend(invalid.errors)
        return report
    report.written = True
    return report


def _diff(
    book: ParsedWorkbook, existing: dict[str, dict[tuple[Any, ...], Record]], report: ImportReport
) -> None:
    for name in ORDER:
        sheet = book.sheets.get(name)
        if sheet is None:
            continue
        stored = existing[name]
        unchanged = 0
        for row in sheet.rows:
            key = key_of(sheet.spec, row.record)
            before = stored.get(key)
            if before is None:
                report.changes.append(Change(name, key, "create"))
                continue
            if row.record == before:  # the common case, compared in one step
                unchanged += 1
                continue
            changed = tuple(c for c in row.record if row.record[c] != before.get(c))
            if changed:
                report.changes.append(Change(name, key, "update", changed))
            else:
                unchanged += 1
        report.unchanged[name] = unchanged


@transaction.atomic
def _write(book: ParsedWorkbook, report: ImportReport, *, actor: Any, via: str) -> None:
    changes_by_sheet: dict[str, dict[tuple[Any, ...], Change]] = {}
    for change in report.changes:
        changes_by_sheet.setdefault(change.sheet, {})[change.key] = change
    lookups: dict[str, dict[Any, int]] = {}
    invalid: list[CoreError] = []
    audit: list[tuple[str, Any, dict[str, Any] | None, dict[str, Any] | None]] = []
    for name in ORDER:
        spec = SHEETS_BY_NAME[name]
        wanted = changes_by_sheet.get(name, {})
        if not wanted:
            continue
        for column in spec.columns:
            if column.kind == "ref" and column.ref not in lookups:
                lookups[column.ref] = lookup_table(column.ref)
        model = MODELS[name]
        plan = write_plan(name)
        instances = (
            load_instances(name) if any(c.action == "update" for c in wanted.values()) else {}
        )
        raw = book.sheets[name].raw
        creates: list[Any] = []
        created: list[list[Any]] = []  # the field values of each created instance
        updates: list[Any] = []
        for row in book.sheets[name].rows:
            key = key_of(spec, row.record)
            found = wanted.get(key)
            if found is None:
                continue
            values = plan.values(row.record, lookups)
            if found.action == "create":
                instance = model(None, *values)  # positional: Django's fast path
                creates.append(instance)
                created.append(values)
            else:
                instance = instances[key]
                before = snapshot(instance)
                plan.apply(instance, values)
                updates.append(instance)
                audit.append(("update", instance, before, snapshot(instance)))
            if not plan.valid(values):
                invalid.extend(_field_errors(raw, instance, row.number))
        plan.create(creates, created)
        _attach_references(spec, model, creates)
        if updates:
            model.objects.bulk_update(updates, plan.attnames, batch_size=BATCH)
        # The insert gives the new records their primary keys, so the audit rows can name them.
        audit.extend(
            ("create", inst, None, plan.picture(values))
            for inst, values in zip(creates, created, strict=True)
        )
        lookups.pop(name, None)  # read again, with the new records, when a later sheet refers
    if invalid:
        raise _Invalid(invalid)
    audit_record_many(actor=actor, via=via, changes=audit)


BATCH = 2000


def _attach_references(spec: Any, model: Any, instances: list[Any]) -> None:
    """Give new instances their referenced records, so that ``str(instance)`` in the audit
    row (a key value is "Nyckel · Medlem") reads no record from the database one by one.
    """
    if not instances:
        return
    for column in spec.columns:
        if column.kind != "ref":
            continue
        field = model._meta.get_field(column.name)
        targets = MODELS[column.ref].objects.in_bulk()
        attname = field.attname
        for instance in instances:
            pk = getattr(instance, attname)
            if pk is not None:
                field.set_cached_value(instance, targets[pk])


class _Invalid(Exception):
    """Model validation found problems during the write; the transaction is rolled back."""

    def __init__(self, errors: list[CoreError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def _field_errors(raw: Any, instance: Any, number: int) -> list[CoreError]:
    """The model's own field validation (lengths, choices, validators), placed by row.

    Called only for a row the write plan's quick check found wrong, so the messages are
    exactly Django's. References were resolved before: the foreign-key queries are skipped.
    """
    foreign_keys = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    try:
        instance.clean_fields(exclude=foreign_keys)
    except ValidationError as exc:
        return [
            CoreError(
                "cell.invalid", str(message), raw.source(number, _column_for_field(raw.spec, f))
            )
            for f, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


def _column_for_field(spec: Any, field_name: str) -> str:
    for column in spec.columns:
        name: str = column.name
        if field_name in (column.name, f"{column.name}_ore") or (
            column.kind == "month_day" and field_name.startswith("snapshot_")
        ):
            return name
    return field_name


def workbook_export(path: Path) -> list[Path]:
    """Write every stored record as an .xlsx file (by suffix) or a folder of CSV files."""
    stored = load_records()
    records = {
        name: [stored[name][k] for k in sorted(stored[name], key=_sort_key)] for name in ORDER
    }
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, records)
        return [path]
    return write_csv_folder(path, records)


def _sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, v if v is not None else "") for v in key)
