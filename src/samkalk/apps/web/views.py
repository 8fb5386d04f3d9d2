"""The pages users read: the budget at a glance, members, objects, products, keys, decisions, audit.

Read-only views. Each is guarded (``guards``) and narrows what it loads through
``accounts.access`` (a member reader's other members are simply not found); the figures come
from ``samkalk.reports`` so the views only choose records and pass them on.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from samkalk.apps.accounts import access
from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.budget.models import Budget
from samkalk.apps.federation.models import (
    AllocationKey,
    Decision,
    KeySnapshot,
    Member,
    Organisation,
)
from samkalk.apps.governance.models import GovernanceObject
from samkalk.apps.web.guards import data_manager_required, role_required
from samkalk.reports import formatting
from samkalk.reports.budget_overview import (
    BudgetOverview,
    budget_overview,
    object_budget,
    select_budget,
)
from samkalk.reports.budget_report import budget_for_year
from samkalk.reports.charts import Bar, bar_chart
from samkalk.reports.financing import Financing, financing
from samkalk.reports.investment_plan import investment_plan
from samkalk.reports.keys import key_dates, rule_in_words

AUDIT_PAGE_SIZE = 50


def _year_param(request: HttpRequest) -> int | None:
    """``?year=`` (the pickers' name), or its Swedish alias ``?ar=`` in links people share."""
    raw = request.GET.get("year") or request.GET.get("ar", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _chosen_budget(request: HttpRequest) -> Budget | None:
    """The budget a page shows (None only when there is none at all); 404 for an unknown year."""
    year = _year_param(request)
    budget = select_budget(year)
    if budget is None and year is not None:
        raise Http404
    return budget


def chosen_year(request: HttpRequest) -> tuple[Budget, int] | None:
    """The year a priced page shows and the budget that prices it: ``?year=`` may be a budget
    year or a plan year (404 when no budget covers it); without it, the default budget's year."""
    year = _year_param(request)
    if year is None:
        budget = select_budget(None)
        return (budget, budget.year) if budget else None
    covering = budget_for_year(year)
    if covering is None:
        raise Http404
    return covering, year


def _chart(overview: BudgetOverview) -> str:
    rows = [row for group in overview.groups for row in group.rows]
    bars = [Bar(row.name, row.amounts[0], f"{formatting.tkr(row.amounts[0])} tkr") for row in rows]
    base = overview.base_grant
    bars.append(Bar(base.name, base.amounts[0], f"{formatting.tkr(base.amounts[0])} tkr", True))
    values = "; ".join(f"{bar.label}: {bar.value_text}" for bar in bars)
    return bar_chart(
        bars,
        chart_id="sub-budget-chart",
        title=_("Sub-budget per governance object %(year)s") % {"year": overview.year},
        description=_("Horizontal bars in thousands of SEK (tkr). %(values)s.")
        % {"values": values},
    )


def has_illustrative() -> bool:
    return any(
        model.objects.filter(illustrative=True).exists()
        for model in (KeySnapshot, Member, Organisation)
    )


@role_required
def start(request: HttpRequest) -> HttpResponse:
    budget = _chosen_budget(request)
    if budget is None:  # no budget at all yet
        can_manage = access.can_manage_data(request.user)
        return render(request, "web/start.html", {"can_manage": can_manage})
    overview = budget_overview(budget, _("Base grant (products without an object)"))
    return render(
        request,
        "web/start.html",
        {
            "budget": budget,
            "budgets": Budget.objects.order_by("-year"),
            "overview": overview,
            "chart": _chart(overview),
            "illustrative": has_illustrative(),
        },
    )


@role_required
def member_list(request: HttpRequest) -> HttpResponse:
    members = access.visible_members(request.user).annotate(
        organisation_count=Count("organisations")
    )
    return render(request, "web/member_list.html", {"members": members})


@role_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_object_or_404(access.visible_members(request.user), pk=member_id)
    return render(
        request,
        "web/member_detail.html",
        {
            "member": member,
            "organisations": member.organisations.all(),
            "snapshots": member.key_snapshots.select_related("key").order_by("key__name", "-as_of"),
        },
    )


def _by_category(
    objects: Sequence[GovernanceObject],
) -> list[tuple[str, list[GovernanceObject]]]:
    groups = [
        (str(label), [o for o in objects if o.category == value])
        for value, label in GovernanceObject.Category.choices
    ]
    return [(label, members) for label, members in groups if members]


@role_required
def object_list(request: HttpRequest) -> HttpResponse:
    objects = list(GovernanceObject.objects.annotate(product_count=Count("products")))
    return render(request, "web/object_list.html", {"groups": _by_category(objects)})


@role_required
def object_detail(request: HttpRequest, object_id: int) -> HttpResponse:
    governance_object = get_object_or_404(GovernanceObject, pk=object_id)
    budget = _chosen_budget(request)
    return render(
        request,
        "web/object_detail.html",
        {
            "object": governance_object,
            "budget": budget,
            "budgets": Budget.objects.order_by("-year"),
            "table": object_budget(budget, governance_object) if budget else None,
        },
    )


@role_required
def key_list(request: HttpRequest) -> HttpResponse:
    keys = AllocationKey.objects.annotate(date_count=Count("snapshots__as_of", distinct=True))
    rows = [(key, rule_in_words(key.snapshot_rule)) for key in keys]
    return render(request, "web/key_list.html", {"rows": rows})


@role_required
def key_detail(request: HttpRequest, key_id: int) -> HttpResponse:
    key = get_object_or_404(AllocationKey, pk=key_id)
    visible = set(access.visible_members(request.user).values_list("pk", flat=True))
    budget = select_budget(None)
    return render(
        request,
        "web/key_detail.html",
        {
            "key": key,
            "rule": rule_in_words(key.snapshot_rule),
            "budget": budget,
            "used_date": key.snapshot_rule.date_for(budget.year) if budget else None,
            "dates": key_dates(key, visible),
            "products": key.products.order_by("name"),
        },
    )


@role_required
def decision_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/decision_list.html", {"decisions": Decision.objects.all()})


def _record_type_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return label


@data_manager_required
def audit_list(request: HttpRequest) -> HttpResponse:
    types = list(AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct())
    chosen = request.GET.get("model", "")
    entries = AuditEntry.objects.all()
    if chosen in types:
        entries = entries.filter(model=chosen)
    else:
        chosen = ""
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {t: _record_type_label(t) for t in types}
    return render(
        request,
        "web/audit_list.html",
        {
            "page": page,
            "rows": [(entry, labels[entry.model]) for entry in page],
            "record_types": labels.items(),
            "chosen": chosen,
        },
    )


@role_required
def investment_list(request: HttpRequest) -> HttpResponse:
    """The investment plan of a budget (common investments and the reader's own member's)."""
    budget = _chosen_budget(request)
    plan = investment_plan(budget, access.visible_investments(request.user)) if budget else None
    return render(
        request,
        "web/investment_list.html",
        {"budget": budget, "budgets": Budget.objects.order_by("-year"), "plan": plan},
    )


FINANCING_YEARS = 4  # the year before the budget year, the budget year and its two plan years


def _debt_chart(result: Financing) -> str:
    """Closing debt per year as bars, each with a mark at that year's guarantee frame."""
    bars = [
        Bar(
            _("%(year)s (frame %(frame)s tkr)")
            % {"year": row.year, "frame": formatting.tkr(row.guarantee_frame)},
            row.closing_debt,
            f"{formatting.tkr(row.closing_debt)} tkr",
            limit=row.guarantee_frame,
        )
        for row in result.years
    ]
    values = "; ".join(
        _("%(year)s: debt %(debt)s tkr, frame %(frame)s tkr")
        % {
            "year": row.year,
            "debt": formatting.tkr(row.closing_debt),
            "frame": formatting.tkr(row.guarantee_frame),
        }
        for row in result.years
    )
    return bar_chart(
        bars,
        chart_id="debt-chart",
        title=_("Debt on 31 December against the guarantee frame"),
        description=_(
            "Horizontal bars for the debt in thousands of SEK (tkr); a vertical line on each bar "
            "marks the guarantee frame. %(values)s."
        )
        % {"values": values},
    )


@role_required
def financing_overview(request: HttpRequest) -> HttpResponse:
    """Debt, borrowing, amortisation, interest and room in the guarantee frame per year."""
    budget = _chosen_budget(request)
    result = financing(budget.year - 1, FINANCING_YEARS) if budget else None
    return render(
        request,
        "web/financing.html",
        {
            "budget": budget,
            "budgets": Budget.objects.order_by("-year"),
            "financing": result,
            "chart": _debt_chart(result)
            if result and any(r.closing_debt > 0 or r.guarantee_frame > 0 for r in result.years)
            else None,
        },
    )
