"""The asset pages: the register, one asset's depreciation plan, and the replacement plan.

Read-only, like ``views``: every page is guarded and loads assets only through
``access.visible_assets``, so a member reader finds only the assets their own member's
organisations hold (another member's asset is a 404, an asset in stock belongs to no member).
The end of life is computed by the database from the acquisition date, the activation
convention and the depreciation time, so the register filters and pages on it without loading
every asset; one asset's plan comes from ``core.depreciation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Max, Min, Q, QuerySet, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samkalk.apps.accounts import access
from samkalk.apps.assets.models import (
    ActivationConvention,
    Asset,
    AssetType,
    CapitalCostRule,
    InterestBasis,
)
from samkalk.apps.web.guards import role_required
from samkalk.core import depreciation as core
from samkalk.core.errors import CoreError
from samkalk.core.money import from_ore
from samkalk.reports import formatting
from samkalk.reports.asset_schedule import CapitalCostRate, capital_cost_rate, life_months
from samkalk.reports.charts import Point, Segment, StackedBar, line_chart, stacked_bar_chart
from samkalk.reports.replacement_plan import ReplacementRow, investment_need, replacement_plan

ASSET_PAGE_SIZE = 50


# --- the register ---------------------------------------------------------------------------


def _end_month_number() -> Any:
    """End of life as a month number (year · 12 + month − 1): the first month after the life.

    The same month as ``core.replacement.end_of_life``, so the register's end-of-life year is
    the year the replacement plan counts the asset in.
    """
    year, month = ExtractYear("acquired_on"), ExtractMonth("acquired_on")
    convention = "asset_type__activation_convention"
    first = Case(
        When(**{convention: ActivationConvention.HALF_YEAR}, then=year * 12 + 6),
        When(**{convention: ActivationConvention.FOLLOWING_MONTH}, then=year * 12 + month),
        default=year * 12 + month - 1,
        output_field=IntegerField(),
    )
    return first + life_months()


def assets_with_end_of_life(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    return assets.select_related("asset_type", "organisation__member").annotate(
        end_month=_end_month_number()
    )


def end_of_life_label(asset: Any) -> str:
    """The end-of-life month of an asset from ``assets_with_end_of_life`` (– without a life)."""
    number: int | None = asset.end_month
    if number is None:
        return "–"
    year, month = divmod(number, 12)
    return f"{year}-{month + 1:02d}"


@dataclass(frozen=True, slots=True)
class RegisterFilters:
    """What the register's form asked for; values that do not fit are treated as not asked."""

    member: int | None
    asset_type: int | None
    status: str
    end_year: int | None
    search: str

    @classmethod
    def read(cls, query: Any, members: set[int], types: set[int]) -> RegisterFilters:
        def chosen(name: str, allowed: set[int]) -> int | None:
            raw = query.get(name, "")
            return int(raw) if raw.isdigit() and int(raw) in allowed else None

        status = query.get("status", "")
        end_year = query.get("end_year", "")
        return cls(
            member=chosen("member", members),
            asset_type=chosen("type", types),
            status=status if status in Asset.Status.values else "",
            end_year=int(end_year) if end_year.isdigit() and len(end_year) == 4 else None,
            search=query.get("q", "").strip()[:100],
        )

    def apply(self, assets: QuerySet[Asset]) -> QuerySet[Asset]:
        if self.member is not None:
            assets = assets.filter(organisation__member_id=self.member)
        if self.asset_type is not None:
            assets = assets.filter(asset_type_id=self.asset_type)
        if self.status:
            assets = assets.filter(status=self.status)
        if self.end_year is not None:
            first = self.end_year * 12
            assets = assets.filter(**{"end_month__gte": first, "end_month__lte": first + 11})
        if self.search:
            assets = assets.filter(
                Q(tag__icontains=self.search)
                | Q(serial_number__icontains=self.search)
                | Q(model__icontains=self.search)
            )
        return assets


