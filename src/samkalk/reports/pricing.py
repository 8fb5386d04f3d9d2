"""A budget year priced: load its inputs, run the full-cost calculation, build the statement.

Fetch → compute, as everywhere: the selectors below read a budget's inputs for one year (direct
costs, pools, shares, consumption, volumes, staff posts, the asset register's capital cost, the
loans' interest, the keys) into core dataclasses; ``core.pricing``, ``core.staff``,
``core.forecast`` and ``core.budget`` do the arithmetic. Nothing computed is stored.

Plan years: an input without a line of its own for the year is carried from the latest earlier
year — amounts indexed (staff costs by the salary increase, the rest by the price index), shares,
consumption and volumes unchanged.

Capital cost: each asset type's depreciation for the year — from the register, and for plan
years from the investment plan's acquisitions the register does not hold yet — is carried by its
rent product or by its cost pool. The year's financial costs (the loans' interest from the
financing projection) are spread over the types in proportion to the interest the capital cost
rule gives each, so the products carry what the federation actually pays and the budget balances
when every pool is spread. Without loans there is no interest to carry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max

from samkalk.apps.assets.models import Asset, AssetType, Investment, InvestmentLine
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
from samkalk.apps.catalogue.models import CostPool, Product, RevenueCategory
from samkalk.apps.federation.models import Member
from samkalk.collection import collection_paused
from samkalk.core import budget as core_budget
from samkalk.core import depreciation
from samkalk.core import forecast as core_forecast
from samkalk.core import pricing as core
from samkalk.core import staff as core_staff
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, apportion, from_ore
from samkalk.reports.asset_schedule import (
    asset_schedule,
    capital_cost_rate,
    member_investment_years,
)
from samkalk.reports.financing import financing
from samkalk.reports.keys import key_values_for_year

PLAN_YEARS = 2
MEMBER_INVESTMENT = "member_investment"  # revenue from investments of one member's own


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """What the pages show of a product besides its figures."""

    pk: int
    code: str
    name: str
    object_pk: int | None
    object_name: str
    category: str
    price_model: str
    unit: str
    key_code: str
    description: str


@dataclass(frozen=True, slots=True)
class PoolInfo:
    """A cost pool's amount for the year: its own costs plus the capital cost it carries."""

    code: str
    name: str
    kind: str
    basis: str
    amount: Decimal
    operating: Decimal
    capital: Decimal
    from_staff_budget: bool


@dataclass(frozen=True, slots=True)
class CapitalCarried:
    """One asset type's capital cost of the year and who carries it."""

    type_code: str
    type_name: str
    depreciation: Decimal
    interest: Decimal
    product: str  # product code, or ""
    pool: str  # pool code, or ""
    investment: str = ""  # an investment of one member: its code …
    investment_name: str = ""
    member: str = ""  # … and the member it is charged to

    @property
    def amount(self) -> Decimal:
        return self.depreciation + self.interest


