"""Products (what members are charged for) and cost pools (the federation's own costs).

A product belongs to one of the revenue categories and has a price model: a unit price times a
quantity, an amount split by an allocation key, or a cost passed on as it is.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.apps.federation.models import AllocationKey
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
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cost pool")
        verbose_name_plural = _("cost pools")

    def __str__(self) -> str:
        return self.name


class OverheadShare(models.Model):
    """Itsamtid: how much of a cost pool a product bears in a budget year, in percent."""

    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    cost_pool = models.ForeignKey(
        CostPool, on_delete=models.CASCADE, related_name="shares", verbose_name=_("cost pool")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="overhead_shares", verbose_name=_("product")
    )
    share_percent = models.DecimalField(_("share (%)"), max_digits=9, decimal_places=4)
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Not a published figure: generated or estimated, and marked so in the UI."),
    )

    class Meta:
        ordering = ["budget_year", "cost_pool", "product"]
        verbose_name = _("overhead share")
        verbose_name_plural = _("overhead shares")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "cost_pool", "product"], name="overheadshare_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(share_percent__gte=0, share_percent__lte=100),
                name="overheadshare_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_year} {self.cost_pool_id} → {self.product_id}: {self.share_percent} %"
