"""A budget (for one year, with two plan years) and its amounts, stored as integer öre.

Integer öre, not decimal columns: SQLite sums decimal columns in floating point and drifts;
integers add up exactly on every database.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.apps.amounts import AmountInOre
from samkalk.apps.catalogue.models import CostPool, Product
from samkalk.apps.federation.models import Decision


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


class BudgetLine(AmountInOre, models.Model):
    """A product's budgeted amount (full cost = expected revenue) for one year of a budget."""

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="lines", verbose_name=_("budget")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("product")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount_ore = models.BigIntegerField(_("amount (öre)"))

    class Meta:
        ordering = ["budget", "product", "year"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["budget", "product", "year"], name="budgetline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.product_id} {self.year}"


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