@dataclass(frozen=True, slots=True)
class YearPricing:
    """One year of a budget, priced."""

    budget_year: int
    year: int
    products: tuple[ProductInfo, ...]
    pools: tuple[PoolInfo, ...]
    result: core.PricingResult
    capital: tuple[CapitalCarried, ...]
    staff: core_staff.StaffBudget | None
    statement: core_budget.IncomeStatement
    revenue_by_category: Mapping[str, Decimal]
    members: tuple[tuple[str, str], ...]  # (code, name)
    quantities: tuple[core_forecast.MemberQuantity, ...]
    key_values: Mapping[str, Mapping[str, Decimal]]
    errors: tuple[CoreError, ...]

    def cost(self, code: str) -> core.ProductCost:
        return next(p for p in self.result.products if p.code == code)

    def info(self, code: str) -> ProductInfo:
        return next(p for p in self.products if p.code == code)

    @property
    def uncarried_capital(self) -> Decimal:
        return sum((c.amount for c in self.capital if not (c.product or c.pool or c.member)), ZERO)

    @property
    def member_investments(self) -> tuple[CapitalCarried, ...]:
        """Investments of one member: their capital cost is charged to that member alone."""
        return tuple(c for c in self.capital if c.member)

    def forecasts(
        self,
    ) -> tuple[tuple[core_forecast.MemberForecast, ...], tuple[CoreError, ...]]:
        """Each member's forecast: the catalogue's products, then its own investments."""
        forecasts, errors = core_forecast.member_forecasts(
            self.result, tuple(code for code, _ in self.members), self.quantities, self.key_values
        )
        return tuple(self._with_investments(f) for f in forecasts), errors

    def _with_investments(self, forecast: core_forecast.MemberForecast) -> Any:
        own = tuple(
            core_forecast.ForecastLine(
                forecast.member,
                c.investment,
                core_forecast.Basis.OWN_INVESTMENT,
                None,
                None,
                c.amount,
            )
            for c in self.member_investments
            if c.member == forecast.member
        )
        if not own:
            return forecast
        return core_forecast.MemberForecast(
            forecast.member,
            forecast.lines + own,
            forecast.total + sum((line.amount for line in own), ZERO),
        )


def budget_years(budget: Budget) -> tuple[int, ...]:
    return tuple(budget.year + offset for offset in range(PLAN_YEARS + 1))


def price_budget(budget: Budget) -> tuple[YearPricing, ...]:
    """The budget year and its plan years, priced."""
    return tuple(price_year(budget, year) for year in budget_years(budget))


@collection_paused()  # a national register's capital costs: a million assets' rows
def price_year(budget: Budget, year: int) -> YearPricing:
    """Load ``year`` of ``budget`` and compute its full costs, prices and income statement."""
    errors: list[CoreError] = []
    products = _products()
    indexations = _indexations(budget)
    staff, staff_errors = _staff_budget(budget, year, indexations)
    errors.extend(staff_errors)
    capital, financial_costs, depreciation_total = _capital(budget, year, errors)
    pools = _pools(budget, year, indexations, staff, capital, errors)
    direct, equity_use = _direct_costs(budget, year, indexations)
    quantities = _quantities(budget, year)
    volumes: dict[str, Decimal] = defaultdict(Decimal)
    for q in quantities:
        volumes[q.product] += q.quantity
    capital_by_product: dict[str, Decimal] = defaultdict(Decimal)
    for c in capital:
        if c.product:
            capital_by_product[c.product] += c.depreciation + c.interest
    rows = Product.objects.values_list("code", "price_model", "rounding", "markup_percent")
    inputs = tuple(
        core.ProductInput(
            code=code,
            price_model=core.PriceModel(model),
            direct=direct.get(code, ZERO),
            capital=capital_by_product.get(code, ZERO),
            volume=volumes.get(code),
            rounding=core.Rounding(rounding),
            markup_percent=markup,
        )
        for code, model, rounding, markup in rows.order_by("code")
    )
    result = core.price_catalogue(
        core.PricingInput(
            pools=tuple(core.CostPool(p.code, p.amount, core.PoolBasis(p.basis)) for p in pools),
            shares=_shares(budget, year),
            products=inputs,
            consumptions=_consumptions(budget, year),
        )
    )
    errors.extend(result.errors)
    member_charges = sum((c.amount for c in capital if c.member), ZERO)
    revenue = sum((p.expected_revenue for p in result.products), ZERO) + member_charges
    # Direct costs include the (negative) use of equity, which is not a cost: add it back.
    operating = sum((p.operating for p in pools), ZERO) + sum(direct.values(), ZERO) + equity_use
    statement = core_budget.income_statement(
        year, revenue, operating, depreciation_total, financial_costs, equity_use
    )
    members = tuple(Member.objects.order_by("name").values_list("code", "name"))
    key_values, key_errors = _key_values(year, result)
    errors.extend(key_errors)
    return YearPricing(
        budget_year=budget.year,
        year=year,
        products=products,
        pools=pools,
        result=result,
        capital=capital,
        staff=staff,
        statement=statement,
        revenue_by_category=_by_category(products, result, member_charges),
        members=members,
        quantities=quantities,
        key_values=key_values,
        errors=tuple(errors),
    )


