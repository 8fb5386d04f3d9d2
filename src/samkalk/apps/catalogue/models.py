"""Products (what members are charged for) and cost pools (the federation's own costs).

A product belongs to one of the revenue categories and has a price model: a unit price times a
quantity, an amount split by an allocation key, or a cost passed on as it is.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.apps.amounts import AmountInOre
from samkalk.apps.federation.models import AllocationKey, Decision
from samkalk.apps.governance.models import GovernanceObject


class RevenueCategory(models.TextChoices):
    BASE_GRANT = "base_grant", _("base grant")
    MANDATORY_SYSTEM = "mandatory_system", _("mandatory systems/functions")
    ALLOCATED_SYSTEM = "allocated_system", _("system cost by allocated calculation")
    PASS_THROUGH = "pass_through", _("pass-through invoicing")
    USAGE_BASED = "usage_based", _("usage/demand-based services")
    DISPOSAL_SALE = "disposal_sale", _("sale of returned devices")


class PriceModel(models.TextChoices):
    PER_UNIT = "per_unit", _("quantity × unit price")
    ALLOCATED = "allocated", _("split by allocation key")
    AT_COST = "at_cost", _("at cost")


class Rounding(models.TextChoices):
    ORE = "ore", _("whole öre")
    KRONA = "krona", _("whole kronor")
    TEN_KRONOR = "ten_kronor", _("ten kronor")


class RentBasis(models.TextChoices):
    OWN_CAPITAL_COST = "own_capital_cost", _("the device's own capital cost")
    POOLED = "pooled", _("pooled price per asset type")


class Product(models.Model):
    """Produkt/tjänst: an item of the service catalogue."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    governance_object = models.ForeignKey(
        GovernanceObject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("governance object"),
    )
    category = models.CharField(
        _("revenue category"), max_length=20, choices=RevenueCategory.choices
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. device-month, account, extension")
    )
    price_model = models.CharField(_("price model"), max_length=20, choices=PriceModel.choices)
    allocation_key = models.ForeignKey(
        AllocationKey,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("allocation key"),
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("25.00")
    )
    rounding = models.CharField(
        _("unit price rounding"), max_length=12, choices=Rounding.choices, default=Rounding.ORE
    )
    markup_percent = models.DecimalField(
        _("administrative mark-up (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("Added to the cost of a pass-through product."),
    )
    rent_basis = models.CharField(
        _("rent basis"),
        max_length=20,
        choices=RentBasis.choices,
        default=RentBasis.OWN_CAPITAL_COST,
        help_text=_("For a rent product: each device's own capital cost, or one pooled price."),
    )
    billing_period = models.CharField(
        _("billed"),
        max_length=10,
        choices=[("month", _("monthly")), ("quarter", _("quarterly"))],
        default="month",
    )
    billing_timing = models.CharField(
        _("billed in"),
        max_length=10,
        choices=[("advance", _("advance")), ("arrears", _("arrears"))],
        default="arrears",
    )
    invoice_level = models.CharField(
        _("invoiced to"),
        max_length=12,
        choices=[
            ("member", _("the member's invoice recipient")),
            ("organisation", _("each organisation")),
        ],
        default="organisation",
    )
    unit_code = models.CharField(
        _("unit code (e-invoice)"),
        max_length=6,
        default="EA",
        help_text=_("UN/ECE Recommendation 20, e.g. EA (each), MON (month), C62 (one)."),
    )
    settlement_key = models.ForeignKey(
        AllocationKey,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settled_products",
        verbose_name=_("settlement key"),
        help_text=_("Empty: the year-end difference is split by what each member was billed."),
    )
    revenue_account = models.CharField(
        _("revenue account"),
        max_length=10,
        blank=True,
        help_text=_("Empty: the federation's default revenue account."),
    )
    cost_account = models.CharField(
        _("members' cost account"),
        max_length=10,
        blank=True,
        help_text=_("Where the members book it; empty: each member's default cost account."),
    )
    description = models.TextField(_("what is included"), blank=True)

    class Meta:
        ordering = ["governance_object__name", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(price_model="allocated")
                | models.Q(allocation_key__isnull=False),
                name="product_allocated_needs_key",
            ),
            models.CheckConstraint(
                condition=models.Q(vat_rate__gte=0, vat_rate__lte=100), name="product_vat_range"
            ),
            models.CheckConstraint(
                condition=models.Q(markup_percent__gte=0), name="product_markup_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CostPool(models.Model):
    """Påverkbar kostnad: one of the federation's own cost pools, spread onto products."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff")
        CENTRAL_IT = "central_it", _("central IT environment")
        PREMISES = "premises", _("premises")
        OVERHEAD = "overhead", _("overhead")
        AUDIT = "audit", _("audit")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Basis(models.TextChoices):
        PERCENT = "percent", _("percent of the pool")
        DRIVER = "driver", _("driver quantity (e.g. staff hours)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    basis = models.CharField(
        _("spread by"), max_length=10, choices=Basis.choices, default=Basis.PERCENT
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cost pool")
        verbose_name_plural = _("cost pools")

    def __str__(self) -> str:
        return self.name


class PricingGuideline(models.Model):
    """Riktlinje för prissättning: the rule under which a price is set, and who decided it."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    text = models.TextField(_("guideline"))
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        related_name="pricing_guidelines",
        verbose_name=_("decision"),
    )
    object_owner_may_decide = models.BooleanField(
        _("object owner may change prices within it"),
        default=False,
        help_text=_("Otherwise every price change during the year needs a board decision."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("pricing guideline")
        verbose_name_plural = _("pricing guidelines")

    def __str__(self) -> str:
        return self.name


class ProductPrice(AmountInOre, models.Model):
    """Pris: a product's unit price from a date, set under a guideline (and a decision)."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="prices", verbose_name=_("product")
    )
    valid_from = models.DateField(_("valid from"))
    amount_ore = models.BigIntegerField(_("unit price (öre)"))
    guideline = models.ForeignKey(
        PricingGuideline,
        on_delete=models.PROTECT,
        related_name="prices",
        verbose_name=_("pricing guideline"),
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="product_prices",
        verbose_name=_("decision"),
        help_text=_("Required for a price that changes during the year."),
    )

    class Meta:
        ordering = ["product", "valid_from"]
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "valid_from"], name="productprice_unique"),
            models.CheckConstraint(
                condition=models.Q(amount_ore__gte=0), name="productprice_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.valid_from}: {self.amount}"
