"""A budget (for one year, with two plan years): its inputs, stored as integer öre.

The budget holds what the economist decides or estimates — direct costs, cost pools, overhead
shares, service consumption, volumes, staff posts and yearly parameters. Full costs, prices,
object sub-budgets and the income statement are computed from these (``reports/pricing.py``),
never stored, so they cannot drift apart from their inputs.

Integer öre, not decimal columns: SQLite sums decimal columns in floating point and drifts;
integers add up exactly on every database.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.apps.amounts import AmountInOre
from samkalk.apps.catalogue.models import CostPool, Product
from samkalk.apps.federation.models import Decision, Member


class Budget(models.Model):
    """Budget för ett år (with plan for the two following years)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PROPOSED = "proposed", _("proposed")
        ADOPTED = "adopted", _("adopted")

    year = models.PositiveSmallIntegerField(_("budget year"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets",
        verbose_name=_("decision"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="adopted") | models.Q(decision__isnull=False),
                name="budget_adopted_needs_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Budget')} {self.year}"


class BudgetVersion(models.Model):
    """Budgetversion: the budget's figures frozen when it is saved as draft, proposed or adopted.

    The budget itself stays editable until adopted; each version keeps what was shown to whom
    (e.g. "proposed to the board 2025-02-27") so later changes can be compared with it.
    """

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="versions", verbose_name=_("budget")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Budget.Status.choices)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_versions",
        verbose_name=_("decision"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))
    created_by = models.CharField(_("created by"), max_length=150)
    figures = models.JSONField(_("figures"))

    class Meta:
        ordering = ["budget", "number"]
        verbose_name = _("budget version")
        verbose_name_plural = _("budget versions")
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="budgetversion_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="adopted") | models.Q(decision__isnull=False),
                name="budgetversion_adopted_needs_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget} v{self.number} ({self.status})"


