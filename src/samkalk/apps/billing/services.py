"""Billing state changes: preview a month, post it, credit an invoice.

``billing_preview`` computes a month's drafts without writing anything and sets them beside the
previous month's posted amounts per recipient and product. ``billing_run_post`` computes and
writes the run in one transaction: the run, numbered invoices, their lines and the audit rows —
all of it or nothing. The run's month is unique in the database, and the run first locks the
federation's row, so of two runs started at once one proceeds and the other is refused.
``invoice_credit`` corrects a posted invoice with a credit note that refers to it; the invoice
itself is never changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Max, Q
from django.db.models.functions import Length
from django.utils import timezone

from samkalk.apps.audit.services import actor_label, audit_record, audit_record_many, snapshot
from samkalk.apps.billing.itemisation import store_device_groups
from samkalk.apps.billing.models import BillingRun, Invoice, InvoiceLine
from samkalk.apps.billing.selectors import (
    billing_products,
    device_months,
    previous_amounts,
    run_input,
)
from samkalk.apps.bulk import insert_rows, json_text
from samkalk.apps.catalogue.models import Product
from samkalk.apps.federation.models import Federation, Member, Organisation
from samkalk.collection import collection_paused
from samkalk.core import billing as core
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, from_ore, to_ore

CREDIT_PREFIX = "K"


class BillingError(ValueError):
    def __init__(self, error: CoreError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True, slots=True)
class Difference:
    recipient: str
    product: str
    previous: int  # öre
    current: int  # öre

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True, slots=True)
class Preview:
    month: dt.date
    drafts: tuple[core.DraftInvoice, ...]
    differences: tuple[Difference, ...]
    errors: tuple[CoreError, ...]

    @property
    def total(self) -> Any:
        return sum((d.total for d in self.drafts), ZERO)


def billing_preview(month: dt.date, run: BillingRun | None = None) -> Preview:
    """The month's invoices as they would be posted, and the change against last month; with
    ``run``, being posted, its devices as it wrote them down.

    Months of the year already posted are billed again with today's records when anything
    has changed since they were posted (a back-dated order, a corrected quantity); what differs
    from what was billed for them becomes an adjustment line of this run.
    """
    month = month.replace(day=1)
    with collection_paused():
        prepared = run_input(month, run)
        adjustments = _adjustments(month)
        data = replace(prepared.data, charges=(*prepared.data.charges, *adjustments))
        drafts, errors = core.bill_month(data)
    current: dict[tuple[str, str], int] = {}
    for draft in drafts:
        for line in draft.lines:
            key = (draft.recipient, line.product)
            current[key] = current.get(key, 0) + to_ore(line.amount)
    before = previous_amounts(month)
    differences = tuple(
        Difference(recipient, product, before.get((recipient, product), 0), amount)
        for (recipient, product), amount in sorted({**before, **current}.items())
        if before.get((recipient, product), 0) != current.get((recipient, product), 0)
        for amount in [current.get((recipient, product), 0)]
    )
    return Preview(month, drafts, differences, (*prepared.errors, *errors))


def _billed(month: dt.date) -> dict[tuple[str, str, str], int]:
    """(recipient, member, product) → öre billed for ``month``: its own run's lines and the
    adjustments later runs made for it, less credit notes."""
    from samkalk.apps.billing.models import InvoiceLine

    sums: dict[tuple[str, str, str], int] = {}
    own = Q(invoice__run__kind=BillingRun.Kind.MONTH, invoice__run__period=month) & ~Q(
        source=core.LineSource.ADJUSTMENT
    )
    later = Q(source=core.LineSource.ADJUSTMENT, period_start=month)
    credited = Q(
        invoice__credits__run__kind=BillingRun.Kind.MONTH, invoice__credits__run__period=month
    )
    rows = InvoiceLine.objects.filter(own | later | credited).values_list(
        "invoice__organisation__code",
        "invoice__member__code",
        "product__code",
        "amount_ore",
        "invoice__kind",
        "source",
        "period_start",
        "invoice__credits__run__period",
    )
    for org, member, product, ore, kind, source, start, credited_period in rows:
        adjustment = source == core.LineSource.ADJUSTMENT
        if kind == Invoice.Kind.CREDIT_NOTE:
            if (adjustment and start != month) or (not adjustment and credited_period != month):
                continue
            ore = -ore
        key = (org, member, product)
        sums[key] = sums.get(key, 0) + ore
    return sums


def _adjustments(month: dt.date) -> tuple[core.Charge, ...]:
    """Adjustment charges for the year's earlier posted months that would now bill otherwise.

    A month is billed again only when records changed after it was posted (the audit trail
    says so), so an unchanged year costs one query.
    """
    from samkalk.apps.audit.models import AuditEntry

    runs = BillingRun.objects.filter(
        kind=BillingRun.Kind.MONTH, period__year=month.year, period__lt=month
    ).order_by("period")
    what_bills = Q(model__in=("billing.usage", "billing.passthroughcost")) | Q(
        model__regex=r"^(assets|catalogue|federation|budget)\."
    )
    changed_at = AuditEntry.objects.filter(what_bills).aggregate(last=Max("at"))["last"]
    result: list[core.Charge] = []
    for run in runs:
        if changed_at is None or changed_at <= run.posted_at:
            continue
        drafts, _ = core.bill_month(run_input(run.period).data)
        now: dict[tuple[str, str, str], int] = {}
        for draft in drafts:
            for line in draft.lines:
                key = (draft.recipient, draft.member, line.product)
                now[key] = now.get(key, 0) + to_ore(line.amount)
        billed = _billed(run.period)
        for key in sorted(set(now) | set(billed)):
            difference = now.get(key, 0) - billed.get(key, 0)
            if difference:
                org, member, product = key
                result.append(
                    core.Charge(
                        org,
                        member,
                        product,
                        core.LineSource.ADJUSTMENT,
                        from_ore(difference),
                        f"Justering {run.period:%Y-%m}",
                        run.period,
                    )
                )
    return tuple(result)


def _next_numbers(prefix: str, year: int, count: int) -> list[str]:
    """``count`` new numbers of a series; call inside the run's transaction and lock."""
    start = f"{prefix}{year}-"
    last = (
        Invoice.objects.filter(number__startswith=start)
        .annotate(width=Length("number"))
        .order_by("-width", "-number")
        .values_list("number", flat=True)
        .first()
    )  # by width first, so 100000 comes after 99999
    first = int(last[len(start) :]) + 1 if last else 1
    return [f"{start}{n:05d}" for n in range(first, first + count)]


