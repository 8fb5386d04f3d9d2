"""The budget pages: the budget overview with its versions, its .xlsx, the staff budget and a
member's forecast.

Reading is open to every role, except the staff budget (salaries per post are personal data:
``access.can_read_salaries``) and another member's forecast (a member reader's other members are
not found, as on ``member_detail``). Saving a version is a POST by those who manage data, through
``budget_version_create``; a refusal is shown with the service's message and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samkalk.apps.accounts import access
from samkalk.apps.budget.models import Budget
from samkalk.apps.budget.services import BudgetError, budget_version_create
from samkalk.apps.web.forms import BudgetVersionForm
from samkalk.apps.web.guards import role_required, salary_reader_required
from samkalk.apps.web.views import _chosen_budget, chosen_year, has_illustrative
from samkalk.apps.web.views_catalogue import base_grant_label
from samkalk.reports import formatting
from samkalk.reports.budget_overview import budget_overview
from samkalk.reports.budget_pages import (
    ForecastGroup,
    category_label,
    forecast_groups,
    has_illustrative_inputs,
    staff_posts,
    year_options,
)
from samkalk.reports.budget_report import budget_summary, coverage_rows, member_forecast
from samkalk.reports.budget_xlsx import XLSX_TYPE, budget_book
from samkalk.reports.charts import Bar, bar_chart
from samkalk.reports.pricing import YearPricing, price_budget

VERSION_ERRORS = {
    "budget.decision_required": gettext_lazy(
        "Adopting a budget needs the board decision that adopted it."
    ),
}


def _categories(
    priced: YearPricing, percents: dict[str, Decimal]
) -> list[tuple[str, Decimal, Decimal]]:
    return [
        (capfirst(category_label(value)), amount, percents[value])
        for value, amount in priced.revenue_by_category.items()
    ]


def _category_chart(year: int, rows: Sequence[tuple[str, Decimal, Decimal]]) -> str:
    bars = [
        Bar(label, amount, f"{formatting.tkr(amount)} tkr ({formatting.percent(share)})")
        for label, amount, share in rows
        if amount
    ]
    values = "; ".join(f"{bar.label}: {bar.value_text}" for bar in bars)
    return bar_chart(
        bars,
        chart_id="category-chart",
        title=_("Revenue per revenue category %(year)s") % {"year": year},
        description=_("Horizontal bars in thousands of SEK (tkr). %(values)s.")
        % {"values": values},
    )


def _save_version(request: HttpRequest, budget: Budget) -> tuple[BudgetVersionForm, bool]:
    """Validate the form and save the version; (the form with any refusal, whether it saved)."""
    if not access.can_manage_data(request.user):
        raise PermissionDenied
    form = BudgetVersionForm(request.POST)
    if not form.is_valid():
        return form, False
    try:
        version = budget_version_create(
            budget,
            status=form.cleaned_data["status"],
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except BudgetError as refusal:
        form.add_error(None, str(VERSION_ERRORS.get(refusal.error.code, refusal.error.message)))
        return form, False
    messages.success(
        request,
        _("Version %(number)s of budget %(year)s is saved as %(status)s.")
        % {
            "number": version.number,
            "year": budget.year,
            "status": version.get_status_display(),
        },
    )
    return form, True


@role_required
def budget_page(request: HttpRequest) -> HttpResponse:
    """Budget: revenue categories, income statement, cost pools and the budget's versions."""
    budget = _chosen_budget(request)
    can_manage = access.can_manage_data(request.user)
    form = BudgetVersionForm()
    if request.method == "POST":
        if budget is None:
            raise Http404
        form, saved = _save_version(request, budget)
        if saved:
            return redirect(f"{reverse('web:budget')}?year={budget.year}")
    if budget is None:
        return render(request, "web/budget.html", {"budget": None})
    priced = price_budget(budget)
    summary = budget_summary(budget, priced)
    categories = _categories(priced[0], summary["revenue_by_category_percent"])
    return render(
        request,
        "web/budget.html",
        {
            "budget": budget,
            "budgets": Budget.objects.order_by("-year"),
            "priced": priced,
            "revenue_total": summary["revenue_total"],
            "categories": categories,
            "chart": _category_chart(budget.year, categories),
            "pools": [
                (
                    year,
                    [(p, year.result.unallocated.get(p.code, Decimal("0.00"))) for p in year.pools],
                )
                for year in priced
            ],
            "coverage": coverage_rows(priced[0]),
            "versions": budget.versions.select_related("decision").order_by("-number"),
            "form": form if can_manage else None,
            "can_read_salaries": access.can_read_salaries(request.user),
            "illustrative": has_illustrative() or has_illustrative_inputs(budget),
            "errors": priced[0].errors,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required
def budget_xlsx(request: HttpRequest) -> HttpResponse:
    """The budget as .xlsx: it holds no member's own figures, so every role may download it."""
    budget = _chosen_budget(request)
    if budget is None:
        return redirect("web:budget")
    priced = price_budget(budget)
    summary = budget_summary(budget, priced)
    overview = budget_overview(budget, base_grant_label(), priced)
    content = budget_book(budget, overview, priced, summary["revenue_by_category_percent"])
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.year}.xlsx"'
    return response


@salary_reader_required
def staff_budget_page(request: HttpRequest) -> HttpResponse:
    """Personalbudget: the staff table as the budget document prints it, and the posts."""
    budget = _chosen_budget(request)
    priced = price_budget(budget) if budget else ()
    staff = [(year.year, year.staff) for year in priced if year.staff is not None]
    first = priced[0].staff if priced else None
    return render(
        request,
        "web/staff_budget.html",
        {
            "budget": budget,
            "budgets": Budget.objects.order_by("-year"),
            "staff": staff,
            "posts": staff_posts(budget, first) if budget and first else (),
            "illustrative": budget is not None and has_illustrative_inputs(budget),
        },
    )


def _forecast_chart(member_name: str, year: int, groups: Sequence[ForecastGroup]) -> str:
    bars = [Bar(g.name, g.total, f"{formatting.kronor(g.total)} kr", g.pk is None) for g in groups]
    values = "; ".join(f"{bar.label}: {bar.value_text}" for bar in bars)
    return bar_chart(
        bars,
        chart_id="forecast-chart",
        title=_("What %(member)s pays in %(year)s per governance object")
        % {"member": member_name, "year": year},
        description=_("Horizontal bars in SEK. %(values)s.") % {"values": values},
    )


@role_required
def member_forecast_page(request: HttpRequest, member_id: int) -> HttpResponse:
    """Medlemsprognos: what the member pays in the year, product by product, per object."""
    member = get_object_or_404(access.visible_members(request.user), pk=member_id)
    chosen = chosen_year(request)
    context: dict[str, object] = {
        "member": member,
        "year_options": year_options(Budget.objects.all()),
        "forecast": None,
    }
    if chosen is not None:
        forecast, priced, errors = member_forecast(chosen[0], chosen[1], member)
        groups = forecast_groups(
            priced, forecast, base_grant_label(), _("The member's own investments")
        )
        context |= {
            "budget": chosen[0],
            "year": chosen[1],
            "forecast": forecast,
            "groups": groups,
            "chart": _forecast_chart(member.name, chosen[1], groups) if groups else None,
            # errors name other members' codes; only readers of all members see them
            "errors": errors if access.reads_all_members(request.user) else (),
            "illustrative": has_illustrative() or has_illustrative_inputs(chosen[0]),
        }
    return render(request, "web/member_forecast.html", context)
