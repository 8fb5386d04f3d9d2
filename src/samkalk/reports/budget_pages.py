"""The priced budget shaped for the budget pages: catalogue, price calculation, forecast, staff.

Read-only and arithmetic-free: every amount here is one that ``reports/pricing.py`` (or the core
functions it calls) computed; these helpers only pick, label and group them, so a page and its
export show the same figures. Labels of stored choices (category, price model, rounding) are the
models' own translatable labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from samkalk.apps.budget.models import (
    Budget,
    DirectCost,
    OverheadShare,
    StaffPost,
    Volume,
)
from samkalk.apps.catalogue.models import (
    PriceModel,
    Product,
    ProductPrice,
    RevenueCategory,
    Rounding,
)
from samkalk.core.forecast import Basis, MemberForecast
from samkalk.core.money import percent
from samkalk.core.pricing import ProductCost
from samkalk.core.staff import StaffBudget
from samkalk.reports.pricing import MEMBER_INVESTMENT, PLAN_YEARS, CapitalCarried, YearPricing


def category_label(value: str) -> str:
    """A revenue category's label; the members' own investments are a category of the budget's
    (``pricing.MEMBER_INVESTMENT``), not of the catalogue's."""
    if value == MEMBER_INVESTMENT:
        return _("investments of a member's own")
    return str(dict(RevenueCategory.choices).get(value, value))


def price_model_label(value: str) -> str:
    return str(dict(PriceModel.choices).get(value, value))


def year_options(budgets: Iterable[Budget]) -> list[int]:
    """Every year some budget prices: its budget year and its plan years, newest first."""
    years = {b.year + offset for b in budgets for offset in range(PLAN_YEARS + 1)}
    return sorted(years, reverse=True)


# --- the catalogue ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceInForce:
    """A decided unit price (ProductPrice) and the guideline it was set under."""

    amount: Decimal
    valid_from: dt.date
    guideline: str
    decision: str


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    pk: int
    code: str
    name: str
    category: str
    price_model: str  # the stored value: per_unit, allocated, at_cost
    price_model_label: str
    key_name: str
    key_pk: int | None
    unit: str
    vat_rate: Decimal
    unit_price: Decimal | None  # the budget year's computed unit price (per-unit products)
    in_force: PriceInForce | None
    description: str


@dataclass(frozen=True, slots=True)
class CatalogueGroup:
    """The products of one governance object (pk None: the base grant's, without an object)."""

    pk: int | None
    name: str
    rows: tuple[CatalogueRow, ...]


def prices_in_force(as_of: dt.date) -> dict[int, PriceInForce]:
    """Per product the newest decided price valid on ``as_of``."""
    found: dict[int, PriceInForce] = {}
    rows = (
        ProductPrice.objects.filter(valid_from__lte=as_of)
        .select_related("guideline", "decision")
        .order_by("product_id", "valid_from")
    )
    for price in rows:
        found[price.product_id] = PriceInForce(
            price.amount,
            price.valid_from,
            price.guideline.name,
            price.decision.reference if price.decision else "",
        )
    return found


def catalogue(priced: YearPricing | None, base_grant_label: str) -> tuple[CatalogueGroup, ...]:
    """Products grouped per governance object, then the base grant's; with the year's prices."""
    as_of = dt.date(priced.year, 1, 1) if priced else None
    in_force = prices_in_force(as_of) if as_of else {}
    unit_prices = {c.code: c.unit_price for c in priced.result.products} if priced else {}
    products = Product.objects.select_related("governance_object", "allocation_key")
    groups: dict[int | None, tuple[str, list[CatalogueRow]]] = {}
    for p in sorted(products, key=lambda p: p.name):
        heading = p.governance_object.name if p.governance_object else base_grant_label
        groups.setdefault(p.governance_object_id, (heading, []))[1].append(
            CatalogueRow(
                pk=p.pk,
                code=p.code,
                name=p.name,
                category=category_label(p.category),
                price_model=p.price_model,
                price_model_label=price_model_label(p.price_model),
                key_name=p.allocation_key.name if p.allocation_key else "",
                key_pk=p.allocation_key_id,
                unit=p.unit,
                vat_rate=p.vat_rate,
                unit_price=unit_prices.get(p.code),
                in_force=in_force.get(p.pk),
                description=p.description,
            )
        )
    named: list[tuple[int | None, str, list[CatalogueRow]]] = sorted(
        ((pk, heading, rows) for pk, (heading, rows) in groups.items() if pk is not None),
        key=lambda group: group[1],
    )
    if None in groups:
        named.append((None, *groups[None]))
    return tuple(CatalogueGroup(pk, heading, tuple(rows)) for pk, heading, rows in named)