def billing_run_post(
    month: dt.date, *, actor: Any, via: str = "web", issue_date: dt.date | None = None
) -> BillingRun:
    """Post the run of ``month``: numbered, immutable invoices; refused if already posted."""
    month = month.replace(day=1)
    issue_date = issue_date or timezone.localdate()
    try:
        with collection_paused(), transaction.atomic():
            federation = Federation.objects.select_for_update().first()
            if federation is None:
                raise BillingError(CoreError("billing.no_federation", "no federation is set up"))
            if BillingRun.objects.filter(kind=BillingRun.Kind.MONTH, period=month).exists():
                raise BillingError(_already(month))
            run = open_run(BillingRun.Kind.MONTH, month, actor)
            groups = store_device_groups(run, device_months(billing_products(), month))
            preview = billing_preview(month, run)
            blocking = [e for e in (*_sendable(federation), *preview.errors) if e.code in BLOCKING]
            if blocking:
                raise BillingError(blocking[0])
            return _write_run(federation, run, groups, preview, actor, via, issue_date)
    except IntegrityError as exc:
        if BillingRun.objects.filter(kind=BillingRun.Kind.MONTH, period=month).count():
            raise BillingError(_already(month)) from exc  # the other of two runs won
        raise BillingError(
            CoreError("billing.integrity", f"the run of {month:%Y-%m} broke a rule: {exc}")
        ) from exc


