"""The billing pages: runs, a month's preview and posting, a run's invoices and exports, a member's
invoices, an invoice with its basis (page, PDF, e-invoice), crediting it, the year's settlement.

Who reads what is ``accounts.access``'s: a run holds every member's invoices, so the runs, the
preview and the ledger file are for ``reads_billing`` (staff and board); an invoice, its PDF,
e-invoice and Excel specification are for those who see its member (a member reader's other
members' invoices are not found); the settlement shows the rows of the members the user sees.
Every state change is a POST by those who ``can_manage_data``, through the billing services; a
refusal re-renders the page with status 400 and the service's message, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samkalk.adapters.peppol.ubl import invoice_xml
from samkalk.adapters.peppol.validate import findings
from samkalk.apps.accounts import access
from samkalk.apps.billing.documents import invoice_document
from samkalk.apps.billing.exports import (
    Ledger,
    export_sie,
    export_xlsx,
    member_sie_files,
    month_invoices,
)
from samkalk.apps.billing.itemisation import itemised_lines
from samkalk.apps.billing.models import BillingRun, Invoice, InvoiceLine
from samkalk.apps.billing.services import (
    BLOCKING,
    BillingError,
    billing_preview,
    billing_run_post,
    invoice_credit,
)
from samkalk.apps.billing.settlement import settlement_compute, settlement_post
from samkalk.apps.catalogue.models import Product
from samkalk.apps.federation.models import Member, Organisation
from samkalk.apps.web.forms import CreditNoteForm
from samkalk.apps.web.guards import billing_reader_required, role_required
from samkalk.apps.web.views import _year_param
from samkalk.apps.web.views_devices import _shift, month_param
from samkalk.core.billing import DraftInvoice, DraftLine, itemise
from samkalk.core.errors import CoreError
from samkalk.core.invoice import vat_breakdown
from samkalk.core.money import from_ore
from samkalk.core.settlement import MemberSettlement
from samkalk.reports import formatting
from samkalk.reports.charts import Bar, bar_chart
from samkalk.reports.invoice_pdf import PdfFacts, invoice_pdf, line_basis
from samkalk.reports.member_devices import group_devices

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEVICES_SHOWN_OPEN = 5  # a line with more devices than this shows them folded

REFUSALS = {
    "billing.already_posted": gettext_lazy(
        "This month is already posted. A posted run is never changed: correct an invoice with a "
        "credit note."
    ),
    "billing.no_recipient": gettext_lazy(
        "A member has no organisation that receives its invoices."
    ),
    "billing.no_price": gettext_lazy("A product has no price for the month."),
    "billing.unknown_product": gettext_lazy(
        "A charge names a product that is not in the catalogue."
    ),
    "billing.no_federation": gettext_lazy("The federation is not set up."),
    "billing.already_credited": gettext_lazy("The invoice is already credited."),
    "billing.credit_a_credit": gettext_lazy("Only an invoice can be credited, not a credit note."),
    "billing.reason_required": gettext_lazy("A credit note must state why."),
    "settlement.already_posted": gettext_lazy("The settlement of the year is already posted."),
    "settlement.no_budget": gettext_lazy("No budget covers the year."),
    "settlement.no_actuals": gettext_lazy("There are no actual costs for the year."),
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """A service's refusal as the page shows it: our words for the code, and its own message."""

    text: str
    detail: str


def _refusal(error: BillingError) -> Refusal:
    code = error.error.code
    return Refusal(str(REFUSALS.get(code, _("The billing service refused."))), error.error.message)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file built in memory (or a temporary folder, already removed) as an attachment."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- runs and the preview -------------------------------------------------------------------


def _default_month() -> dt.date:
    """The month after the last posted monthly run; the current month before any run."""
    last = BillingRun.objects.filter(kind=BillingRun.Kind.MONTH).order_by("-period").first()
    if last is None:
        return timezone.localdate().replace(day=1)
    return dt.date.fromisoformat(f"{_shift(last.period, 1)}-01")


