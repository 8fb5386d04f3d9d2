"""Loans with their amortisation plans, and guarantee frames (borgensramar), in integer öre."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.apps.amounts import AmountInOre
from samkalk.apps.federation.models import Decision


class Loan(AmountInOre, models.Model):
    """Lån: borrowed (or planned to be borrowed) to finance investments or use of equity."""

    class Purpose(models.TextChoices):
        INVESTMENTS = "investments", _("investments")
        EQUITY_USE = "equity_use", _("use of equity")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    lender = models.CharField(_("lender"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    amount_ore = models.BigIntegerField(_("amount (öre)"))
    borrowed_on = models.DateField(_("borrowed on"))
    rate_percent = models.DecimalField(_("interest rate (%)"), max_digits=7, decimal_places=4)
    planned = models.BooleanField(
        _("planned"), default=False, help_text=_("Budgeted borrowing, not yet taken up.")
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
        ordering = ["borrowed_on", "code"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_ore__gt=0), name="loan_positive"),
            models.CheckConstraint(
                condition=models.Q(rate_percent__gte=0), name="loan_rate_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.lender})"


class LoanAmortisation(AmountInOre, models.Model):
    """Amortering: a repayment of a loan on a date."""

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="amortisations", verbose_name=_("loan")
    )
    due_on = models.DateField(_("date"))
    amount_ore = models.BigIntegerField(_("amount (öre)"))

    class Meta:
        ordering = ["loan", "due_on"]
        verbose_name = _("amortisation")
        verbose_name_plural = _("amortisations")
        constraints = [
            models.UniqueConstraint(fields=["loan", "due_on"], name="amortisation_unique"),
            models.CheckConstraint(
                condition=models.Q(amount_ore__gt=0), name="amortisation_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.due_on}"


class GuaranteeFrame(AmountInOre, models.Model):
    """Borgensram: how much the members guarantee in total, from a date."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount_ore = models.BigIntegerField(_("amount (öre)"))
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
        ordering = ["-valid_from"]
        verbose_name = _("guarantee frame")
        verbose_name_plural = _("guarantee frames")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_ore__gte=0), name="guaranteeframe_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.amount}"