# --- selectors --------------------------------------------------------------------------------


def _products() -> tuple[ProductInfo, ...]:
    rows = Product.objects.select_related("governance_object", "allocation_key").order_by("code")
    return tuple(
        ProductInfo(
            pk=p.pk,
            code=p.code,
            name=p.name,
            object_pk=p.governance_object_id,
            object_name=p.governance_object.name if p.governance_object else "",
            category=p.category,
            price_model=p.price_model,
            unit=p.unit,
            key_code=p.allocation_key.code if p.allocation_key else "",
            description=p.description,
        )
        for p in rows
    )


def _indexations(budget: Budget) -> dict[int, core_budget.Indexation]:
    return {
        y.year: core_budget.Indexation(y.year, y.salary_increase_percent, y.price_index_percent)
        for y in BudgetYear.objects.filter(budget=budget)
    }


def _carried(
    lines: Iterable[tuple[Any, int, int]],
    budget: Budget,
    year: int,
    kind_of: Mapping[Any, core_budget.IndexKind],
    indexations: Mapping[int, core_budget.Indexation],
) -> dict[Any, Decimal]:
    """Per line key: the explicit amount for ``year`` or the latest earlier one, indexed."""
    explicit: dict[Any, dict[int, Decimal]] = defaultdict(dict)
    for key, line_year, ore in lines:
        explicit[key][line_year] = from_ore(ore)
    result: dict[Any, Decimal] = {}
    for key, by_year in explicit.items():
        amounts = core_budget.plan_amounts(budget.year, (year,), by_year, kind_of[key], indexations)
        result[key] = amounts[year]
    return result


def _direct_costs(
    budget: Budget, year: int, indexations: Mapping[int, core_budget.Indexation]
) -> tuple[dict[str, Decimal], Decimal]:
    """Per product its direct costs (use of equity included), and the year's use of equity.

    Use of equity is decided for one year at a time, so it is never carried into a plan year.
    """
    lines = DirectCost.objects.filter(budget=budget, year__lte=year).values_list(
        "product__code", "kind", "year", "amount_ore"
    )
    carried_lines = [
        ((code, kind), line_year, ore)
        for code, kind, line_year, ore in lines
        if kind != DirectCost.Kind.EQUITY_USE
    ]
    kinds = dict.fromkeys((key for key, _, _ in carried_lines), core_budget.IndexKind.PRICE)
    per_product: dict[str, Decimal] = defaultdict(Decimal)
    for (code, _), amount in _carried(carried_lines, budget, year, kinds, indexations).items():
        per_product[code] += amount
    equity_use = from_ore(0)
    for code, kind, line_year, ore in lines:
        if kind == DirectCost.Kind.EQUITY_USE and line_year == year:
            per_product[code] += from_ore(ore)
            equity_use -= from_ore(ore)
    return dict(per_product), equity_use


