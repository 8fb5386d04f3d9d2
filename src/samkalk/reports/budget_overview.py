"""The budget at a glance: each governance object's sub-budget for a budget year and its plan years.

Read-only. ``select_budget`` picks the budget a page shows; ``budget_overview`` and
``object_budget`` take each product's expected revenue from the priced budget
(``reports/pricing.py``) in integer öre and hand the sums to ``summarise``, a pure function that
groups the objects by category and adds the subtotals and the total, so every figure on the page
comes from the same öre sums. Products without a governance object form the base grant line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from samkalk.apps.budget.models import Budget
from samkalk.apps.catalogue.models import Product
from samkalk.apps.governance.models import GovernanceObject
from samkalk.core.money import from_ore, to_ore
from samkalk.reports.pricing import YearPricing, price_budget

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


def _expected_revenue(
    priced: Sequence[YearPricing],
) -> dict[tuple[str, int], int]:
    """(product code, year) → expected revenue in öre."""
    return {
        (cost.code, year.year): to_ore(cost.expected_revenue)
        for year in priced
        for cost in year.result.products
    }


def budget_overview(
    budget: Budget, base_grant_label: str, priced: Sequence[YearPricing] | None = None
) -> BudgetOverview:
    """Each object's sub-budget: the expected revenue of its products, per year."""
    priced = priced if priced is not None else price_budget(budget)
    years = years_of(budget)
    objects_of = dict(Product.objects.values_list("code", "governance_object_id"))
    sums: dict[tuple[int | None, int], int] = defaultdict(int)
    for (code, year), ore in _expected_revenue(priced).items():
        sums[(objects_of[code], year)] += ore
    objects = [
        ObjectInfo(o.pk, o.name, o.category) for o in GovernanceObject.objects.order_by("name")
    ]
    categories = [(str(value), str(label)) for value, label in GovernanceObject.Category.choices]
    return summarise(objects, categories, sums, budget.year, years, base_grant_label)


def object_budget(
    budget: Budget,
    governance_object: GovernanceObject | None,
    priced: Sequence[YearPricing] | None = None,
) -> ObjectBudget:
    """The object's products (None: the base grant's) and their expected revenue per year."""
    priced = priced if priced is not None else price_budget(budget)
    years = years_of(budget)
    revenue = _expected_revenue(priced)
    products = Product.objects.filter(governance_object=governance_object).order_by("name")
    ore_rows = [tuple(revenue.get((p.code, year), 0) for year in years) for p in products]
    rows = tuple(Row(p.pk, p.name, _kronor(r)) for p, r in zip(products, ore_rows, strict=True))
    return ObjectBudget(years, rows, _kronor(_add(ore_rows, len(years))))
