"""The budget at a glance: each governance object's sub-budget for a budget year and its plan years.

Read-only. ``select_budget`` picks the budget a page shows; ``budget_overview`` and
``object_budget`` load the budget lines summed in integer öre by the database (exact on every
backend) and hand them to ``summarise``, a pure function that groups the objects by category and
adds the subtotals and the total, so every figure on the page comes from the same öre sums.
Products without a governance object form the base grant line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from samkalk.apps.budget.models import Budget, BudgetLine
from samkalk.apps.catalogue.models import Product
from samkalk.apps.governance.models import GovernanceObject
from samkalk.core.money import from_ore

PLAN_YEARS = 2


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a budget table: an object (or product) and its amount per year."""

    pk: int | None
    name: str
    amounts: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class CategoryGroup:
    """The objects of one category (primary, support, infrastructure) and their subtotal."""

    category: str
    label: str
    rows: tuple[Row, ...]
    subtotal: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class BudgetOverview:
    """Sub-budgets per object for the budget year and its plan years, grouped by category."""

    year: int
    years: tuple[int, ...]
    groups: tuple[CategoryGroup, ...]
    base_grant: Row
    total: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class ObjectBudget:
    """A governance object's products with their budget lines per year, and the object's total."""

    years: tuple[int, ...]
    rows: tuple[Row, ...]
    total: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    pk: int
    name: str
    category: str


def years_of(budget: Budget) -> tuple[int, ...]:
    """The budget year and its plan years."""
    return tuple(budget.year + offset for offset in range(PLAN_YEARS + 1))


def select_budget(year: int | None) -> Budget | None:
    """The budget for ``year``; without a year the newest adopted budget, else the newest."""
    budgets = Budget.objects.select_related("decision").order_by("-year")
    if year is not None:
        return budgets.filter(year=year).first()
    return budgets.filter(status=Budget.Status.ADOPTED).first() or budgets.first()


def _amounts(
    sums: Mapping[tuple[int | None, int], int], pk: int | None, years: Sequence[int]
) -> tuple[int, ...]:
    return tuple(sums.get((pk, year), 0) for year in years)


def _add(rows: Sequence[tuple[int, ...]], width: int) -> tuple[int, ...]:
    return tuple(sum(row[i] for row in rows) for i in range(width))


def _kronor(ore: tuple[int, ...]) -> tuple[Decimal, ...]:
    return tuple(from_ore(value) for value in ore)


def summarise(
    objects: Sequence[ObjectInfo],
    categories: Sequence[tuple[str, str]],
    sums: Mapping[tuple[int | None, int], int],
    budget_year: int,
    years: tuple[int, ...],
    base_grant_label: str,
) -> BudgetOverview:
    """Group the öre sums per (object id or None, year) into the overview; pure, no I/O."""
    groups = []
    group_totals = []
    for category, label in categories:
        members = [o for o in objects if o.category == category]
        if not members:
            continue
        ore_rows = [_amounts(sums, o.pk, years) for o in members]
        subtotal = _add(ore_rows, len(years))
        group_totals.append(subtotal)
        rows = tuple(Row(o.pk, o.name, _kronor(r)) for o, r in zip(members, ore_rows, strict=True))
        groups.append(CategoryGroup(category, label, rows, _kronor(subtotal)))
    base = _amounts(sums, None, years)
    total = _add([*group_totals, base], len(years))
    return BudgetOverview(
        budget_year,
        years,
        tuple(groups),
        Row(None, base_grant_label, _kronor(base)),
        _kronor(total),
    )


def budget_overview(budget: Budget, base_grant_label: str) -> BudgetOverview:
    """Load and group the sub-budgets of ``budget``."""
    years = years_of(budget)
    per_object = (
        BudgetLine.objects.filter(budget=budget, year__in=years)
        .values_list("product__governance_object_id", "year")
        .annotate(ore=Sum("amount_ore"))
        .order_by()
    )
    sums = {(pk, year): ore for pk, year, ore in per_object}
    objects = [
        ObjectInfo(o.pk, o.name, o.category) for o in GovernanceObject.objects.order_by("name")
    ]
    categories = [(str(value), str(label)) for value, label in GovernanceObject.Category.choices]
    return summarise(objects, categories, sums, budget.year, years, base_grant_label)


def object_budget(budget: Budget, governance_object: GovernanceObject) -> ObjectBudget:
    """The object's products and their budget lines in ``budget``, with the object's total."""
    years = years_of(budget)
    lines = BudgetLine.objects.filter(
        budget=budget, year__in=years, product__governance_object=governance_object
    ).values_list("product_id", "year", "amount_ore")
    sums: dict[tuple[int | None, int], int] = {(pk, year): ore for pk, year, ore in lines}
    products = Product.objects.filter(governance_object=governance_object).order_by("name")
    ore_rows = [_amounts(sums, p.pk, years) for p in products]
    rows = tuple(Row(p.pk, p.name, _kronor(r)) for p, r in zip(products, ore_rows, strict=True))
    return ObjectBudget(years, rows, _kronor(_add(ore_rows, len(years))))