def _pools(
    budget: Budget,
    year: int,
    indexations: Mapping[int, core_budget.Indexation],
    staff: core_staff.StaffBudget | None,
    capital: tuple[CapitalCarried, ...],
    errors: list[CoreError],
) -> tuple[PoolInfo, ...]:
    pools = list(CostPool.objects.order_by("code"))
    staff_pool = next((p.code for p in pools if p.kind == CostPool.Kind.STAFF), None)
    lines = [
        (code, line_year, ore)
        for code, line_year, ore in CostPoolLine.objects.filter(
            budget=budget, year__lte=year
        ).values_list("cost_pool__code", "year", "amount_ore")
    ]
    kinds = {
        p.code: core_budget.IndexKind.SALARY
        if p.kind == CostPool.Kind.STAFF
        else core_budget.IndexKind.PRICE
        for p in pools
    }
    operating = _carried(lines, budget, year, kinds, indexations)
    carried: dict[str, Decimal] = defaultdict(Decimal)
    for c in capital:
        if c.pool:
            carried[c.pool] += c.depreciation + c.interest
    result = []
    if staff is not None and staff_pool in operating:
        errors.append(
            CoreError(
                "pricing.staff_pool_line_unused",
                f"{year}: the staff budget gives cost pool {staff_pool}; its own line of "
                f"{operating[staff_pool]} kr is not used",
            )
        )
    for pool in pools:
        from_staff = staff is not None and pool.code == staff_pool
        own = staff.total if from_staff and staff is not None else operating.get(pool.code, ZERO)
        cap = carried.get(pool.code, ZERO)
        result.append(
            PoolInfo(pool.code, pool.name, pool.kind, pool.basis, own + cap, own, cap, from_staff)
        )
    return tuple(result)


def _staff_budget(
    budget: Budget, year: int, indexations: Mapping[int, core_budget.Indexation]
) -> tuple[core_staff.StaffBudget | None, tuple[CoreError, ...]]:
    posts = tuple(
        core_staff.Post(title, fte, from_ore(ore))
        for title, fte, ore in StaffPost.objects.filter(budget=budget)
        .order_by("code")
        .values_list("title", "fte_percent", "amount_ore")
    )
    if not posts:
        return None, ()
    for plan_year in range(budget.year + 1, year + 1):
        increase = indexations.get(plan_year)
        if increase is not None:
            posts = core_staff.index_posts(posts, increase.salary_increase_percent)
    params = BudgetYear.objects.filter(budget=budget, year__lte=year).order_by("-year").first()
    parameters = core_staff.StaffParameters()
    if params is not None:
        own_year = params.year == year
        parameters = core_staff.StaffParameters(
            holiday_pay_percent=params.holiday_pay_percent,
            employer_contribution_percent=params.employer_contribution_percent,
            pension_percent=params.pension_percent,
            insurance_percent=params.insurance_percent,
            absence_deduction_percent=params.absence_deduction_percent,
            hired_staff=_year_amount(
                params.hired_staff_ore, own_year, params.year, year, indexations
            ),
            other_costs=_year_amount(
                params.other_staff_costs_ore, own_year, params.year, year, indexations
            ),
        )
    return core_staff.staff_budget(posts, parameters)


def _year_amount(
    ore: int,
    own_year: bool,
    from_year: int,
    year: int,
    indexations: Mapping[int, core_budget.Indexation],
) -> Decimal:
    amount = from_ore(ore)
    if own_year:
        return amount
    return core_budget.indexed(amount, from_year, year, core_budget.IndexKind.SALARY, indexations)


Carrier = tuple[str, str]  # (asset type code, the member investment's code or "")


def _planned(budget: Budget, year: int) -> dict[Carrier, tuple[Decimal, Decimal, str, str]]:
    """Per carrier: depreciation, interest, investment name and member of planned acquisitions.

    The investment plan's lines for the years after the register's latest acquisition are
    acquisitions the register does not hold yet. Each is taken as bought on 1 July of its year
    (the plan spreads buying over the year) with the investment's own depreciation time, else
    the type's; unspecified money without one is not yet depreciated. An investment of one
    member is its own carrier, charged to that member alone.
    """
    latest = Asset.objects.aggregate(latest=Max("acquired_on"))["latest"]
    after = latest.year if latest is not None else year - 1
    rate, _ = capital_cost_rate(year)
    planned: dict[Carrier, list[depreciation.Asset]] = defaultdict(list)
    names: dict[Carrier, tuple[str, str]] = {}
    lines = InvestmentLine.objects.filter(
        budget=budget, year__gt=after, year__lte=year
    ).values_list(
        "investment__asset_type__code",
        "investment__asset_type__activation_convention",
        "year",
        "amount_ore",
        "investment__depreciation_months",
        "investment__asset_type__depreciation_months",
        "investment__scope",
        "investment__code",
        "investment__name",
        "investment__member__code",
    )
    for code, convention, line_year, ore, own, type_life, scope, inv, name, member in lines:
        life = own or type_life
        if life and ore > 0:
            key = (code, inv if scope == Investment.Scope.MEMBER else "")
            names[key] = (name, member or "") if key[1] else ("", "")
            planned[key].append(
                depreciation.Asset(
                    from_ore(ore),
                    dt.date(line_year, 7, 1),
                    life,
                    depreciation.ActivationConvention(convention),
                )
            )
    result = {}
    for key, assets in planned.items():
        totals = depreciation.pool_year_totals(assets, rate.rate_percent, rate.basis, year)
        result[key] = (totals.depreciation, totals.interest, *names[key])
    return result