def _end_years(assets: QuerySet[Asset]) -> range:
    bounds = assets.aggregate(first=Min("end_month"), last=Max("end_month"))
    if bounds["first"] is None:
        return range(0)
    return range(bounds["first"] // 12, bounds["last"] // 12 + 1)


@role_required
def asset_list(request: HttpRequest) -> HttpResponse:
    """Tillgångsregistret: the assets the user may see, filtered and 50 to a page."""
    visible = assets_with_end_of_life(access.visible_assets(request.user))
    members = list(access.visible_members(request.user))
    types = list(AssetType.objects.all())
    filters = RegisterFilters.read(request.GET, {m.pk for m in members}, {t.pk for t in types})
    assets = filters.apply(visible).order_by("tag")
    page = Paginator(assets, ASSET_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/asset_list.html",
        {
            "page": page,
            "rows": [(asset, end_of_life_label(asset)) for asset in page],
            "filters": filters,
            "members": members,
            "types": types,
            "statuses": Asset.Status.choices,
            "end_years": _end_years(visible),
            "filtered": filters != RegisterFilters(None, None, "", None, ""),
        },
    )


# --- one asset ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanYear:
    """One calendar year of an asset's plan: its rate, its months and their sums."""

    year: int
    rate: CapitalCostRate
    rows: tuple[core.ScheduleRow, ...]
    depreciation: Decimal
    interest: Decimal
    capital_cost: Decimal
    book_value_end: Decimal


def core_asset(asset: Asset, months: int) -> core.Asset:
    return core.Asset(
        acquisition_cost=asset.acquisition_cost,
        acquired_on=asset.acquired_on,
        depreciation_months=months,
        convention=core.ActivationConvention(asset.asset_type.activation_convention),
    )


def plan_years(asset: core.Asset) -> tuple[list[PlanYear], list[CoreError]]:
    """The plan year by year, each year's months from the plan at that year's capital cost rule.

    This is what ``core.depreciation.year_totals`` sums for the year, so the page agrees to the
    öre with the depreciation report per asset type (``reports.asset_schedule``).
    """
    start = core.activation_month(asset.acquired_on, asset.convention)
    last = (start.year * 12 + start.month - 1 + asset.depreciation_months - 1) // 12
    plans: dict[tuple[Decimal, core.InterestBasis], tuple[core.ScheduleRow, ...]] = {}
    years, warnings = [], []
    for year in range(start.year, last + 1):
        rate, problems = capital_cost_rate(year)
        warnings.extend(problems)
        key = (rate.rate_percent, rate.basis)
        if key not in plans:
            plans[key] = core.schedule(asset, rate.rate_percent, rate.basis)
        months = tuple(row for row in plans[key] if row.month.year == year)
        if months:
            years.append(
                PlanYear(
                    year=year,
                    rate=rate,
                    rows=months,
                    depreciation=sum((r.depreciation for r in months), Decimal(0)),
                    interest=sum((r.interest for r in months), Decimal(0)),
                    capital_cost=sum((r.capital_cost for r in months), Decimal(0)),
                    book_value_end=months[-1].book_value_after,
                )
            )
    return years, warnings


def _book_value_on(asset: Asset, years: Sequence[PlanYear], day: dt.date) -> Decimal:
    """The book value at the end of ``day``'s month, read from the plan's rows."""
    done = [row for y in years for row in y.rows if row.month <= day]
    return done[-1].book_value_after if done else asset.acquisition_cost


def _book_value_chart(asset: Asset, years: Sequence[PlanYear]) -> str:
    points = [Point("", asset.acquisition_cost)] + [
        Point(str(row.month.year) if row.month.month == 1 else "", row.book_value_after)
        for plan_year in years
        for row in plan_year.rows
    ]
    values = "; ".join(
        f"{plan_year.year}: {formatting.kronor(plan_year.book_value_end)}" for plan_year in years
    )
    return line_chart(
        points,
        chart_id="book-value-chart",
        title=_("Book value of %(tag)s over its life") % {"tag": asset.tag},
        description=_(
            "A line from the acquisition cost %(cost)s kronor down to zero, month by month. "
            "Book value in kronor at the end of each year: %(values)s."
        )
        % {"cost": formatting.kronor(asset.acquisition_cost), "values": values},
        axis_text=formatting.kronor,
    )


def rate_label(rate: CapitalCostRate) -> str:
    if not rate.source:
        return _("no capital cost rule: no interest")
    return _("%(source)s, %(rate)s %%, %(basis)s") % {
        "source": CapitalCostRule.RateSource(rate.source).label,
        "rate": formatting.number(rate.rate_percent),
        "basis": InterestBasis(rate.basis.value).label,
    }


@role_required
def asset_detail(request: HttpRequest, asset_id: int) -> HttpResponse:
    """One asset's facts and its depreciation plan with the capital cost month by month."""
    asset = get_object_or_404(
        assets_with_end_of_life(access.visible_assets(request.user)).select_related(
            "investment", "decision"
        ),
        pk=asset_id,
    )
    months = (
        asset.investment.effective_depreciation_months
        if asset.investment
        else asset.asset_type.depreciation_months
    )
    context: dict[str, Any] = {
        "asset": asset,
        "months": months,
        "end_of_life": end_of_life_label(asset),
        "proceeds": from_ore(ore) if (ore := asset.disposal_proceeds_ore) is not None else None,
    }
    if months:
        plan_asset = core_asset(asset, months)
        years, _warnings = plan_years(plan_asset)
        today = timezone.localdate()
        context |= {
            "activation": core.activation_month(asset.acquired_on, plan_asset.convention),
            "today": today,
            "book_value_today": _book_value_on(asset, years, today),
            "remaining": core.remaining_months(plan_asset, today),
            "years": years,
            "rates": [(y.year, rate_label(y.rate)) for y in years],
            "total": {
                "depreciation": sum((y.depreciation for y in years), Decimal(0)),
                "interest": sum((y.interest for y in years), Decimal(0)),
                "capital_cost": sum((y.capital_cost for y in years), Decimal(0)),
            },
            "chart": _book_value_chart(asset, years),
        }
    return render(request, "web/asset_detail.html", context)


# --- the replacement plan -------------------------------------------------------------------

REPLACEMENT_YEARS = 3


@dataclass(frozen=True, slots=True)
class ReplacementYear:
    """One year of the replacement plan as the page shows it: its rows and their sums."""

    year: int
    rows: tuple[ReplacementRow, ...]
    count: int
    amount: Decimal


def _replacement_chart(years: Sequence[ReplacementYear]) -> str:
    bars = []
    for group in years:
        by_type: dict[str, Decimal] = {}
        for row in group.rows:
            by_type[row.type_name] = by_type.get(row.type_name, Decimal(0)) + row.amount
        segments = tuple(Segment(name, amount) for name, amount in by_type.items())
        bars.append(StackedBar(str(group.year), segments, f"{formatting.tkr(group.amount)} tkr"))
    values = "; ".join(
        f"{bar.label}: {bar.total_text}"
        + (
            " ("
            + ", ".join(f"{s.series} {formatting.tkr(s.value)} tkr" for s in bar.segments)
            + ")"
            if bar.segments
            else ""
        )
        for bar in bars
    )
    return stacked_bar_chart(
        bars,
        chart_id="replacement-chart",
        title=_("Replacement amount per year and asset type"),
        description=_(
            "Horizontal bars, one per year, split by asset type, in thousands of SEK (tkr). "
            "%(values)s."
        )
        % {"values": values},
    )


def _from_year(request: HttpRequest, options: range) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return options.start + 2
    if not raw.isdigit() or len(raw) != 4:
        raise Http404
    return int(raw)


@role_required
def replacement_plan_overview(request: HttpRequest) -> HttpResponse:
    """Utbytesplan: what reaches the end of its life in three years, and the investment need.

    A member reader sees only the rows of their own member (no devices in stock, and not the
    investment need, which is a sum over every member's devices).
    """
    this_year = timezone.localdate().year
    options = range(this_year - 2, this_year + 6)
    from_year = _from_year(request, options)
    reads_all = access.reads_all_members(request.user)
    codes = set(access.visible_members(request.user).values_list("code", flat=True))

    def visible(row: ReplacementRow) -> bool:
        return row.member_code in codes if row.member_code is not None else reads_all

    plan = replacement_plan(from_year, REPLACEMENT_YEARS)
    years = list(range(from_year, from_year + REPLACEMENT_YEARS))
    groups = []
    for year in years:
        rows = tuple(r for r in plan.rows if r.year == year and visible(r))
        count = sum(r.count for r in rows)
        groups.append(ReplacementYear(year, rows, count, sum((r.amount for r in rows), Decimal(0))))
    overdue = [r for r in plan.overdue if visible(r)]
    need = investment_need(from_year, REPLACEMENT_YEARS) if reads_all else None
    member = None if reads_all else access.visible_members(request.user).first()
    return render(
        request,
        "web/replacement_plan.html",
        {
            "from_year": from_year,
            "years": years,
            "year_options": sorted({*options, from_year}),
            "groups": [g for g in groups if g.rows],
            "chart": _replacement_chart(groups) if any(g.rows for g in groups) else None,
            "overdue_count": sum(r.count for r in overdue),
            "overdue_amount": sum((r.amount for r in overdue), Decimal(0)),
            "need": need,
            "unit_prices": plan.unit_prices if reads_all else (),
            "errors": [*plan.errors, *(need.errors if need else ())] if reads_all else [],
            "member_name": member.name if member else "",
        },
    )