def open_run(kind: str, period: dt.date, actor: Any) -> BillingRun:
    """A run being posted, inside its transaction: its sums follow once its invoices are made
    (its device groups and invoices refer to it first)."""
    return BillingRun.objects.create(
        kind=kind,
        period=period,
        posted_at=timezone.now(),
        posted_by=actor_label(actor),
        net_ore=0,
        vat_ore=0,
        total_ore=0,
    )


BLOCKING = frozenset(
    {
        "billing.no_recipient",
        "billing.no_price",
        "billing.unknown_product",
        "billing.no_bankgiro",
    }
)


def _sendable(federation: Federation) -> list[CoreError]:
    """What would make every e-invoice of the run fail the rules: checked before numbering."""
    digits = "".join(ch for ch in federation.bankgiro if ch.isdigit())
    if not 7 <= len(digits) <= 8:
        return [
            CoreError(
                "billing.no_bankgiro",
                "the federation's bankgiro (7 or 8 digits) is missing: e-invoices need it",
            )
        ]
    return []


def _already(month: dt.date) -> CoreError:
    return CoreError("billing.already_posted", f"the run of {month:%Y-%m} is already posted")


def _write_run(
    federation: Federation,
    run: BillingRun,
    groups: dict[str, int],
    preview: Preview,
    actor: Any,
    via: str,
    issue_date: dt.date,
) -> BillingRun:
    """The run's invoices, lines (their devices by the ids of the run's ``groups``) and audit
    rows, and the run's sums."""
    drafts = [_as_invoice(d) for d in preview.drafts]
    run.net_ore = sum(to_ore(d.net) for d, _ in drafts)
    run.vat_ore = sum(to_ore(d.vat) for d, _ in drafts)
    run.total_ore = sum(to_ore(d.total) for d, _ in drafts)
    run.save(update_fields=["net_ore", "vat_ore", "total_ore"])
    numbers = iter(_next_numbers(federation.invoice_prefix, issue_date.year, len(drafts)))
    orgs = {o.code: o for o in Organisation.objects.select_related("member")}
    products = dict(Product.objects.values_list("code", "pk"))
    due = issue_date + dt.timedelta(days=federation.payment_terms_days)
    invoices = []
    for draft, kind in drafts:
        org = orgs[draft.recipient]
        invoice = Invoice(
            run=run,
            kind=kind,
            number=next(numbers),
            organisation=org,
            member=org.member,
            issue_date=issue_date,
            due_date=due,
            period_start=min(line.period_start for line in draft.lines),
            period_end=max(line.period_end for line in draft.lines),
            buyer_reference=org.buyer_reference or org.code,
            net_ore=to_ore(draft.net),
            vat_ore=to_ore(draft.vat),
            total_ore=to_ore(draft.total),
        )
        invoices.append((invoice, draft))
    Invoice.objects.bulk_create([i for i, _ in invoices])
    _insert_lines(invoices, products, groups)
    changes: list[tuple[str, Any, None, dict[str, Any]]] = [("create", run, None, snapshot(run))]
    changes += [("create", invoice, None, snapshot(invoice)) for invoice, _ in invoices]
    audit_record_many(actor=actor, via=via, changes=changes)
    assert run.total_ore == sum(i.total_ore for i, _ in invoices), "a run is its invoices"
    return run


def _as_invoice(draft: core.DraftInvoice) -> tuple[core.DraftInvoice, str]:
    """A draft with a negative total becomes a credit note with the signs turned."""
    if draft.total >= 0:
        return draft, Invoice.Kind.INVOICE
    turned = tuple(
        core.DraftLine(
            line.product,
            line.name,
            line.source,
            -line.quantity,
            line.unit_code,
            line.unit_price,
            -line.amount,
            line.vat_percent,
            line.period_start,
            line.period_end,
            line.note,
            line.devices,
        )
        for line in draft.lines
    )
    return (
        core.DraftInvoice(
            draft.recipient, draft.member, turned, -draft.net, -draft.vat, -draft.total
        ),
        Invoice.Kind.CREDIT_NOTE,
    )