@billing_reader_required
def billing_runs_page(request: HttpRequest) -> HttpResponse:
    """Debiteringskörningar: every posted run, newest first, and a month to preview."""
    runs = BillingRun.objects.annotate(invoice_count=Count("invoices")).order_by("-period", "kind")
    return render(
        request,
        "web/billing_runs.html",
        {"runs": runs, "month_value": _shift(_default_month(), 0)},
    )


def _post_month(request: HttpRequest, month: dt.date) -> BillingRun | Refusal:
    if not access.can_manage_data(request.user):
        raise PermissionDenied
    try:
        return billing_run_post(month, actor=request.user, via="web")
    except BillingError as error:
        return _refusal(error)


def _draft_lines(
    draft: DraftInvoice, listed: dict[str, list[tuple[str, Decimal]]]
) -> list[tuple[DraftLine, list[tuple[str, Decimal]]]]:
    """Each line of a draft with its devices one by one (from its groups' ``listed`` devices)."""
    return [(line, itemise(line.devices.keyed(), listed)) for line in draft.lines]


@billing_reader_required
def billing_preview_page(request: HttpRequest) -> HttpResponse:
    """Förhandsgranskning: the month's invoices as they would be posted, and what changed."""
    month = month_param(request) if request.GET.get("month") else _default_month()
    refusal = None
    if request.method == "POST":
        outcome = _post_month(request, month)
        if isinstance(outcome, BillingRun):
            messages.success(
                request,
                _("The run of %(month)s is posted: %(count)s invoices.")
                % {"month": f"{month:%Y-%m}", "count": outcome.invoices.count()},
            )
            return redirect("web:billing_run", run_id=outcome.pk)
        refusal = outcome
    preview = billing_preview(month)
    organisations = {o.code: o for o in Organisation.objects.select_related("member")}
    products = dict(Product.objects.values_list("code", "name"))
    posted = BillingRun.objects.filter(kind=BillingRun.Kind.MONTH, period=month).first()
    listed = group_devices(
        {group for d in preview.drafts for line in d.lines for group, _ in line.devices.parts}
    )
    return render(
        request,
        "web/billing_preview.html",
        {
            "preview": preview,
            "month_value": _shift(month, 0),
            "previous_month": _shift(month, -1),
            "next_month": _shift(month, 1),
            "drafts": [
                (organisations.get(d.recipient), d, _draft_lines(d, listed)) for d in preview.drafts
            ],
            "differences": [
                (organisations.get(d.recipient), products.get(d.product, d.product), d)
                for d in preview.differences
            ],
            "errors": [(e, e.code in BLOCKING) for e in preview.errors],
            "blocked": any(e.code in BLOCKING for e in preview.errors),
            "posted": posted,
            "can_post": access.can_manage_data(request.user) and posted is None,
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


def _month_run(run_id: int) -> BillingRun:
    return get_object_or_404(BillingRun, pk=run_id, kind=BillingRun.Kind.MONTH)


def _run_page(
    request: HttpRequest, run: BillingRun, export_errors: tuple[CoreError, ...] = ()
) -> HttpResponse:
    invoices = (
        run.invoices.select_related("organisation", "member", "credits")
        .prefetch_related("credit_notes")
        .order_by("number")
    )
    issued: QuerySet[Invoice] = Invoice.objects.none()
    recipients: list[Organisation] = []
    if run.kind == BillingRun.Kind.MONTH:
        exported = month_invoices(run.period)
        issued = exported.filter(run__isnull=True).prefetch_related("credit_notes")
        codes = set(exported.values_list("organisation__code", flat=True))
        recipients = list(Organisation.objects.filter(code__in=codes).order_by("name"))
    return render(
        request,
        "web/billing_run.html",
        {
            "run": run,
            "invoices": invoices,
            "issued": issued,
            "recipients": recipients,
            "export_errors": export_errors,
        },
        status=409 if export_errors else 200,
    )


@billing_reader_required
def billing_run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    """A posted run: its invoices, each one's e-invoice, the ledger file and the specifications."""
    return _run_page(request, get_object_or_404(BillingRun, pk=run_id))


@billing_reader_required
def billing_run_sie(request: HttpRequest, run_id: int) -> HttpResponse:
    """The month's vouchers as SIE 4I (``exports.export_sie``), built in a temporary folder."""
    run = _month_run(run_id)
    with tempfile.TemporaryDirectory() as folder:
        result = export_sie(run.period, Path(folder))
        if not result.files:
            return _run_page(request, run, result.errors)
        content = result.files[0].read_bytes()
    return _download(content, f"{run.period:%Y-%m}.se", "text/plain; charset=cp437")


@role_required
def billing_run_xlsx(request: HttpRequest, run_id: int, organisation_id: int) -> HttpResponse:
    """One recipient's specification of the month (``exports.export_xlsx``): for those who see
    the recipient's member, so a member reader gets its own organisations' and no other."""
    run = _month_run(run_id)
    visible = Organisation.objects.filter(member__in=access.visible_members(request.user))
    organisation = get_object_or_404(visible, pk=organisation_id)
    with tempfile.TemporaryDirectory() as folder:
        export_xlsx(run.period, Path(folder))
        path = Path(folder) / f"{run.period:%Y-%m}-{organisation.code}.xlsx"
        if not path.exists():  # the recipient has nothing in the month
            raise Http404
        content = path.read_bytes()
    return _download(content, path.name, XLSX_TYPE)


# --- invoices ---------------------------------------------------------------------------------


@role_required
def member_invoices_page(
    request: HttpRequest, member_id: int, export_errors: tuple[CoreError, ...] = ()
) -> HttpResponse:
    """Medlemmens fakturor: every invoice and credit note of the member, newest first, and the
    member's ledger file of each month it was invoiced in."""
    member = get_object_or_404(access.visible_members(request.user), pk=member_id)
    invoices = (
        member.invoices.select_related("organisation", "credits", "run")
        .prefetch_related("credit_notes")
        .order_by("-issue_date", "-number")
    )
    return render(
        request,
        "web/member_invoices.html",
        {
            "member": member,
            "invoices": invoices,
            "months": _ledger_months(invoices),
            "export_errors": export_errors,
        },
        status=409 if export_errors else 200,
    )


def _ledger_months(invoices: QuerySet[Invoice]) -> list[tuple[dt.date, list[Ledger]]]:
    """The months whose export holds some of ``invoices`` (``month_invoices``: a monthly run's
    period, else the month of issue), newest first, each with the ledgers they go in, the
    member's first."""
    months: dict[dt.date, set[Ledger]] = {}
    for invoice in invoices.select_related("organisation", "member", "run"):
        run = invoice.run
        if run is not None and run.kind == BillingRun.Kind.MONTH:
            month = run.period
        else:
            month = invoice.issue_date.replace(day=1)
        months.setdefault(month, set()).add(Ledger.of(invoice))
    return [
        (month, sorted(ledgers, key=lambda ledger: (ledger.company is not None, ledger.name)))
        for month, ledgers in sorted(months.items(), reverse=True)
    ]


@role_required
def member_sie(request: HttpRequest, member_id: int) -> HttpResponse:
    """A SIE 4I file of the member's (``exports.member_sie_files``): what the member — or, with
    ``?company=<code>``, its company with books of its own — bought in ``?month=``, by default
    the latest month it was invoiced in, as its own books book it; for those who see the
    member."""
    visible = access.visible_members(request.user)
    member = get_object_or_404(visible, pk=member_id)
    company = request.GET.get("company", "")
    if "month" in request.GET:
        month = month_param(request)
    else:
        months = [
            month
            for month, ledgers in _ledger_months(member.invoices.all())
            if any(ledger.company_code == company for ledger in ledgers)
        ]
        if not months:
            raise Http404
        month = months[0]
    files, errors = member_sie_files(month, visible.filter(pk=member.pk))
    if errors and not files:
        return member_invoices_page(request, member_id, errors)
    for ledger, content in files.items():
        if ledger.company_code == company:
            return _download(content, ledger.filename(month), "text/plain; charset=cp437")
    raise Http404  # nothing to the member, or to that company, in the month


def _visible_invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    invoices = access.visible_invoices(request.user).select_related(
        "organisation__member", "member", "credits", "run"
    )
    return get_object_or_404(invoices, pk=invoice_id)


@dataclass(frozen=True, slots=True)
class LineRow:
    """A line as the page shows it: the line, its basis in words and its devices in kronor."""

    line: InvoiceLine
    basis: str
    devices: tuple[tuple[str, Decimal], ...]

    @property
    def folded(self) -> bool:
        return len(self.devices) > DEVICES_SHOWN_OPEN


def _credit(request: HttpRequest, invoice: Invoice) -> CreditNoteForm | Invoice:
    """The credit note made from the POSTed form, or the form with what stopped it."""
    if not access.can_manage_data(request.user):
        raise PermissionDenied
    form = CreditNoteForm(request.POST)
    if not form.is_valid():
        return form
    try:
        return invoice_credit(
            invoice, reason=form.cleaned_data["reason"], actor=request.user, via="web"
        )
    except BillingError as error:
        refusal = _refusal(error)
        form.add_error(None, f"{refusal.text} ({refusal.detail})")
        return form


@role_required
def invoice_page(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """Faktura: every line with its basis and devices, VAT, totals and the credit notes."""
    invoice = _visible_invoice(request, invoice_id)
    can_credit = access.can_manage_data(request.user) and invoice.kind == Invoice.Kind.INVOICE
    form = CreditNoteForm()
    if request.method == "POST":
        outcome = _credit(request, invoice)
        if isinstance(outcome, Invoice):
            messages.success(
                request,
                _("Credit note %(note)s credits invoice %(number)s.")
                % {"note": outcome.number, "number": invoice.number},
            )
            return redirect("web:invoice", invoice_id=outcome.pk)
        form = outcome
    document = invoice_document(invoice)
    lines = [
        LineRow(line, line_basis(line), tuple(devices)) for line, devices in itemised_lines(invoice)
    ]
    credit_notes = invoice.credit_notes.order_by("number")
    run = invoice.run
    return render(
        request,
        "web/invoice.html",
        {
            "invoice": invoice,
            "document": document,
            "lines": lines,
            "vat": vat_breakdown(document.lines),
            "credit_notes": credit_notes,
            "form": form if can_credit and not credit_notes else None,
            # a refusal when the form is no longer offered (the invoice was credited meanwhile)
            "credit_errors": form.non_field_errors() if request.method == "POST" else (),
            "reads_billing": access.reads_billing(request.user),
            "month_run": run if run and run.kind == BillingRun.Kind.MONTH else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required
def invoice_peppol(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """The invoice as a Peppol BIS 3 e-invoice (UBL), checked against the rules before it goes."""
    invoice = _visible_invoice(request, invoice_id)
    xml = invoice_xml(invoice_document(invoice))
    broken = findings(xml)
    if broken:
        return render(
            request,
            "web/invoice_peppol_refused.html",
            {"invoice": invoice, "findings": broken},
            status=409,
        )
    return _download(xml, f"{invoice.number}.xml", "application/xml")


@role_required
def invoice_pdf_page(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """Fakturaspecifikation as PDF: the page's lines and devices, for printing or sending on."""
    invoice = _visible_invoice(request, invoice_id)
    kind = invoice.get_kind_display()
    facts = [
        (_("Number"), invoice.number),
        (_("Kind"), str(kind).capitalize()),
        (_("Recipient"), invoice.organisation.name),
        (_("Member"), invoice.member.name),
        (_("Invoice date"), f"{invoice.issue_date:%Y-%m-%d}"),
        (_("Due date"), f"{invoice.due_date:%Y-%m-%d}"),
        (_("Period"), f"{invoice.period_start:%Y-%m-%d} - {invoice.period_end:%Y-%m-%d}"),
        (_("Buyer reference"), invoice.buyer_reference),
    ]
    if invoice.credits:
        facts.append((_("Credits invoice"), invoice.credits.number))
    if invoice.reason:
        facts.append((_("Reason"), invoice.reason))
    title = _("Specification of %(kind)s %(number)s") % {"kind": kind, "number": invoice.number}
    content = invoice_pdf(invoice, PdfFacts(title, facts))
    return _download(content, f"{invoice.number}-specifikation.pdf", "application/pdf")


# --- the settlement ---------------------------------------------------------------------------


def _default_year() -> int:
    """The year of the last posted monthly run (the year to settle); else the current year."""
    last = BillingRun.objects.filter(kind=BillingRun.Kind.MONTH).order_by("-period").first()
    return last.period.year if last else timezone.localdate().year


def _settlement_chart(year: int, rows: list[tuple[Member, MemberSettlement]]) -> str:
    """Bars as long as each member's settlement; what is paid back in a second colour and with a
    minus sign (so colour is never the only cue), whole kronor beside the bar, öre in the desc."""
    bars, values = [], []
    for member, result in rows:
        amount = result.settlement
        whole = formatting.kronor(amount.quantize(Decimal(1)))
        bars.append(Bar(member.name, abs(amount), f"{whole.replace('-', '−')} kr", amount < 0))
        text = _("%(amount)s kr to pay") if amount >= 0 else _("%(amount)s kr paid back")
        values.append(f"{member.name}: {text % {'amount': formatting.kronor_ore(abs(amount))}}")
    return bar_chart(
        bars,
        chart_id="settlement-chart",
        title=_("Settlement %(year)s per member") % {"year": year},
        description=_(
            "Horizontal bars in SEK, one colour for what a member pays and another for what it "
            "is paid back. %(values)s."
        )
        % {"values": "; ".join(values)},
    )


@role_required
def settlement_page(request: HttpRequest) -> HttpResponse:
    """Slutavräkning: per member what was billed, the actual cost and the difference to settle."""
    year = _year_param(request) or _default_year()
    refusal = None
    if request.method == "POST":
        if not access.can_manage_data(request.user):
            raise PermissionDenied
        try:
            run = settlement_post(year, actor=request.user, via="web")
        except BillingError as error:
            refusal = _refusal(error)
        else:
            messages.success(request, _("The settlement of %(year)s is posted.") % {"year": year})
            return redirect("web:billing_run", run_id=run.pk)
    computed = settlement_compute(year)
    members = {m.code: m for m in access.visible_members(request.user)}
    rows = [(members[m.member], m) for m in computed.members if m.member in members]
    products = dict(Product.objects.values_list("code", "name"))
    reads_all = access.reads_all_members(request.user)
    posted = BillingRun.objects.filter(
        kind=BillingRun.Kind.SETTLEMENT, period=dt.date(year, 12, 1)
    ).first()
    return render(
        request,
        "web/settlement.html",
        {
            "year": year,
            "rows": rows,
            "products": products,
            "chart": _settlement_chart(year, rows) if rows else None,
            # totals and errors speak of every member: only for those who read them all
            "totals": _totals(computed.members) if reads_all else None,
            "errors": computed.errors if reads_all else (),
            "posted": posted,
            "reads_billing": access.reads_billing(request.user),
            "can_post": access.can_manage_data(request.user) and posted is None,
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


def _totals(members: tuple[MemberSettlement, ...]) -> dict[str, Decimal]:
    return {
        name: sum((getattr(m, name) for m in members), from_ore(0))
        for name in ("billed", "actual", "settlement")
    }
