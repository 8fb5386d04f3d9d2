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

from samkalk.apps.amounts import AmountInOre
from samkalk.apps.budget.models import Budget
from samkalk.apps.catalogue.models import CostPool, Product
from samkalk.apps.federation.models import AllocationKey, Decision, Member
from samkalk.core.money import from_ore


class PriceBaseAmount(AmountInOre, models.Model):
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
    planned_growth_percent = models.DecimalField(
        _("planned growth (% a year)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("How much the fleet of this type is planned to grow each year."),
    )
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
    early_return_rule = models.CharField(
        _("on early return"),
        max_length=20,
        choices=[
            ("keep_in_pool", _("the remaining book value stays in the type's pool")),
            ("charge_member", _("the member buys out the remaining book value")),
        ],
        default="keep_in_pool",
    )
    billed_per_device = models.BooleanField(
        _("charged per device"),
        default=True,
        help_text=_(
            "Off: the devices are not charged to their holders month by month; their cost is "
            "priced into the rent product's own unit (e.g. student computers in the price per "
            "student account)."
        ),
    )
    cost_pool = models.ForeignKey(
        CostPool,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asset_types",
        verbose_name=_("cost pool carrying its capital cost"),
        help_text=_(
            "For assets no product rents out (servers, network): their capital cost is part "
            "of this pool and spread with it."
        ),
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
            models.CheckConstraint(
                condition=models.Q(rent_product__isnull=True) | models.Q(cost_pool__isnull=True),
                name="assettype_one_capital_carrier",
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
    decided = models.BooleanField(
        _("decided"),
        default=False,
        help_text=_(
            "Decided to be carried out. Unspecified investments above six price base "
            "amounts in a year need a board decision."
        ),
    )
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


class InvestmentLine(AmountInOre, models.Model):
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


class InterestBasis(models.TextChoices):
    BOOK_VALUE = "book_value", _("on book value (nominal method)")
    ACQUISITION_COST = "acquisition_cost", _("on acquisition cost")
    ANNUITY = "annuity", _("annuity (equal capital cost)")


class CapitalCostRule(models.Model):
    """Kapitalkostnadsregel: the interest a year's capital cost uses, and on what basis."""

    class RateSource(models.TextChoices):
        INTERNAL = "internal", _("internal rate decided by the federation")
        LOAN_AVERAGE = "loan_average", _("actual average loan rate")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    rate_source = models.CharField(
        _("interest rate"), max_length=20, choices=RateSource.choices, default=RateSource.INTERNAL
    )
    internal_rate_percent = models.DecimalField(
        _("internal rate (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    interest_basis = models.CharField(
        _("interest basis"),
        max_length=20,
        choices=InterestBasis.choices,
        default=InterestBasis.BOOK_VALUE,
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("capital cost rule")
        verbose_name_plural = _("capital cost rules")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rate_source="internal")
                | models.Q(internal_rate_percent__isnull=False),
                name="capitalcostrule_internal_needs_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_rate_source_display()}"


class Asset(models.Model):
    """Tillgång: a device or installation the federation owns and leases to a member."""

    class Status(models.TextChoices):
        IN_STOCK = "in_stock", _("in stock")
        LEASED = "leased", _("leased")
        RETURNED = "returned", _("returned")
        SOLD = "sold", _("sold")
        SCRAPPED = "scrapped", _("scrapped")

    tag = models.CharField(_("inventory number"), max_length=64, unique=True)
    asset_type = models.ForeignKey(
        AssetType, on_delete=models.PROTECT, related_name="assets", verbose_name=_("asset type")
    )
    model = models.CharField(_("model"), max_length=200, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    purchase = models.CharField(
        _("purchase"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_(
            "The order or invoice the asset was bought on; the capitalisation threshold "
            "applies to a whole purchase."
        ),
    )
    acquired_on = models.DateField(_("acquired on"), db_index=True)
    acquisition_cost_ore = models.BigIntegerField(_("acquisition cost (öre)"))
    organisation = models.ForeignKey(
        "federation.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("holder"),
    )
    lease_start = models.DateField(_("lease start"), null=True, blank=True)
    lease_end = models.DateField(_("lease end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    disposal_proceeds_ore = models.BigIntegerField(
        _("disposal proceeds (öre)"), null=True, blank=True
    )
    direct_purchase = models.BooleanField(_("direct purchase"), default=False)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision"),
    )
    investment = models.ForeignKey(
        Investment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("investment"),
    )

    class Meta:
        ordering = ["tag"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acquisition_cost_ore__gte=0), name="asset_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["sold", "scrapped"])
                | models.Q(disposed_on__isnull=False),
                name="asset_disposal_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="leased") | models.Q(organisation__isnull=False),
                name="asset_leased_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.tag

    @property
    def acquisition_cost(self) -> Decimal:
        return from_ore(self.acquisition_cost_ore)
