"""What a billing run of a month needs, read from the records into ``core.billing`` values.

* Products and how each is billed; the organisation receiving each member's invoices.
* Key charges: each allocated product's expected revenue of the year (the budget covering it,
  priced by ``reports.pricing``) split by its key, as the member forecast splits it.
* Usage in the months the run covers, at the price in force on the 1st of the month (else the
  budget's computed unit price).
* Devices: what each device costs its holder in the covered months (``reports.member_devices``).
* Pass-through costs dated in the month and direct purchases whose lease starts in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from samkalk.apps.assets.models import Asset, AssetType
from samkalk.apps.billing.models import BillingRun, PassThroughCost, Usage
from samkalk.apps.budget.models import Budget, BudgetVersion
from samkalk.apps.catalogue.models import Product
from samkalk.apps.federation.models import Organisation
from samkalk.core import billing as core
from samkalk.core import depreciation, leasing
from samkalk.core.errors import CoreError
from samkalk.core.forecast import Basis
from samkalk.core.money import from_ore
from samkalk.core.months import add_months
from samkalk.reports.asset_schedule import capital_cost_rate, life_months
from samkalk.reports.budget_report import budget_for_year
from samkalk.reports.member_devices import device_charges, prices_in_force
from samkalk.reports.pricing import YearPricing, price_year


@dataclass(frozen=True, slots=True)
class RunInput:
    data: core.BillingInput
    errors: tuple[CoreError, ...]


def billing_products() -> dict[str, core.BillingProduct]:
    rows = Product.objects.values_list(
        "code",
        "name",
        "billing_period",
        "billing_timing",
        "invoice_level",
        "unit_code",
        "vat_rate",
        "markup_percent",
        "price_model",
    )
    return {
        code: core.BillingProduct(
            code,
            name,
            core.BillingPeriod(period),
            core.Timing(timing),
            core.Level(level),
            unit_code,
            vat,
            markup,
        )
        for code, name, period, timing, level, unit_code, vat, markup, _ in rows
    }


def member_recipients() -> dict[str, str]:
    rows = Organisation.objects.filter(receives_member_invoices=True).values_list(
        "member__code", "code"
    )
    return dict(rows)


def _months_needed(products: dict[str, core.BillingProduct], month: dt.date) -> list[dt.date]:
    months = {m for p in products.values() for m in core.covered_months(p, month)}
    return sorted(months)


def device_months(products: dict[str, core.BillingProduct], month: dt.date) -> list[dt.date]:
    """The months the run bills some device product for (rent, support or licence of a type
    billed per device): a quarterly key share does not make the run price every device three
    times."""
    codes = {
        code
        for row in AssetType.objects.filter(billed_per_device=True).values_list(
            "rent_product__code", "support_product__code", "licence_product__code"
        )
        for code in row
        if code in products
    }
    return sorted({m for code in codes for m in core.covered_months(products[code], month)})


def run_input(month: dt.date, run: BillingRun | None = None) -> RunInput:
    """Everything the run of ``month`` bills, with every problem found on the way; the devices
    as ``run``, being posted, wrote them down (``device_months``), else from the register."""
    month = month.replace(day=1)
    products = billing_products()
    errors: list[CoreError] = []
    adopted = adopted_billing(month.year, errors)
    months = _months_needed(products, month)
    groups: list[core.DeviceGroup] = []
    for m in device_months(products, month):
        found, problems = device_charges(m, run)
        errors.extend(problems)
        groups.extend(found)
    data = core.BillingInput(
        month=month,
        products=products,
        member_recipients=member_recipients(),
        key_charges=adopted.key_charges,
        usage=_usage(months),
        prices=_prices(month, adopted.unit_prices),
        device_groups=tuple(groups),
        charges=_charges(month),
    )
    return RunInput(data, tuple(dict.fromkeys(errors)))


@dataclass(frozen=True, slots=True)
class AdoptedBilling:
    """What a year bills from its budget: each member's annual amount of every allocated
    product, and each product's computed unit price."""

    key_charges: tuple[core.KeyCharge, ...]
    unit_prices: dict[str, Decimal]

    def as_json(self) -> dict[str, object]:
        return {
            "key_charges": [
                [c.member, c.product, str(c.annual), str(c.share)] for c in self.key_charges
            ],
            "unit_prices": {code: str(price) for code, price in self.unit_prices.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> AdoptedBilling:
        charges = data.get("key_charges", [])
        prices = data.get("unit_prices", {})
        assert isinstance(charges, list) and isinstance(prices, dict)
        return cls(
            tuple(
                core.KeyCharge(member, product, Decimal(annual), Decimal(share))
                for member, product, annual, share in charges
            ),
            {code: Decimal(price) for code, price in prices.items()},
        )


def billing_basis(priced: YearPricing) -> tuple[AdoptedBilling, tuple[CoreError, ...]]:
    """The billing basis of a priced budget year (stored with each budget version)."""
    forecasts, problems = priced.forecasts()
    charges = tuple(
        core.KeyCharge(line.member, line.product, line.amount, line.share or from_ore(0))
        for forecast in forecasts
        for line in forecast.lines
        if line.basis == Basis.KEY_SHARE
    )
    prices = {c.code: c.unit_price for c in priced.result.products if c.unit_price is not None}
    return AdoptedBilling(charges, prices), problems


def adopted_billing(year: int, errors: list[CoreError]) -> AdoptedBilling:
    """The year's billing basis from its budget's latest adopted version, frozen when it was
    adopted, so the base grant does not move with later changes to the records. Without an
    adopted version the budget as it stands is priced, and a warning says so."""
    version = (
        BudgetVersion.objects.filter(budget__year=year, status=Budget.Status.ADOPTED)
        .order_by("-number")
        .first()
    )
    if version is not None and "billing" in version.figures:
        return AdoptedBilling.from_json(version.figures["billing"])
    budget = budget_for_year(year)
    if budget is None:
        errors.append(CoreError("billing.no_budget", f"no budget covers {year}"))
        return AdoptedBilling((), {})
    errors.append(
        CoreError(
            "billing.budget_not_adopted",
            f"no adopted version of the budget for {year}: allocated products are billed from "
            "the budget as it stands today",
        )
    )
    basis, problems = billing_basis(price_year(budget, year))
    errors.extend(problems)
    return basis


def _usage(months: list[dt.date]) -> tuple[core.Usage, ...]:
    rows = Usage.objects.filter(month__in=months).values_list(
        "organisation__code", "organisation__member__code", "product__code", "month", "quantity"
    )
    return tuple(core.Usage(*row) for row in rows.order_by("month", "organisation__code"))


def _prices(month: dt.date, computed: dict[str, Decimal]) -> dict[str, Decimal]:
    """The price in force on the 1st, else the budget's computed unit price."""
    codes = dict(Product.objects.values_list("pk", "code"))
    prices = dict(computed)
    for pk, price in prices_in_force(month).items():
        prices[codes[pk]] = price
    return prices


def _charges(month: dt.date) -> tuple[core.Charge, ...]:
    end = add_months(month, 1)
    result = [
        core.Charge(org, member, product, core.LineSource.PASS_THROUGH, from_ore(ore), text, month)
        for org, member, product, ore, text in PassThroughCost.objects.filter(
            incurred_on__gte=month, incurred_on__lt=end
        )
        .order_by("incurred_on", "code")
        .values_list(
            "organisation__code",
            "organisation__member__code",
            "product__code",
            "amount_ore",
            "description",
        )
    ]
    purchases = Asset.objects.filter(
        direct_purchase=True,
        organisation__isnull=False,
        lease_start__gte=month,
        lease_start__lt=end,
        asset_type__rent_product__isnull=False,
    ).order_by("tag")
    for org, member, product, ore, tag in purchases.values_list(
        "organisation__code",
        "organisation__member__code",
        "asset_type__rent_product__code",
        "acquisition_cost_ore",
        "tag",
    ):
        result.append(
            core.Charge(
                org,
                member,
                product,
                core.LineSource.DIRECT_PURCHASE,
                from_ore(ore),
                f"Direktköp {tag}",
                month,
            )
        )
    result.extend(_buy_outs(month, end))
    return tuple(result)


def _buy_outs(month: dt.date, end: dt.date) -> list[core.Charge]:
    """Devices returned in the month before the end of their life, of a buy-out type."""
    rate, _ = capital_cost_rate(month.year)
    returned = (
        Asset.objects.filter(
            asset_type__early_return_rule="charge_member",
            asset_type__rent_product__isnull=False,
            organisation__isnull=False,
            direct_purchase=False,
            status__in=(Asset.Status.RETURNED, Asset.Status.SOLD, Asset.Status.SCRAPPED),
            lease_end__gte=month,
            lease_end__lt=end,
        )
        .annotate(life=life_months())
        .order_by("tag")
        .values_list(
            "organisation__code",
            "organisation__member__code",
            "asset_type__rent_product__code",
            "tag",
            "acquired_on",
            "acquisition_cost_ore",
            "life",
            "asset_type__activation_convention",
            "lease_start",
            "lease_end",
        )
    )
    result = []
    for org, member, product, tag, acquired, ore, life, convention, start, end_day in returned:
        if not life or end_day is None:
            continue
        asset = depreciation.Asset(
            from_ore(ore), acquired, life, depreciation.ActivationConvention(convention)
        )
        lease = leasing.Lease(tag, product, asset, member, start or acquired, end_day)
        value = leasing.buy_out(lease, end_day, rate.rate_percent, rate.basis)
        if value > 0:
            result.append(
                core.Charge(
                    org,
                    member,
                    product,
                    core.LineSource.BUY_OUT,
                    value,
                    f"Utlösen {tag} (restvärde vid återlämning {end_day.isoformat()})",
                    month,
                )
            )
    return result


def previous_amounts(month: dt.date) -> dict[tuple[str, str], int]:
    """(recipient, product) → öre billed in the posted run of the month before ``month``,
    less the credit notes of its invoices."""
    from samkalk.apps.billing.models import InvoiceLine

    previous = add_months(month, -1)
    sums: dict[tuple[str, str], int] = defaultdict(int)
    of_run = Q(invoice__run__kind="month", invoice__run__period=previous)
    credited = Q(invoice__credits__run__kind="month", invoice__credits__run__period=previous)
    rows = InvoiceLine.objects.filter(of_run | credited).values_list(
        "invoice__organisation__code", "product__code", "amount_ore", "invoice__kind"
    )
    for org, product, ore, kind in rows:
        sums[(org, product)] += -ore if kind == "credit_note" else ore
    return dict(sums)
