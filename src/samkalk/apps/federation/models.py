"""Federation master data: who the federation is, who its members are, and how costs are keyed.

Plain records: ordinary models, written through the workbook import or the admin, both audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.core.allocation import SnapshotRule
from samkalk.core.identity import normalise_org_number, peppol_id_for, peppol_id_valid


def validate_org_number(value: str) -> None:
    if normalise_org_number(value) != value:
        raise ValidationError(
            _("%(value)s is not a valid organisation number (NNNNNN-NNNN with a Luhn check digit)"),
            params={"value": value},
        )


def validate_peppol_id(value: str) -> None:
    if not peppol_id_valid(value):
        raise ValidationError(
            _("%(value)s is not a Peppol participant ID such as 0007:2120000000"),
            params={"value": value},
        )


class Federation(models.Model):
    """Kommunalförbund or gemensam nämnd: the organisation that runs Samkalk (one per database)."""

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"), max_length=11, validators=[validate_org_number]
    )
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    peppol_id = models.CharField(
        _("Peppol ID"),
        max_length=60,
        blank=True,
        validators=[validate_peppol_id],
        help_text=_("Empty means 0007:<organisation number>."),
    )
    bankgiro = models.CharField(_("bankgiro"), max_length=12, blank=True)
    capitalisation_threshold_pba = models.DecimalField(
        _("capitalisation threshold (price base amounts)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "A purchase costing less than this multiple of the year's price base amount is an "
            "expense, not an asset."
        ),
    )
    minimum_life_months = models.PositiveSmallIntegerField(
        _("minimum useful life (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: no minimum. 36 is the rule 'useful life is at least three years'."),
    )
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30)
    invoice_prefix = models.CharField(
        _("invoice number prefix"),
        max_length=10,
        default="F",
        help_text=_(
            "Invoices are numbered <prefix><year>-<number>, credit notes K<year>-<number>."
        ),
    )
    receivable_account = models.CharField(_("accounts receivable"), max_length=10, default="1510")
    vat_account = models.CharField(_("output VAT account (25 %)"), max_length=10, default="2611")
    revenue_account = models.CharField(_("default revenue account"), max_length=10, default="3490")

    class Meta:
        verbose_name = _("federation")
        verbose_name_plural = _("federation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capitalisation_threshold_pba__gte=0),
                name="federation_threshold_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_life_months__isnull=True)
                | models.Q(minimum_life_months__gt=0),
                name="federation_minimum_life_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_peppol_id(self) -> str:
        return self.peppol_id or peppol_id_for(self.org_number)


class Member(models.Model):
    """Medlemskommun: a member municipality; owns the relationship and pays."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    org_number = models.CharField(
        _("organisation number"), max_length=11, unique=True, validators=[validate_org_number]
    )
    peppol_id = models.CharField(
        _("Peppol ID"),
        max_length=60,
        blank=True,
        validators=[validate_peppol_id],
        help_text=_("Empty means 0007:<organisation number>."),
    )
    is_host = models.BooleanField(
        _("host member"),
        default=False,
        help_text=_("In a joint committee, the member that employs the staff and invoices."),
    )
    # The member's own ledger, for the SIE file of what it bought (core.ledger.PurchaseAccounts)
    payable_account = models.CharField(
        _("accounts payable"), max_length=10, default="2440", help_text=_("In the member's ledger.")
    )
    input_vat_account = models.CharField(
        _("input VAT account (25 %)"),
        max_length=10,
        default="2641",
        help_text=_("In the member's ledger."),
    )
    cost_account = models.CharField(
        _("default cost account"),
        max_length=10,
        default="6540",
        help_text=_("In the member's ledger, for a product without its own cost account."),
    )
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Not a published figure: generated or estimated, and marked so in the UI."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name

    @property
    def effective_peppol_id(self) -> str:
        return self.peppol_id or peppol_id_for(self.org_number)


