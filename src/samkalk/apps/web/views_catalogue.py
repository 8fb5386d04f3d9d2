"""The service catalogue with its prices, its .xlsx price list, and one product's price calculation.

Read-only, open to every role: what a product costs and why is the federation's transparency.
The figures come from ``reports.pricing`` through ``reports.budget_pages``; the only member data
on these pages are the quantities a per-unit product is priced from, and a member reader sees
only its own member's quantity besides the total.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from samkalk.apps.accounts import access
from samkalk.apps.budget.models import Budget
from samkalk.apps.catalogue.models import Product
from samkalk.apps.web.guards import role_required
from samkalk.apps.web.views import chosen_year, has_illustrative
from samkalk.reports import formatting
from samkalk.reports.budget_pages import (
    PriceCalculation,
    catalogue,
    price_calculation,
    quantities,
    year_options,
)
from samkalk.reports.budget_xlsx import XLSX_TYPE, price_list
from samkalk.reports.charts import Step, waterfall_chart
from samkalk.reports.pricing import YearPricing, price_year


def base_grant_label() -> str:
    return _("Base grant (products without an object)")


def _priced(request: HttpRequest) -> YearPricing | None:
    chosen = chosen_year(request)
    return price_year(*chosen) if chosen else None


@role_required
def product_list(request: HttpRequest) -> HttpResponse:
    """Produktkatalog: products per governance object with the year's unit prices."""
    priced = _priced(request)
    return render(
        request,
        "web/product_list.html",
        {
            "groups": catalogue(priced, base_grant_label()),
            "year": priced.year if priced else None,
            "year_options": year_options(Budget.objects.all()),
            "illustrative": has_illustrative(),
        },
    )


@role_required
def price_list_xlsx(request: HttpRequest) -> HttpResponse:
    priced = _priced(request)
    year = priced.year if priced else None
    content = price_list(catalogue(priced, base_grant_label()), year)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = _("price-list") + (f"-{year}" if year else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _steps(calc: PriceCalculation) -> list[Step]:
    cost = calc.cost
    parts = [
        (_("Direct costs"), cost.direct),
        (_("Capital cost"), cost.capital),
        *((_("Cost pool: %(name)s") % {"name": p.label}, p.amount) for p in calc.pool_shares),
        *((_("Received from %(name)s") % {"name": p.label}, p.amount) for p in calc.received),
        *((_("Passed on to %(name)s") % {"name": p.label}, -p.amount) for p in calc.passed_on),
    ]
    steps = [Step(label, amount, f"{formatting.kronor(amount)} kr") for label, amount in parts]
    steps.append(
        Step(_("Full cost"), cost.full_cost, f"{formatting.kronor(cost.full_cost)} kr", True)
    )
    revenue = cost.expected_revenue
    steps.append(Step(_("Expected revenue"), revenue, f"{formatting.kronor(revenue)} kr", True))
    return steps


def _chart(product: Product, year: int, calc: PriceCalculation) -> str:
    steps = _steps(calc)
    values = "; ".join(f"{step.label}: {step.value_text}" for step in steps)
    return waterfall_chart(
        steps,
        chart_id="price-chart",
        title=_("Full cost of %(name)s %(year)s, part by part")
        % {"name": product.name, "year": year},
        description=_(
            "Horizontal waterfall in SEK: each part is drawn from where the previous ended; the "
            "full cost and the expected revenue are drawn from zero. %(values)s."
        )
        % {"values": values},
    )


@role_required
def price_calculation_page(request: HttpRequest, product_id: int) -> HttpResponse:
    """Priskalkyl: how the product's full cost and price are built from pools and costs."""
    product = get_object_or_404(Product.objects.select_related("governance_object"), pk=product_id)
    priced = _priced(request)
    calc = price_calculation(priced, product) if priced else None
    own_member = getattr(getattr(request.user, "profile", None), "member", None)
    rows = quantities(priced, product.code) if priced else []
    if not access.reads_all_members(request.user):
        rows = [row for row in rows if own_member and row[0] == own_member.code]
    return render(
        request,
        "web/price_calculation.html",
        {
            "product": product,
            "year": priced.year if priced else None,
            "year_options": year_options(Budget.objects.all()),
            "calc": calc,
            "quantities": rows,
            "all_quantities": access.reads_all_members(request.user),
            "chart": _chart(product, priced.year, calc) if priced and calc else None,
            "errors": [e for e in priced.errors if product.code in e.message] if priced else [],
        },
    )
