"""The price list and the budget as .xlsx downloads: the pages' figures, one sheet per table.

Amounts are written as numbers in kronor with two decimals (a spreadsheet sums them); text that
a spreadsheet would take for a formula (starting with = + - @) is stored as a text cell, as the
workbook writer does, so a product description can never run as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from samkalk.adapters.workbook.cells import FORMULA_START
from samkalk.apps.budget.models import Budget
from samkalk.reports.budget_overview import BudgetOverview
from samkalk.reports.budget_pages import CatalogueGroup, category_label
from samkalk.reports.pricing import YearPricing

MONEY_FORMAT = "#,##0.00"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx file's bytes (openpyxl's write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        sheet.freeze_panes = "A2"
        header = []
        for label in spec.header:
            cell = WriteOnlyCell(sheet, label)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in spec.rows:
            line: list[Any] = []
            for value in row:
                if isinstance(value, Decimal):
                    cell = WriteOnlyCell(sheet, value)
                    cell.number_format = MONEY_FORMAT
                    line.append(cell)
                elif isinstance(value, str) and value.startswith(FORMULA_START):
                    cell = WriteOnlyCell(sheet, value)
                    cell.data_type = "s"  # text, never a formula
                    line.append(cell)
                else:
                    line.append(value)
            sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def price_list(groups: Sequence[CatalogueGroup], year: int | None) -> bytes:
    """The catalogue: one row per product with its unit price for ``year`` and decided price."""
    header = (
        _("Governance object"),
        _("Code"),
        _("Product"),
        _("Revenue category"),
        _("Price model"),
        _("Allocation key"),
        _("Unit"),
        _("Unit price %(year)s (SEK)") % {"year": year or "–"},
        _("Decided price (SEK)"),
        _("Valid from"),
        _("Pricing guideline"),
        _("What is included"),
    )
    rows = tuple(
        (
            group.name,
            row.code,
            row.name,
            row.category,
            row.price_model_label,
            row.key_name,
            row.unit,
            row.unit_price,
            row.in_force.amount if row.in_force else None,
            row.in_force.valid_from if row.in_force else None,
            row.in_force.guideline if row.in_force else "",
            row.description,
        )
        for group in groups
        for row in group.rows
    )
    return workbook([Sheet(_("Price list"), header, rows)])


def budget_book(
    budget: Budget,
    overview: BudgetOverview,
    priced: Sequence[YearPricing],
    category_percent: dict[str, Decimal],
) -> bytes:
    """Sub-budgets per object and year, revenue categories, income statement and cost pools."""
    years = tuple(str(y) for y in overview.years)
    objects = [
        (group.label, row.name, *row.amounts) for group in overview.groups for row in group.rows
    ]
    objects.append(("", overview.base_grant.name, *overview.base_grant.amounts))
    objects.append(("", _("Total"), *overview.total))
    first = priced[0]
    categories = tuple(
        (category_label(value), amount, category_percent.get(value))
        for value, amount in first.revenue_by_category.items()
    )
    statement_lines = (
        (_("Revenue"), "revenue"),
        (_("Costs"), "costs"),
        (_("Depreciation"), "depreciation"),
        (_("Operating result"), "operating_result"),
        (_("Financial costs"), "financial_costs"),
        (_("Result"), "result"),
        (_("Use of equity"), "equity_use"),
        (_("Result after use of equity"), "result_after_equity"),
    )
    statement = tuple(
        (label, *(getattr(year.statement, field) for year in priced))
        for label, field in statement_lines
    )
    pools = tuple(
        (
            year.year,
            pool.name,
            pool.operating,
            pool.capital,
            pool.amount,
            year.result.unallocated.get(pool.code, Decimal("0.00")),
        )
        for year in priced
        for pool in year.pools
    )
    return workbook(
        [
            Sheet(
                _("Sub-budgets"),
                (_("Category"), _("Governance object"), *years),
                tuple(objects),
            ),
            Sheet(
                _("Revenue categories"),
                (
                    _("Revenue category"),
                    _("Amount %(year)s") % {"year": budget.year},
                    _("Share (%)"),
                ),
                categories,
            ),
            Sheet(_("Income statement"), (_("Line"), *years), statement),
            Sheet(
                _("Cost pools"),
                (
                    _("Year"),
                    _("Cost pool"),
                    _("Own costs"),
                    _("Capital cost"),
                    _("Amount"),
                    _("Unallocated"),
                ),
                pools,
            ),
        ]
    )
