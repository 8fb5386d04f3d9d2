"""Asset types, price base amounts and the investment plan.

The investment plan is kept per budget: each planned investment (a line of the plan, such as
"computers and tablets" or the development pool) has amounts per year, for the budget year, its
plan years and the comparison years before it. An investment is either common — its capital cost
is shared between members by an allocation key — or belongs to one member alone.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.apps.budget.models import Budget
from samkalk.apps.catalogue.models import Product
from samkalk.apps.federation.models import AllocationKey, Decision, Member
from samkalk.core.money import from_ore


class PriceBaseAmount(models.Model):
    """Prisbasbelopp: the statutory yearly amount that thresholds are multiples of."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount_ore = models.BigIntegerField(_("amount (öre)"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("price base amount")
        verbose_name_plural = _("price base amounts")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_ore__gt=0), name="pba_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"

    @property
    def amount(self) -> Decimal:
        return from_ore(self.amount_ore)


class ActivationConvention(models.TextChoices):
    ACQUISITION_MONTH = "acquisition_month", _("from the month of acquisition")
    FOLLOWING_MONTH = "following_month", _("from the month after acquisition")
    HALF_YEAR = "half_year", _("half-year convention")


class AssetType(models.Model):
    """Tillgångstyp: computers, phones, access points …, with the federation's defaults."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    depreciation_months = models.PositiveSmallIntegerField(
        _("depreciation time (months)"),
        null=True,
        blank=True,
        help_text=_("Empty while not yet known (e.g. an unspecified development pool)."),
    )
    activation_convention = models.CharField(
        _("activation convention"),
        max_length=20,
        choices=ActivationConvention.choices,
        default=ActivationConvention.FOLLOWING_MONTH,
    )
    direct_purchase_allowed = models.BooleanField(_("direct purchase allowed"), default=False)
    rent_product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rent product"),
    )
    support_product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("support fee product"),
    )
    licence_product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("licence fee product"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("asset type")
        verbose_name_plural = _("asset types")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(depreciation_months__isnull=True)
                | models.Q(depreciation_months__gt=0),
                name="assettype_life_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Investment(models.Model):
    """A line of the investment plan (investeringsbudget), e.g. "Datorer och surfplattor"."""

    class Scope(models.TextChoices):
        COMMON = "common", _("common (shared by key)")
        MEMBER = "member", _("one member's")

    class Financing(models.TextChoices):
        LOAN = "loan", _("loan")
        FINANCIAL_LEASE = "financial_lease", _("financial lease")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    asset_type = models.ForeignKey(
        AssetType,
        on_delete=models.PROTECT,
        related_name="investments",
        verbose_name=_("asset type"),
    )
    depreciation_months = models.PositiveSmallIntegerField(
        _("depreciation time (months)"),
        null=True,
        blank=True,
        help_text=_("Empty means the asset type's."),
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.COMMON)
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investments",
        verbose_name=_("member"),
    )
    allocation_key = models.ForeignKey(
        AllocationKey,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("allocation key"),
    )
    financing = models.CharField(
        _("financing"), max_length=20, choices=Financing.choices, default=Financing.LOAN
    )
    development_pool = models.BooleanField(_("development pool"), default=False)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["financing", "name"]
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scope="member") & models.Q(member__isnull=False))
                | (models.Q(scope="common") & models.Q(member__isnull=True)),
                name="investment_scope_member",
            ),
            models.CheckConstraint(
                condition=models.Q(depreciation_months__isnull=True)
                | models.Q(depreciation_months__gt=0),
                name="investment_life_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_depreciation_months(self) -> int | None:
        return self.depreciation_months or self.asset_type.depreciation_months


class InvestmentLine(models.Model):
    """An investment's planned amount for one year of a budget's plan (or a comparison year)."""

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="investment_lines", verbose_name=_("budget")
    )
    investment = models.ForeignKey(
        Investment, on_delete=models.PROTECT, related_name="lines", verbose_name=_("investment")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount_ore = models.BigIntegerField(_("amount (öre)"))

    class Meta:
        ordering = ["budget", "investment", "year"]
        verbose_name = _("investment plan line")
        verbose_name_plural = _("investment plan lines")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "investment", "year"], name="investmentline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.investment_id} {self.year}"

    @property
    def amount(self) -> Decimal:
        return from_ore(self.amount_ore)
