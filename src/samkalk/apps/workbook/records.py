"""The bridge between workbook records and model instances, sheet by sheet.

Each sheet maps to one model. Columns map to fields of the same name, with three exceptions
handled here: a reference column is a foreign key found by the referenced sheet's key; a money
column ``amount`` is stored as integer öre in ``amount_ore``; ``snapshot_date`` (MM-DD) is the
pair ``snapshot_month``/``snapshot_day``.
"""

from __future__ import annotations

from typing import Any

from django.db import models

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
from samkalk.apps.budget.models import Budget, BudgetLine, CostPoolLine
from samkalk.apps.catalogue.models import CostPool, OverheadShare, Product
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
    "overhead_shares": OverheadShare,
    "budgets": Budget,
    "budget_lines": BudgetLine,
    "cost_pool_lines": CostPoolLine,
    "price_base_amounts": PriceBaseAmount,
    "asset_types": AssetType,
    "investments": Investment,
    "investment_lines": InvestmentLine,
    "loans": Loan,
    "loan_amortisations": LoanAmortisation,
    "guarantee_frames": GuaranteeFrame,
    "capital_cost_rules": CapitalCostRule,
    "assets": Asset,
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
    """All stored records, sheet by sheet: for validation, the diff and export."""
    return {
        name: {key: to_record(name, inst) for key, inst in load_instances(name).items()}
        for name in MODELS
    }


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


def _is_text(instance: models.Model, column: Column) -> bool:
    field = instance._meta.get_field(column.name)
    return isinstance(field, models.CharField | models.TextField)


def lookup_table(name: str) -> dict[Any, int]:
    """Referenced sheet's single key value → pk, for resolving references."""
    key_field = SHEETS_BY_NAME[name].key[0]
    return dict(MODELS[name].objects.values_list(key_field, "pk"))


ORDER = [s.name for s in SHEETS]