def _capital(
    budget: Budget, year: int, errors: list[CoreError]
) -> tuple[tuple[CapitalCarried, ...], Decimal, Decimal]:
    """Per carrier its depreciation and carried interest; the financial costs; depreciation.

    A carrier is an asset type (carried by its rent product or cost pool) or an investment of
    one member (charged to that member alone). The register's assets and the investment plan's
    planned acquisitions (``_planned``) count.
    """
    schedule = asset_schedule(year)
    errors.extend(schedule.errors)
    plan = financing(year, 1)
    errors.extend(plan.errors)
    financial_costs = plan.years[0].interest if plan.loans else ZERO
    types = {
        code: (name, rent or "", pool or "")
        for code, name, rent, pool in AssetType.objects.values_list(
            "code", "name", "rent_product__code", "cost_pool__code"
        )
    }
    amounts: dict[Carrier, list[Decimal]] = {}
    owners: dict[Carrier, tuple[str, str]] = {}  # member investment → (name, member)
    for r in schedule.rows:
        amounts[(r.type_code, "")] = [r.depreciation, r.interest]
    for m in member_investment_years(year):
        amounts[(m.type_code, "")][0] -= m.depreciation
        amounts[(m.type_code, "")][1] -= m.interest
        amounts[(m.type_code, m.investment_code)] = [m.depreciation, m.interest]
        owners[(m.type_code, m.investment_code)] = (m.investment_name, m.member_code)
    for key, (dep, interest, name, member) in _planned(budget, year).items():
        current = amounts.setdefault(key, [ZERO, ZERO])
        current[0] += dep
        current[1] += interest
        if key[1]:
            owners[key] = (name, member)
    keys = sorted(key for key, (dep, interest) in amounts.items() if dep or interest)
    weights = [amounts[k][1] for k in keys]
    if keys and sum(weights, ZERO) == 0:
        weights = [amounts[k][0] for k in keys]
    interest_parts = apportion(financial_costs, weights) if keys else []
    if not keys and financial_costs:
        errors.append(
            CoreError(
                "pricing.interest_uncarried",
                f"{year}: no assets carry the loans' interest of {financial_costs} kr",
            )
        )
    carried = []
    for key, part in zip(keys, interest_parts, strict=True):
        name, rent, pool = types[key[0]]
        if key[1]:
            investment_name, member = owners[key]
            carried.append(
                CapitalCarried(
                    key[0], name, amounts[key][0], part, "", "", key[1], investment_name, member
                )
            )
            continue
        carried.append(CapitalCarried(key[0], name, amounts[key][0], part, rent, pool))
        if not (rent or pool):
            errors.append(
                CoreError(
                    "pricing.capital_uncarried",
                    f"{year}: asset type {key[0]} has no rent product or cost pool; its "
                    f"capital cost {amounts[key][0] + part} kr is carried by no product",
                )
            )
    depreciation_total = sum((c.depreciation for c in carried), ZERO)
    return tuple(carried), financial_costs, depreciation_total


def _latest_year(model: Any, budget: Budget, year: int) -> int | None:
    """The year whose rows apply to ``year``: its own, else the latest earlier one."""
    years = model.objects.filter(budget=budget, year__lte=year).values_list("year", flat=True)
    return max(years, default=None)