class Organisation(models.Model):
    """An invoiced unit under a member: a department, a school, a municipal company."""

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("administration")
        DEPARTMENT = "department", _("department")
        SCHOOL = "school", _("school")
        COMPANY = "company", _("municipal company")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    org_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Companies have their own; departments use the member's."),
    )
    buyer_reference = models.CharField(
        _("buyer reference"),
        max_length=100,
        blank=True,
        help_text=_("The reference the member's e-invoice routing needs."),
    )
    peppol_id = models.CharField(
        _("Peppol ID"), max_length=60, blank=True, validators=[validate_peppol_id]
    )
    receives_member_invoices = models.BooleanField(
        _("receives the member's invoices"),
        default=False,
        help_text=_("The organisation invoiced for what the member as a whole pays (one each)."),
    )
    # A company with books of its own (an organisation number other than the member's): its
    # accounts for the SIE file of what it bought; empty, the member's (core.ledger)
    payable_account = models.CharField(
        _("accounts payable"),
        max_length=10,
        blank=True,
        help_text=_("In a company's own ledger; empty: the member's."),
    )
    input_vat_account = models.CharField(
        _("input VAT account (25 %)"),
        max_length=10,
        blank=True,
        help_text=_("In a company's own ledger; empty: the member's."),
    )
    cost_account = models.CharField(
        _("cost account"),
        max_length=10,
        blank=True,
        help_text=_(
            "In a company's own ledger, for every product; empty: the member's cost accounts."
        ),
    )
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Not a published figure: generated or estimated, and marked so in the UI."),
    )

    class Meta:
        ordering = ["member__name", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["member", "name"], name="organisation_unique_name"),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(receives_member_invoices=True),
                name="organisation_one_member_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.member_id and self.member.name})"


class AllocationKey(models.Model):
    """Fördelningsnyckel: values per member (users, inhabitants, devices, fixed %) to split by."""

    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        PERCENT = "percent", _("percent")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("unit"),
        max_length=10,
        choices=Unit.choices,
        help_text=_("percent: each snapshot must add up to 100 %."),
    )
    description = models.TextField(_("description"), blank=True)
    snapshot_month = models.PositiveSmallIntegerField(_("snapshot month"), default=1)
    snapshot_day = models.PositiveSmallIntegerField(_("snapshot day"), default=1)
    snapshot_year_offset = models.SmallIntegerField(
        _("snapshot year offset"),
        default=-1,
        help_text=_("-1: the snapshot of the year before the year it is used for."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("allocation key")
        verbose_name_plural = _("allocation keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(snapshot_month__gte=1, snapshot_month__lte=12),
                name="allocationkey_month_range",
            ),
            models.CheckConstraint(
                condition=models.Q(snapshot_day__gte=1, snapshot_day__lte=31),
                name="allocationkey_day_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def snapshot_rule(self) -> SnapshotRule:
        return SnapshotRule(self.snapshot_month, self.snapshot_day, self.snapshot_year_offset)


class KeySnapshot(models.Model):
    """A key's value for one member as of a date (e.g. users on 1 January)."""

    key = models.ForeignKey(
        AllocationKey,
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("allocation key"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="key_snapshots", verbose_name=_("member")
    )
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Not a published figure: generated or estimated, and marked so in the UI."),
    )

    class Meta:
        ordering = ["key", "as_of", "member__name"]
        verbose_name = _("key value")
        verbose_name_plural = _("key values")
        constraints = [
            models.UniqueConstraint(fields=["key", "member", "as_of"], name="keysnapshot_unique"),
            models.CheckConstraint(
                condition=models.Q(value__gte=Decimal(0)), name="keysnapshot_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_id and self.key.code} {self.member_id and self.member.code} {self.as_of}"


class Decision(models.Model):
    """Beslut: a board or delegated decision (Dnr, date, §) that other records reference."""

    class Body(models.TextChoices):
        BOARD = "board", _("board")
        DELEGATED = "delegated", _("delegated")
        PREPARATORY_GROUP = "preparatory_group", _("preparatory group")
        STEERING_GROUP = "steering_group", _("steering group")

    reference = models.CharField(
        _("reference"),
        max_length=60,
        unique=True,
        help_text=_("How other records name this decision, e.g. DIR 2025-02-27 § 7."),
    )
    case_number = models.CharField(_("case number (Dnr)"), max_length=40)
    decided_on = models.DateField(_("date"))
    paragraph = models.CharField(_("paragraph (§)"), max_length=20, blank=True)
    body = models.CharField(_("decided by"), max_length=20, choices=Body.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("decision"), blank=True)

    class Meta:
        ordering = ["-decided_on", "reference"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"
