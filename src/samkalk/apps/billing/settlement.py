"""The year-end settlement: actual costs against what was billed, per member; and its posting.

Fetch → compute → persist. Actual costs come from the ``actual_costs`` sheet (per product: its
own direct and capital costs; per cost pool; and costs one member bears alone). A product's
actual full cost is computed as the budget computes it (``reports.pricing.actual_full_costs``).
What was billed is the year's posted monthly invoices less their credit notes. The split rule is
the product's settlement key, or else what each member was billed. Posting writes one invoice
(or credit note, for money paid back) per member, in one transaction, once per year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from samkalk.apps.audit.services import audit_record_many, snapshot
from samkalk.apps.billing.models import ActualCost, BillingRun, Invoice, InvoiceLine
from samkalk.apps.billing.services import BillingError, _next_numbers, open_run
from samkalk.apps.catalogue.models import Product, RevenueCategory
from samkalk.apps.federation.models import Federation, Member, Organisation
from samkalk.core import settlement as core
from samkalk.core.errors import CoreError
from samkalk.core.invoice import DocumentLine, VatCategory, vat_breakdown
from samkalk.core.money import ZERO, from_ore, to_ore
from samkalk.reports.budget_report import budget_for_year
from samkalk.reports.keys import key_values_for_year
from samkalk.reports.pricing import actual_full_costs


@dataclass(frozen=True, slots=True)
class Settlement:
    year: int
    members: tuple[core.MemberSettlement, ...]
    errors: tuple[CoreError, ...]


def billed_per_member(year: int) -> dict[str, dict[str, Decimal]]:
    """Product → member → net amount billed in the year's monthly runs, less credit notes."""
    billed: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = (
        InvoiceLine.objects.filter(period_start__year=year)
        .exclude(invoice__run__kind=BillingRun.Kind.SETTLEMENT)
        .exclude(invoice__credits__run__kind=BillingRun.Kind.SETTLEMENT)
    )
    for product, member, ore, kind in rows.values_list(
        "product__code", "invoice__member__code", "amount_ore", "invoice__kind"
    ):
        billed[product][member] += from_ore(-ore if kind == Invoice.Kind.CREDIT_NOTE else ore)
    return billed


def _key_values(year: int) -> dict[str, dict[str, Decimal]]:
    """Product → member → value of its settlement key for ``year``."""
    keys = dict(
        Product.objects.filter(settlement_key__isnull=False).values_list(
            "code", "settlement_key_id"
        )
    )
    by_key = key_values_for_year(year, set(keys.values()))
    return {code: by_key[pk][0] for code, pk in keys.items()}


def settlement_compute(year: int) -> Settlement:
    """Each member's settlement of ``year`` (nothing is written)."""
    errors: list[CoreError] = []
    budget = budget_for_year(year)
    if budget is None:
        return Settlement(year, (), (CoreError("settlement.no_budget", f"no budget for {year}"),))
    own: dict[str, Decimal] = defaultdict(Decimal)
    pools: dict[str, Decimal] = defaultdict(Decimal)
    alone: list[core.MemberCost] = []
    rows = ActualCost.objects.filter(year=year).values_list(
        "product__code", "cost_pool__code", "member__code", "amount_ore"
    )
    for product, pool, member, ore in rows:
        if member:
            alone.append(core.MemberCost(member, product or pool, from_ore(ore)))
        elif product:
            own[product] += from_ore(ore)
        else:
            pools[pool] += from_ore(ore)
    if not own and not pools:
        errors.append(CoreError("settlement.no_actuals", f"no actual costs for {year}"))
    actual = actual_full_costs(budget, year, own, pools)
    billed = billed_per_member(year)
    keys = _key_values(year)
    # Used devices are sold to others than the members: their sales are not settled with them.
    sold = set(
        Product.objects.filter(category=RevenueCategory.DISPOSAL_SALE).values_list(
            "code", flat=True
        )
    )
    outcomes = tuple(
        core.ProductOutcome(
            cost.code, cost.full_cost, dict(billed.get(cost.code, {})), keys.get(cost.code, {})
        )
        for cost in actual.products
        if (cost.full_cost or cost.code in billed) and cost.code not in sold
    )
    members = tuple(Member.objects.order_by("name").values_list("code", flat=True))
    result, problems = core.settle(outcomes, tuple(alone), members)
    return Settlement(year, result, (*errors, *actual.errors, *problems))


