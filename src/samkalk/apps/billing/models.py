"""Billing: what members called off, costs passed on, billing runs, invoices and their lines.

A posted run and its invoices are never changed: the run's period is unique (a second run of
the same month is refused by the database, not only by a check) and a correction is a credit
note that refers to the invoice it corrects. Amounts are integer öre.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.apps.amounts import AmountInOre
from samkalk.apps.catalogue.models import CostPool, Product
from samkalk.apps.federation.models import Member, Organisation
from samkalk.core.billing import Devices


class Usage(models.Model):
    """Avrop: the quantity of a product an organisation called off in a month."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="usage", verbose_name=_("organisation")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="usage", verbose_name=_("product")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=2)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["month", "organisation", "product"]
        verbose_name = _("usage")
        verbose_name_plural = _("usage")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "product", "month"], name="usage_unique"
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="usage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.organisation_id} {self.product_id}: {self.quantity}"


class PassThroughCost(AmountInOre, models.Model):
    """Vidarefakturering: a supplier's cost the federation passes on to one organisation."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="pass_through_costs",
        verbose_name=_("organisation"),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="pass_through_costs",
        verbose_name=_("product"),
    )
    incurred_on = models.DateField(_("date"))
    amount_ore = models.BigIntegerField(_("amount (öre)"))
    description = models.CharField(_("description"), max_length=300)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["incurred_on", "code"]
        verbose_name = _("pass-through cost")
        verbose_name_plural = _("pass-through costs")

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"


class ActualCost(AmountInOre, models.Model):
    """Utfall: the accounts' actual cost of a year for a product or a cost pool.

    A row that names a member is a cost that member alone bears (a committee's fees, say).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actual_costs",
        verbose_name=_("product"),
    )
    cost_pool = models.ForeignKey(
        CostPool,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actual_costs",
        verbose_name=_("cost pool"),
    )
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actual_costs",
        verbose_name=_("borne by member alone"),
    )
    amount_ore = models.BigIntegerField(_("amount (öre)"))
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["year", "product", "cost_pool", "member"]
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(product__isnull=False, cost_pool__isnull=True)
                    | models.Q(product__isnull=True, cost_pool__isnull=False)
                ),
                name="actualcost_product_or_pool",
            ),
            models.UniqueConstraint(
                fields=["year", "product", "cost_pool", "member"],
                name="actualcost_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.product_id or self.cost_pool_id}: {self.amount}"


class BillingRun(models.Model):
    """Debiteringskörning: the posted invoices of one month (or a year's settlement)."""

    class Kind(models.TextChoices):
        MONTH = "month", _("monthly run")
        SETTLEMENT = "settlement", _("year-end settlement")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    period = models.DateField(_("period"), help_text=_("The month billed (its first day)."))
    posted_at = models.DateTimeField(_("posted"))
    posted_by = models.CharField(_("posted by"), max_length=150)
    net_ore = models.BigIntegerField(_("net (öre)"))
    vat_ore = models.BigIntegerField(_("VAT (öre)"))
    total_ore = models.BigIntegerField(_("total (öre)"))

    class Meta:
        ordering = ["-period", "kind"]
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="billingrun_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period:%Y-%m}"


class Invoice(models.Model):
    """Faktura or kreditnota: numbered when posted, never changed afterwards."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("invoice")
        CREDIT_NOTE = "credit_note", _("credit note")

    run = models.ForeignKey(
        BillingRun,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("billing run"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("recipient")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("member")
    )
    issue_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    buyer_reference = models.CharField(_("buyer reference"), max_length=100)
    net_ore = models.BigIntegerField(_("net (öre)"))
    vat_ore = models.BigIntegerField(_("VAT (öre)"))
    total_ore = models.BigIntegerField(_("total (öre)"))
    credits = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("credits invoice"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issue_date", "number"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="credit_note")
                | models.Q(credits__isnull=False)
                | models.Q(run__isnull=False),
                name="invoice_credit_note_refers",
            ),
            models.CheckConstraint(
                condition=models.Q(total_ore=models.F("net_ore") + models.F("vat_ore")),
                name="invoice_total_is_net_plus_vat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.organisation_id}"

    @property
    def total(self) -> Decimal:
        from samkalk.core.money import from_ore

        return from_ore(self.total_ore)


class InvoiceLine(models.Model):
    """Fakturarad with what it rests on: the source, the basis and (for devices) the devices."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="invoice_lines", verbose_name=_("product")
    )
    source = models.CharField(_("source"), max_length=20)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=2)
    unit_code = models.CharField(_("unit"), max_length=10)
    unit_price_ore = models.BigIntegerField(_("unit price (öre)"))
    amount_ore = models.BigIntegerField(_("amount (öre)"))
    vat_percent = models.DecimalField(_("VAT (%)"), max_digits=5, decimal_places=2)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    devices = models.JSONField(_("devices"), default=dict, blank=True)  # ``stored_devices``

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoiceline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}:{self.position}"

    @staticmethod
    def stored_devices(devices: Devices, groups: Mapping[str, int]) -> dict[str, object]:
        """``devices`` as the JSON of ``devices``: each part's billed group (its id in
        ``groups``, by key) and the fee each of its devices pays, or null for its own rent."""
        if not devices.count:
            return {}
        return {
            "parts": [
                [groups[group.key], None if fee is None else str(fee)]
                for group, fee in devices.parts
            ]
        }

    def stored_parts(self) -> list[tuple[str, Decimal | None]]:
        """The stored parts as (billed group id as text, fee or None)."""
        return [
            (str(group), None if fee is None else Decimal(fee))
            for group, fee in (self.devices or {}).get("parts", ())
        ]


class BilledDeviceGroup(models.Model):
    """The devices of one asset type that one organisation held on the 1st of a month, as a
    posted run billed them (a type's direct purchases apart): their number, their rents, and
    each device with its rent — what the run's lines itemise.

    The devices are kept in the group's row, as two lists in step (inventory numbers, rents in
    öre), not a row each: the database sums and lists a national run's million devices in one
    statement, and a line is explained by reading its few groups."""

    run = models.ForeignKey(
        BillingRun, on_delete=models.PROTECT, related_name="device_groups", verbose_name=_("run")
    )
    month = models.DateField(_("month"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    asset_type = models.ForeignKey(
        "assets.AssetType",
        on_delete=models.PROTECT,
        null=True,  # itemisations stored before the groups were, one group per line
        related_name="+",
        verbose_name=_("asset type"),
    )
    direct_purchase = models.BooleanField(_("direct purchase"), default=False)
    count = models.PositiveIntegerField(_("devices"))
    rent_ore = models.BigIntegerField(_("rent (öre)"))
    each_ore = models.BigIntegerField(_("rent each (öre)"), null=True)  # null: rents differ
    tags = models.JSONField(_("inventory numbers"), default=list)
    amounts = models.JSONField(_("rents (öre)"), default=list)  # in step with ``tags``

    class Meta:
        verbose_name = _("billed device group")
        verbose_name_plural = _("billed device groups")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "month", "organisation", "asset_type", "direct_purchase"],
                name="billeddevicegroup_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.month:%Y-%m}:{self.organisation_id}:{self.asset_type_id}"
