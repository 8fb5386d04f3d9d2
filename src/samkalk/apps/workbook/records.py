"""The bridge between workbook records and model instances, sheet by sheet.

Each sheet maps to one model. Columns map to fields of the same name, with three exceptions
handled here: a reference column is a foreign key found by the referenced sheet's key; a money
column ``amount`` is stored as integer öre in ``amount_ore``; ``snapshot_date`` (MM-DD) is the
pair ``snapshot_month``/``snapshot_day``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router

from samkalk.adapters.workbook.parse import Record, key_of
from samkalk.adapters.workbook.spec import SHEETS, SHEETS_BY_NAME, Column, Sheet
from samkalk.apps.assets.models import (
    Asset,
    AssetType,
    CapitalCostRule,
    Investment,
    InvestmentLine,
    PriceBaseAmount,
)
from samkalk.apps.audit.services import picture
from samkalk.apps.billing.models import ActualCost, PassThroughCost, Usage
from samkalk.apps.budget.models import (
    Budget,
    BudgetYear,
    Consumption,
    CostPoolLine,
    DirectCost,
    OverheadShare,
    StaffPost,
    Volume,
)
from samkalk.apps.catalogue.models import CostPool, PricingGuideline, Product, ProductPrice
from samkalk.apps.federation.models import (
    AllocationKey,
    Decision,
    Federation,
    KeySnapshot,
    Member,
    Organisation,
)
from samkalk.apps.financing.models import GuaranteeFrame, Loan, LoanAmortisation
from samkalk.apps.governance.models import GovernanceObject
from samkalk.core.money import from_ore, to_ore

MODELS: dict[str, Any] = {  # sheet → model class
    "federation": Federation,
    "members": Member,
    "organisations": Organisation,
    "allocation_keys": AllocationKey,
    "key_snapshots": KeySnapshot,
    "decisions": Decision,
    "governance_objects": GovernanceObject,
    "cost_pools": CostPool,
    "products": Product,
    "budgets": Budget,
    "budget_years": BudgetYear,
    "staff_posts": StaffPost,
    "direct_costs": DirectCost,
    "cost_pool_lines": CostPoolLine,
    "overhead_shares": OverheadShare,
    "consumptions": Consumption,
    "volumes": Volume,
    "pricing_guidelines": PricingGuideline,
    "product_prices": ProductPrice,
    "price_base_amounts": PriceBaseAmount,
    "asset_types": AssetType,
    "investments": Investment,
    "investment_lines": InvestmentLine,
    "loans": Loan,
    "loan_amortisations": LoanAmortisation,
    "guarantee_frames": GuaranteeFrame,
    "capital_cost_rules": CapitalCostRule,
    "assets": Asset,
    "usage": Usage,
    "pass_through_costs": PassThroughCost,
    "actual_costs": ActualCost,
}
Key = tuple[Any, ...]


def _ref_fields(spec: Sheet) -> list[Column]:
    return [c for c in spec.columns if c.kind == "ref"]


def load_instances(name: str) -> dict[Key, Any]:
    """Every stored instance of a sheet's model by its natural key (few queries, any size)."""
    spec = SHEETS_BY_NAME[name]
    refs = _ref_fields(spec)
    queryset = MODELS[name].objects.select_related(*[c.name for c in refs]).order_by("pk")
    result: dict[Key, Any] = {}
    for instance in queryset.iterator(chunk_size=2000):
        result[key_of(spec, to_record(name, instance))] = instance
    return result


def to_record(name: str, instance: Any) -> Record:
    spec = SHEETS_BY_NAME[name]
    record: Record = {}
    for column in spec.columns:
        if column.kind == "ref":
            target_pk = getattr(instance, column.name + "_id")
            if target_pk is None:
                record[column.name] = None
            else:
                target = getattr(instance, column.name)
                target_key = SHEETS_BY_NAME[column.ref].key[0]
                record[column.name] = getattr(target, target_key)
        elif column.kind == "money":
            ore = getattr(instance, column.name + "_ore")
            record[column.name] = None if ore is None else from_ore(ore)
        elif column.kind == "month_day":
            record[column.name] = (instance.snapshot_month, instance.snapshot_day)
        else:
            value = getattr(instance, column.name)
            record[column.name] = None if value == "" and column.kind != "text" else value
    return record