def settlement_post(
    year: int, *, actor: Any, via: str = "web", issue_date: dt.date | None = None
) -> BillingRun:
    """Post the settlement: an invoice or credit note per member; once per year."""
    issue_date = issue_date or timezone.localdate()
    period = dt.date(year, 12, 1)
    try:
        with transaction.atomic():
            federation = Federation.objects.select_for_update().get()
            if BillingRun.objects.filter(kind=BillingRun.Kind.SETTLEMENT, period=period).exists():
                raise BillingError(_posted(year))
            computed = settlement_compute(year)
            blocking = [e for e in computed.errors if e.code.startswith("settlement.")]
            if blocking:
                raise BillingError(blocking[0])
            return _write(federation, computed, period, actor, via, issue_date)
    except IntegrityError as exc:
        raise BillingError(_posted(year)) from exc


def _posted(year: int) -> CoreError:
    return CoreError("settlement.already_posted", f"the settlement of {year} is already posted")


def _write(
    federation: Federation,
    computed: Settlement,
    period: dt.date,
    actor: Any,
    via: str,
    issue_date: dt.date,
) -> BillingRun:
    products = {p.code: p for p in Product.objects.all()}
    recipients = {
        o.member.code: o
        for o in Organisation.objects.filter(receives_member_invoices=True).select_related("member")
    }
    run = open_run(BillingRun.Kind.SETTLEMENT, period, actor)
    members = [m for m in computed.members if m.settlement]
    numbers = iter(_next_numbers(federation.invoice_prefix, issue_date.year, len(members)))
    changes: list[tuple[str, Any, None, dict[str, Any]]] = []
    net_total = vat_total = 0
    for member in members:
        org = recipients.get(member.member)
        if org is None:
            raise BillingError(
                CoreError("billing.no_recipient", f"member {member.member} has no recipient")
            )
        sign = 1 if member.settlement > 0 else -1
        lines = [line for line in member.lines if line.settlement]
        doc_lines = tuple(
            DocumentLine(
                str(i),
                line.product,
                line.product,
                Decimal(1),
                "C62",
                sign * line.settlement,
                sign * line.settlement,
                VatCategory.STANDARD,
                products[line.product].vat_rate if line.product in products else Decimal(25),
            )
            for i, line in enumerate(lines, 1)
        )
        vat = sum((s.tax for s in vat_breakdown(doc_lines)), ZERO)
        net = sign * member.settlement
        invoice = Invoice.objects.create(
            run=run,
            kind=Invoice.Kind.INVOICE if sign > 0 else Invoice.Kind.CREDIT_NOTE,
            number=next(numbers),
            organisation=org,
            member=org.member,
            issue_date=issue_date,
            due_date=issue_date + dt.timedelta(days=federation.payment_terms_days),
            period_start=dt.date(computed.year, 1, 1),
            period_end=dt.date(computed.year, 12, 31),
            buyer_reference=org.buyer_reference or org.code,
            net_ore=to_ore(net),
            vat_ore=to_ore(vat),
            total_ore=to_ore(net + vat),
            reason=f"Slutavräkning {computed.year}",
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                position=int(d.line_id),
                product=products[d.product_code],
                source="settlement",
                description=f"Avräkning {products[d.product_code].name}",
                quantity=d.quantity,
                unit_code=d.unit_code,
                unit_price_ore=to_ore(d.unit_price),
                amount_ore=to_ore(d.amount),
                vat_percent=d.vat_percent,
                period_start=invoice.period_start,
                period_end=invoice.period_end,
                note=_note(line),
            )
            for d, line in zip(doc_lines, lines, strict=True)
        )
        net_total += invoice.net_ore * sign
        vat_total += invoice.vat_ore * sign
        changes.append(("create", invoice, None, snapshot(invoice)))
    run.net_ore, run.vat_ore, run.total_ore = net_total, vat_total, net_total + vat_total
    run.save(update_fields=["net_ore", "vat_ore", "total_ore"])
    audit_record_many(
        actor=actor, via=via, changes=[("create", run, None, snapshot(run)), *changes]
    )
    return run


def _note(line: core.SettlementLine) -> str:
    if line.own_cost:
        return "Kostnad som medlemmen ensam bär"
    return f"Fakturerat {line.billed} kr, utfall {line.actual} kr"