_LINE_FIELDS = (
    "invoice", "position", "product", "source", "description", "quantity", "unit_code",
    "unit_price_ore", "amount_ore", "vat_percent", "period_start", "period_end", "note", "devices",
)  # fmt: skip


def _insert_lines(
    invoices: list[tuple[Invoice, core.DraftInvoice]],
    products: dict[str, int],
    groups: dict[str, int],
) -> int:
    """Every invoice's lines, as ``bulk_create`` would write them, in one go (``insert_rows``):
    a national run has a hundred thousand lines. Decimals, dates and the devices' groups (by
    their ids in ``groups``) go through their field's ``get_db_prep_save`` (see ``_prepared``
    and ``json_text``); integers and text are written as they are.
    """
    connection = connections[router.db_for_write(InvoiceLine)]
    meta = InvoiceLine._meta
    fields: list[Any] = [meta.get_field(name) for name in _LINE_FIELDS]
    quantity, vat, start, end = (
        _prepared(meta.get_field(name), connection)
        for name in ("quantity", "vat_percent", "period_start", "period_end")
    )
    itemised = json_text(meta.get_field("devices"), connection)
    none = itemised({})  # most lines bill no devices
    rows = []
    for invoice, draft in invoices:
        for i, line in enumerate(draft.lines, 1):
            devices = (
                itemised(InvoiceLine.stored_devices(line.devices, groups))
                if line.devices.count
                else none
            )
            row = (
                invoice.pk, i, products[line.product], str(line.source), line.name,
                quantity(line.quantity), line.unit_code, to_ore(line.unit_price),
                to_ore(line.amount), vat(line.vat_percent), start(line.period_start),
                end(line.period_end), line.note, devices,
            )  # fmt: skip
            rows.append(row)
    return insert_rows(connection, InvoiceLine, fields, rows)


def _prepared(field: Any, connection: Any) -> Callable[[Any], Any]:
    """``field.get_db_prep_save`` remembered per value: a run's lines share a few dates, VAT
    rates and quantities, and Django converts each value in microseconds — seconds over a
    national run."""
    prep = field.get_db_prep_save
    known: dict[Any, Any] = {}

    def prepared(value: Any) -> Any:
        try:
            return known[value]
        except KeyError:
            found = known[value] = prep(value, connection)
            return found

    return prepared


def invoice_credit(
    invoice: Invoice,
    *,
    reason: str,
    actor: Any,
    via: str = "web",
    issue_date: dt.date | None = None,
) -> Invoice:
    """A credit note for the whole of ``invoice``; the invoice itself stays as it was."""
    if invoice.kind != Invoice.Kind.INVOICE:
        raise BillingError(CoreError("billing.credit_a_credit", "only an invoice can be credited"))
    if not reason.strip():
        raise BillingError(CoreError("billing.reason_required", "a credit note states why"))
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        federation = Federation.objects.select_for_update().get()
        if Invoice.objects.filter(credits=invoice).exists():
            raise BillingError(
                CoreError("billing.already_credited", f"invoice {invoice.number} is credited")
            )
        (number,) = _next_numbers(CREDIT_PREFIX, issue_date.year, 1)
        note = Invoice.objects.create(
            run=None,
            kind=Invoice.Kind.CREDIT_NOTE,
            number=number,
            organisation=invoice.organisation,
            member=invoice.member,
            issue_date=issue_date,
            due_date=issue_date + dt.timedelta(days=federation.payment_terms_days),
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            buyer_reference=invoice.buyer_reference,
            net_ore=invoice.net_ore,
            vat_ore=invoice.vat_ore,
            total_ore=invoice.total_ore,
            credits=invoice,
            reason=reason.strip(),
        )
        copies = list(invoice.lines.order_by("position"))
        for line in copies:  # the same lines, now the credit note's
            line.pk, line.invoice = None, note
        InvoiceLine.objects.bulk_create(copies)
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=note,
            before=None,
            after=snapshot(note),
        )
    return note


def member_of(code: str) -> Member:
    return Member.objects.get(code=code)