def load_records() -> dict[str, dict[Key, Record]]:
    """All stored records, sheet by sheet: for validation, the diff and export.

    Read as plain value rows (no model instances): one query per sheet plus one per referenced
    sheet, so a register of 100 000 assets loads in about a second.
    """
    ref_keys: dict[str, dict[int, Any]] = {}
    return {name: load_sheet_records(name, ref_keys) for name in MODELS}


def load_sheet_records(name: str, ref_keys: dict[str, dict[int, Any]]) -> dict[Key, Record]:
    """One sheet's stored records by key, in primary-key order; the same shape as ``to_record``.

    ``ref_keys`` caches, per referenced sheet, pk → key value across calls.
    """
    spec = SHEETS_BY_NAME[name]
    fields: list[str] = []
    readers: list[tuple[str, int, Any]] = []  # (column, index into the value row, how)
    for column in spec.columns:
        readers.append((column.name, len(fields), _value_reader(column, ref_keys)))
        if column.kind == "ref":
            fields.append(column.name + "_id")
        elif column.kind == "money":
            fields.append(column.name + "_ore")
        elif column.kind == "month_day":
            fields.extend(("snapshot_month", "snapshot_day"))
        else:
            fields.append(column.name)
    rows = MODELS[name].objects.order_by("pk").values_list(*fields)
    key_names = spec.key
    result: dict[Key, Record] = {}
    for values in rows.iterator(chunk_size=5000):
        record = {column: how(values, i) for column, i, how in readers}
        result[tuple([record[k] for k in key_names])] = record
    return result


def _value_reader(column: Column, ref_keys: dict[str, dict[int, Any]]) -> Any:
    """A function (value row, index) → the column's record value, as ``to_record`` gives it."""
    if column.kind == "ref":
        if column.ref not in ref_keys:
            key_field = SHEETS_BY_NAME[column.ref].key[0]
            ref_keys[column.ref] = dict(MODELS[column.ref].objects.values_list("pk", key_field))
        keys = ref_keys[column.ref]
        return lambda values, i: None if values[i] is None else keys[values[i]]
    if column.kind == "money":
        return lambda values, i: None if values[i] is None else from_ore(values[i])
    if column.kind == "month_day":
        return lambda values, i: (values[i], values[i + 1])
    if column.kind == "text":
        return lambda values, i: values[i]
    return lambda values, i: None if values[i] == "" else values[i]


def apply_record(
    name: str, instance: Any, record: Record, lookups: dict[str, dict[Any, int]]
) -> None:
    """Set an instance's fields from a record; ``lookups`` maps sheet → key value → pk."""
    spec = SHEETS_BY_NAME[name]
    for column in spec.columns:
        value: Any = record.get(column.name)
        if column.kind == "ref":
            setattr(
                instance, column.name + "_id", None if value is None else lookups[column.ref][value]
            )
        elif column.kind == "money":
            setattr(instance, column.name + "_ore", None if value is None else to_ore(value))
        elif column.kind == "month_day":
            instance.snapshot_month, instance.snapshot_day = value
        else:
            setattr(
                instance, column.name, "" if value is None and _is_text(instance, column) else value
            )