def _shares(budget: Budget, year: int) -> tuple[core.OverheadShare, ...]:
    source = _latest_year(OverheadShare, budget, year)
    if source is None:
        return ()
    rows = OverheadShare.objects.filter(budget=budget, year=source).values_list(
        "cost_pool__code", "product__code", "weight"
    )
    return tuple(core.OverheadShare(pool, product, weight) for pool, product, weight in rows)


def _consumptions(budget: Budget, year: int) -> tuple[core.Consumption, ...]:
    source = _latest_year(Consumption, budget, year)
    if source is None:
        return ()
    rows = Consumption.objects.filter(budget=budget, year=source).values_list(
        "consumer__code", "provider__code", "percent"
    )
    return tuple(core.Consumption(c, p, pct) for c, p, pct in rows)


def _quantities(budget: Budget, year: int) -> tuple[core_forecast.MemberQuantity, ...]:
    source = _latest_year(Volume, budget, year)
    if source is None:
        return ()
    rows = (
        Volume.objects.filter(budget=budget, year=source)
        .order_by("product__code", "member__code")
        .values_list("member__code", "product__code", "quantity")
    )
    return tuple(core_forecast.MemberQuantity(m, p, q) for m, p, q in rows)


def _key_values(
    year: int, priced: core.PricingResult
) -> tuple[dict[str, dict[str, Decimal]], list[CoreError]]:
    """Per allocated product the key values its key's rule picks for ``year``; a key's problems
    are reported when a product that charges something uses it."""
    keys_used = dict(
        Product.objects.filter(price_model="allocated").values_list("code", "allocation_key_id")
    )
    charging = {
        keys_used[p.code] for p in priced.products if p.expected_revenue and p.code in keys_used
    }
    by_key = key_values_for_year(year, set(keys_used.values()))
    errors = [e for pk, (_, problems) in by_key.items() if pk in charging for e in problems]
    return {code: by_key.get(pk, ({}, []))[0] for code, pk in keys_used.items()}, errors


def _by_category(
    products: tuple[ProductInfo, ...], result: core.PricingResult, member_charges: Decimal
) -> dict[str, Decimal]:
    """Expected revenue per revenue category; members' own investments as one more, if any."""
    category = {p.code: p.category for p in products}
    totals = {str(value): ZERO for value in RevenueCategory.values}
    for cost in result.products:
        totals[category[cost.code]] += cost.expected_revenue
    if member_charges:
        totals[MEMBER_INVESTMENT] = member_charges
    return totals


def actual_full_costs(
    budget: Budget,
    year: int,
    own_costs: Mapping[str, Decimal],
    pool_costs: Mapping[str, Decimal],
) -> core.PricingResult:
    """The year's actual full cost per product: its own actual costs (direct and capital), its
    shares of the pools' actual costs and what it consumed, by the budget's shares and
    consumption of the year. A pool without an actual figure counts as budgeted."""
    indexations = _indexations(budget)
    staff, _ = _staff_budget(budget, year, indexations)
    budgeted = {p.code: p for p in _pools(budget, year, indexations, staff, (), [])}
    inputs = tuple(
        core.ProductInput(code=code, price_model=core.PriceModel.ALLOCATED, direct=own)
        for code, own in sorted(own_costs.items())
    )
    known = {p.code for p in inputs}
    inputs += tuple(
        core.ProductInput(code=code, price_model=core.PriceModel.ALLOCATED)
        for code in Product.objects.order_by("code").values_list("code", flat=True)
        if code not in known
    )
    pools = tuple(
        core.CostPool(
            code, pool_costs.get(code, budgeted[code].amount), core.PoolBasis(budgeted[code].basis)
        )
        for code in sorted(budgeted)
    )
    return core.price_catalogue(
        core.PricingInput(
            pools=pools,
            shares=_shares(budget, year),
            products=inputs,
            consumptions=_consumptions(budget, year),
        )
    )