# --- one product's price calculation ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """A line of the calculation: what it is, its amount, and a link target (product pk)."""

    label: str
    amount: Decimal
    product_pk: int | None = None


@dataclass(frozen=True, slots=True)
class PriceCalculation:
    cost: ProductCost
    pool_shares: tuple[Part, ...]
    received: tuple[Part, ...]
    passed_on: tuple[Part, ...]
    capital_sources: tuple[CapitalCarried, ...]
    rounding_label: str
    markup_percent: Decimal


def price_calculation(priced: YearPricing, product: Product) -> PriceCalculation:
    """The product's full cost as the calculation built it, pool by pool and product by product."""
    cost = priced.cost(product.code)
    pools = {p.code: p.name for p in priced.pools}

    def linked(amounts: Mapping[str, Decimal]) -> tuple[Part, ...]:
        return tuple(
            Part(priced.info(code).name, amount, priced.info(code).pk)
            for code, amount in sorted(amounts.items())
        )

    return PriceCalculation(
        cost=cost,
        pool_shares=tuple(
            Part(pools.get(code, code), amount) for code, amount in sorted(cost.pool_shares.items())
        ),
        received=linked(cost.received),
        passed_on=linked(cost.passed_on),
        capital_sources=tuple(c for c in priced.capital if c.product == product.code),
        rounding_label=str(dict(Rounding.choices)[product.rounding]),
        markup_percent=product.markup_percent,
    )


def quantities(priced: YearPricing, product_code: str) -> list[tuple[str, str, Decimal]]:
    """(member code, member name, quantity) of the product in the year, in member-name order."""
    names = dict(priced.members)
    rows = [(q.member, q.quantity) for q in priced.quantities if q.product == product_code]
    return sorted(
        ((code, names.get(code, code), quantity) for code, quantity in rows),
        key=lambda row: row[1],
    )


# --- a member's forecast ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForecastRow:
    product_pk: int | None  # None: the member's own investment
    name: str
    basis: str  # quantity, key_share, order_share, own_investment
    quantity: Decimal | None
    unit: str
    unit_price: Decimal | None
    share_percent: Decimal | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ForecastGroup:
    pk: int | None
    name: str
    rows: tuple[ForecastRow, ...]
    total: Decimal


def forecast_groups(
    priced: YearPricing, forecast: MemberForecast, base_grant_label: str, own_label: str
) -> tuple[ForecastGroup, ...]:
    """The member's forecast lines grouped per governance object, then the base grant's, then
    the capital cost of the member's own investments (``own_label``)."""
    grouped: dict[int | None, tuple[str, list[ForecastRow]]] = {}
    investments = {c.investment: c.investment_name for c in priced.member_investments}
    own: list[ForecastRow] = []
    for line in forecast.lines:
        if line.basis == Basis.OWN_INVESTMENT:
            name = investments.get(line.product, line.product)
            own.append(ForecastRow(None, name, str(line.basis), None, "", None, None, line.amount))
            continue
        info = priced.info(line.product)
        grouped.setdefault(info.object_pk, (info.object_name or base_grant_label, []))[1].append(
            ForecastRow(
                info.pk,
                info.name,
                str(line.basis),
                line.quantity,
                info.unit,
                priced.cost(line.product).unit_price,
                None if line.share is None else percent(line.share, Decimal(1)),
                line.amount,
            )
        )
    order = sorted(grouped, key=lambda pk: (pk is None, grouped[pk][0]))
    groups = [(pk, *grouped[pk]) for pk in order]
    if own:
        groups.append((None, own_label, own))
    return tuple(
        ForecastGroup(pk, name, tuple(rows), sum((r.amount for r in rows), Decimal("0.00")))
        for pk, name, rows in groups
    )


# --- the staff budget ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostRow:
    title: str
    fte_percent: Decimal
    annual_salary: Decimal
    illustrative: bool


def staff_posts(budget: Budget, staff: StaffBudget) -> tuple[PostRow, ...]:
    """The posts with their FTE (stored) and annual salary (computed), in the calculation's order.

    The database keeps FTE within 0–100 % and salaries non-negative, so the calculation counts
    every stored post and the two lists pair up one to one.
    """
    stored = list(StaffPost.objects.filter(budget=budget).order_by("code"))
    if len(stored) != len(staff.posts):
        raise ValueError("the staff budget does not list every stored post")
    return tuple(
        PostRow(cost.title, post.fte_percent, cost.annual_salary, post.illustrative)
        for post, cost in zip(stored, staff.posts, strict=True)
    )


def has_illustrative_inputs(budget: Budget) -> bool:
    """Whether any of the budget's own inputs are illustrative (demo) figures."""
    return any(
        model.objects.filter(budget=budget, illustrative=True).exists()
        for model in (DirectCost, OverheadShare, StaffPost, Volume)
    )