class WritePlan:
    """How one sheet's records become field values of its model, worked out once per sheet.

    ``values`` gives a record's values for the model's concrete fields after the primary key,
    in the model's order (so ``model(None, *values)`` builds an instance on Django's fast
    path); ``valid`` is a quick check equal in outcome to ``clean_fields`` (foreign keys
    excluded: references are resolved by key); ``picture`` is the audit's ``snapshot``.
    """

    def __init__(self, name: str) -> None:
        spec = SHEETS_BY_NAME[name]
        model = MODELS[name]
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.model = model
        self.fields = fields
        self.attnames = [f.attname for f in fields]
        self.field_names = [f.name for f in fields]
        self._getters = [_getter(spec, f) for f in fields]
        self._checks = [
            (i, f, frozenset(v for v, _ in f.flatchoices), tuple(f.validators))
            for i, f in enumerate(fields)
            if not f.is_relation and not f.generated
        ]

    def values(self, record: Record, lookups: dict[str, dict[Any, int]]) -> list[Any]:
        return [get(record, lookups) for get in self._getters]

    def apply(self, instance: models.Model, values: list[Any]) -> None:
        for attname, value in zip(self.attnames, values, strict=True):
            setattr(instance, attname, value)

    def create(self, instances: list[Any], rows: list[list[Any]]) -> None:
        """Insert new instances (``rows``: their ``values``) and give them their primary keys.

        What ``bulk_create`` does, with each value still prepared by its field's
        ``get_db_prep_save``, but without building the SQL anew for every value: the statement
        is a multi-row ``INSERT … RETURNING`` with as many rows as the backend's parameter
        limit allows. Falls back to ``bulk_create`` where that cannot work.
        """
        connection = connections[router.db_for_write(self.model)]
        if not instances:
            return
        if not connection.features.can_return_rows_from_bulk_insert or any(
            getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in self.fields
        ):
            self.model.objects.bulk_create(instances, batch_size=2000)
            return
        quote = connection.ops.quote_name
        meta = self.model._meta
        per_row = len(self.fields)
        size = max(1, min(2000, (connection.features.max_query_params or 2000) // per_row))
        head = (
            f"INSERT INTO {quote(meta.db_table)} "
            f"({', '.join(quote(f.column) for f in self.fields)}) VALUES "
        )
        one = "(" + ", ".join(["%s"] * per_row) + ")"
        tail = f" RETURNING {quote(meta.pk.column)}"
        prepare = [f.get_db_prep_save for f in self.fields]
        keys: list[Any] = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                params = [
                    prep(value, connection)
                    for row in chunk
                    for prep, value in zip(prepare, row, strict=True)
                ]
                cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
                keys.extend(row[0] for row in cursor.fetchall())
        assert len(keys) == len(instances), "every inserted row returns its primary key"
        for instance, key in zip(instances, keys, strict=True):
            instance.pk = key
            instance._state.adding = False
            instance._state.db = connection.alias

    def picture(self, values: list[Any]) -> dict[str, Any]:
        return picture(self.attnames, values)

    def valid(self, values: list[Any]) -> bool:
        """False when ``clean_fields`` would find a problem (see ``Field.clean``)."""
        for i, field, choices, validators in self._checks:
            value = values[i]
            empty = value in field.empty_values
            if empty:
                if field.blank:
                    continue
                return False  # null or blank where the field takes neither
            if choices and value not in choices:
                return False
            for validator in validators:
                try:
                    validator(value)
                except ValidationError:
                    return False
        return True


def write_plan(name: str) -> WritePlan:
    return WritePlan(name)


def _getter(spec: Sheet, field: Any) -> Any:
    """A function (record, lookups) → the value of one model field."""
    for column in spec.columns:
        name = column.name
        if column.kind == "ref" and field.attname == name + "_id":
            ref = column.ref
            return lambda r, lookups: None if r[name] is None else lookups[ref][r[name]]
        if column.kind == "money" and field.attname == name + "_ore":
            return lambda r, lookups: None if r[name] is None else to_ore(r[name])
        if column.kind == "month_day" and field.attname in ("snapshot_month", "snapshot_day"):
            part = 0 if field.attname == "snapshot_month" else 1
            return lambda r, lookups: r[name][part]
        if field.attname == name and column.kind not in ("ref", "money", "month_day"):
            if isinstance(field, models.CharField | models.TextField):
                return lambda r, lookups: "" if r[name] is None else r[name]
            return lambda r, lookups: r[name]
    default = field.get_default()
    return lambda r, lookups: default


def _is_text(instance: models.Model, column: Column) -> bool:
    field = instance._meta.get_field(column.name)
    return isinstance(field, models.CharField | models.TextField)


def lookup_table(name: str) -> dict[Any, int]:
    """Referenced sheet's single key value → pk, for resolving references."""
    key_field = SHEETS_BY_NAME[name].key[0]
    return dict(MODELS[name].objects.values_list(key_field, "pk"))


ORDER = [s.name for s in SHEETS]