class BudgetYear(AmountInOre, models.Model):
    """The parameters of one year of a budget: indexation and the staff budget's percentages."""

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="years", verbose_name=_("budget")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    salary_increase_percent = models.DecimalField(
        _("salary increase (%)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    price_index_percent = models.DecimalField(
        _("price index (%)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    holiday_pay_percent = models.DecimalField(
        _("holiday pay (%)"), max_digits=6, decimal_places=3, default=Decimal(0)
    )
    employer_contribution_percent = models.DecimalField(
        _("employer contributions (%)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("31.42"),
    )
    pension_percent = models.DecimalField(
        _("pension (%)"), max_digits=6, decimal_places=3, default=Decimal(0)
    )
    insurance_percent = models.DecimalField(
        _("insurance (%)"), max_digits=6, decimal_places=3, default=Decimal(0)
    )
    absence_deduction_percent = models.DecimalField(
        _("absence deduction (%)"), max_digits=6, decimal_places=3, default=Decimal(0)
    )
    hired_staff_ore = models.BigIntegerField(_("hired staff (öre)"), default=0)
    other_staff_costs_ore = models.BigIntegerField(_("other staff-related costs (öre)"), default=0)

    class Meta:
        ordering = ["budget", "year"]
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        constraints = [
            models.UniqueConstraint(fields=["budget", "year"], name="budgetyear_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.year}"


class StaffPost(AmountInOre, models.Model):
    """Befattning: a post of the staff budget with its FTE percentage and monthly salary."""

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="posts", verbose_name=_("budget")
    )
    code = models.SlugField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    fte_percent = models.DecimalField(_("FTE (%)"), max_digits=6, decimal_places=2)
    amount_ore = models.BigIntegerField(_("monthly salary (öre)"))
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["budget", "code"]
        verbose_name = _("staff post")
        verbose_name_plural = _("staff posts")
        constraints = [
            models.UniqueConstraint(fields=["budget", "code"], name="staffpost_unique"),
            models.CheckConstraint(
                condition=models.Q(fte_percent__gte=0, fte_percent__lte=100),
                name="staffpost_fte_range",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_ore__gte=0), name="staffpost_salary_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.fte_percent} %"


class DirectCost(AmountInOre, models.Model):
    """Direkt kostnad: a product's supplier cost (licences, support contracts …) in one year.

    The budget year's lines are the basis; a plan year without a line of its own is the budget
    year's amount indexed by the price index (a line for a plan year overrides that). A line of
    kind ``equity_use`` is a reduction financed by the federation's equity: it lowers what the
    product charges and appears in the income statement as planned use of equity, not as a cost.
    """

    class Kind(models.TextChoices):
        LICENCE = "licence", _("licences")
        SUPPORT = "support", _("support contracts")
        SERVICE = "service", _("services bought")
        OTHER = "other", _("other direct costs")
        EQUITY_USE = "equity_use", _("use of equity")

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="direct_costs", verbose_name=_("budget")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="direct_costs", verbose_name=_("product")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    amount_ore = models.BigIntegerField(_("amount (öre)"))
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["budget", "product", "year", "kind"]
        verbose_name = _("direct cost")
        verbose_name_plural = _("direct costs")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "product", "year", "kind"], name="directcost_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="equity_use", amount_ore__lte=0)
                | ~models.Q(kind="equity_use"),
                name="directcost_equity_use_reduces",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.product_id} {self.year} {self.kind}"


class CostPoolLine(AmountInOre, models.Model):
    """A cost pool's budgeted amount for one year of a budget."""

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="pool_lines", verbose_name=_("budget")
    )
    cost_pool = models.ForeignKey(
        CostPool, on_delete=models.PROTECT, related_name="lines", verbose_name=_("cost pool")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount_ore = models.BigIntegerField(_("amount (öre)"))

    class Meta:
        ordering = ["budget", "cost_pool", "year"]
        verbose_name = _("cost pool line")
        verbose_name_plural = _("cost pool lines")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "cost_pool", "year"], name="costpoolline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.cost_pool_id} {self.year}"


class OverheadShare(models.Model):
    """Itsamtid: how much of a cost pool a product bears in a year (percent or driver quantity).

    A plan year without shares of its own uses the budget year's.
    """

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="overhead_shares", verbose_name=_("budget")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cost_pool = models.ForeignKey(
        CostPool, on_delete=models.CASCADE, related_name="shares", verbose_name=_("cost pool")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="overhead_shares", verbose_name=_("product")
    )
    weight = models.DecimalField(
        _("share"),
        max_digits=14,
        decimal_places=4,
        help_text=_("Percent of the pool, or the driver quantity when the pool is spread by one."),
    )
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Not a published figure: generated or estimated, and marked so in the UI."),
    )

    class Meta:
        ordering = ["budget", "year", "cost_pool", "product"]
        verbose_name = _("overhead share")
        verbose_name_plural = _("overhead shares")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "year", "cost_pool", "product"], name="overheadshare_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="overheadshare_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.cost_pool_id} → {self.product_id}: {self.weight}"


class Consumption(models.Model):
    """Tjänst till tjänst: a product takes over a percentage of another product's full cost."""

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="consumptions", verbose_name=_("budget")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    consumer = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="consumes", verbose_name=_("consumer")
    )
    provider = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="consumed_by", verbose_name=_("provider")
    )
    percent = models.DecimalField(_("share of provider (%)"), max_digits=9, decimal_places=4)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["budget", "year", "provider", "consumer"]
        verbose_name = _("service consumption")
        verbose_name_plural = _("service consumptions")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "year", "consumer", "provider"], name="consumption_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gt=0, percent__lte=100), name="consumption_range"
            ),
            models.CheckConstraint(
                condition=~models.Q(consumer=models.F("provider")), name="consumption_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.consumer_id} ← {self.provider_id}: {self.percent} %"


class Volume(models.Model):
    """Volym: a member's budgeted quantity of a product in a year (units, or ordered amount).

    The product's budgeted volume is the sum over the members. A plan year without volumes of
    its own uses the budget year's.
    """

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="volumes", verbose_name=_("budget")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="volumes", verbose_name=_("product")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="volumes", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=2)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["budget", "product", "member", "year"]
        verbose_name = _("volume")
        verbose_name_plural = _("volumes")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "product", "member", "year"], name="volume_unique"
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="volume_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.product_id} {self.member_id}: {self.quantity}"
