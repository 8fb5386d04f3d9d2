"""Exports of a posted month: Peppol e-invoices, the SIE 4I ledger file, Excel specifications.

What a month exports is its run's invoices and the credit notes issued in the month. Every
e-invoice is checked against the UBL 2.1 schema and the EN 16931, Peppol and Swedish rules
before anything is written: one document that breaks a rule stops the export and names it.
The SIE file has one voucher per document, each balancing to zero, with the governance object
and the member as dimensions; each member can have its own SIE file of the same documents as
purchases in its own accounts. The Excel specification of a recipient lists every line and,
under it, every device, with text cells that could be read as formulas written as text.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import connections, router
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from samkalk import __version__
from samkalk.adapters.peppol.batch import write_and_check
from samkalk.adapters.sie.writer import Company, sie_export
from samkalk.adapters.workbook.cells import FORMULA_START
from samkalk.apps.billing.documents import invoice_documents, ledger_documents
from samkalk.apps.billing.itemisation import itemised_lines
from samkalk.apps.billing.models import BillingRun, Invoice, InvoiceLine
from samkalk.apps.catalogue.models import Product
from samkalk.apps.federation.models import Federation, Member, Organisation
from samkalk.core.errors import CoreError
from samkalk.core.ledger import (
    MEMBER_DIMENSION,
    OBJECT_DIMENSION,
    AccountMap,
    PurchaseAccounts,
    Voucher,
    purchase_voucher_for,
    voucher_for,
)
from samkalk.core.money import from_ore
from samkalk.core.months import add_months


@dataclass(frozen=True, slots=True)
class ExportResult:
    files: tuple[Path, ...]
    errors: tuple[CoreError, ...]


def month_invoices(month: dt.date) -> QuerySet[Invoice]:
    """The month's run's invoices, and the credit notes and settlement invoices issued in the
    month, by number."""
    month = month.replace(day=1)
    end = add_months(month, 1)
    return (
        Invoice.objects.filter(
            Q(run__kind=BillingRun.Kind.MONTH, run__period=month)
            | Q(run__isnull=True, issue_date__gte=month, issue_date__lt=end)
            | Q(run__kind=BillingRun.Kind.SETTLEMENT, issue_date__gte=month, issue_date__lt=end)
        )
        .select_related("organisation__member", "member", "credits")
        .order_by("number")
    )


def export_peppol(month: dt.date, folder: Path) -> ExportResult:
    """One UBL file per document (``<number>.xml``), all checked before any is in ``folder``:
    they are written to a folder of their own inside it and moved in when every one passes.

    A large month is written and checked in worker processes, each reading its own invoices'
    lines over its own connection — only where those see what this one does: committed data
    in a database file or server (not inside a transaction, not an in-memory database)."""
    invoices = list(month_invoices(month))
    by_pk = {invoice.pk: invoice for invoice in invoices}
    counts = dict(
        InvoiceLine.objects.filter(invoice__in=list(by_pk))
        .values("invoice")
        .annotate(count=Count("pk"))
        .values_list("invoice", "count")
    )
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".peppol-", dir=folder))
    try:
        checked = write_and_check(
            list(by_pk),
            [counts.get(pk, 0) for pk in by_pk],
            lambda keys: invoice_documents([by_pk[pk] for pk in keys]),
            staging,
            workers=None if _shared_database() else 1,
            prepare=_own_connections,
        )
        errors = [
            CoreError("peppol." + f.rule, f"{invoice.number}: {f.rule} {f.where}".strip())
            for invoice, found in zip(invoices, checked, strict=True)
            for f in found
        ]
        if errors:
            return ExportResult((), tuple(errors))
        written = []
        for invoice in invoices:
            path = folder / f"{invoice.number}.xml"
            os.replace(staging / path.name, path)
            written.append(path)
        return ExportResult(tuple(written), ())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(folder.iterdir()):
            folder.rmdir()


def _shared_database() -> bool:
    """Whether another process's connection reads what this one does."""
    connection = connections[router.db_for_read(InvoiceLine)]
    in_memory = getattr(connection, "is_in_memory_db", lambda: False)  # SQLite's own question
    return not in_memory() and not connection.in_atomic_block


_inherited: list[object] = []  # a forked worker's copies of the parent's connections


def _own_connections() -> None:
    """In a forked export worker: set the parent's database connections aside — never used
    or closed here, as closing one would end the parent's session — so that the worker opens
    its own."""
    for connection in connections.all(initialized_only=True):
        _inherited.append(connection.connection)
        connection.connection = None


def account_map(federation: Federation) -> AccountMap:
    revenue = {
        code: account
        for code, account in Product.objects.exclude(revenue_account="").values_list(
            "code", "revenue_account"
        )
    }
    return AccountMap(
        receivable=federation.receivable_account,
        vat={Decimal(25): federation.vat_account},
        revenue=revenue,
        default_revenue=federation.revenue_account,
        names={
            federation.receivable_account: "Kundfordringar",
            federation.vat_account: "Utgående moms 25 %",
        },
    )


def export_sie(month: dt.date, folder: Path) -> ExportResult:
    """The month's vouchers as one SIE 4I file, ``<YYYY-MM>.se``."""
    federation = Federation.objects.get()
    accounts = account_map(federation)
    line_objects = _line_objects()
    vouchers, errors = [], []
    dimension_names: dict[int, dict[str, str]] = {
        OBJECT_DIMENSION: _object_names(),
        MEMBER_DIMENSION: {},
    }
    invoices = list(month_invoices(month))
    documents = ledger_documents(invoices, federation)
    for number, (invoice, document) in enumerate(zip(invoices, documents, strict=True), 1):
        voucher, problems = voucher_for(
            document,
            number,
            accounts,
            line_objects,
            invoice.member.code,
        )
        vouchers.append(voucher)
        errors.extend(problems)
        dimension_names[MEMBER_DIMENSION][invoice.member.code] = invoice.member.name
    if errors:
        return ExportResult((), tuple(errors))
    data, problems = sie_export(
        Company(federation.name, federation.org_number, __version__),
        vouchers,
        accounts,
        dimension_names,
        timezone.localdate(),
        _calendar_year(month),
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{month:%Y-%m}.se"
    path.write_bytes(data)
    return ExportResult((path,), tuple(problems))


@dataclass(frozen=True, slots=True)
class Ledger:
    """Whose books a document goes in: the member's, or — for an organisation with an
    organisation number of its own, a municipal company — the company's, which keeps its own
    books, in its own accounts where it has set them, else in the member's."""

    member: Member
    company: Organisation | None = None

    @classmethod
    def of(cls, invoice: Invoice) -> Ledger:
        organisation = invoice.organisation
        own = organisation.org_number and organisation.org_number != invoice.member.org_number
        return cls(invoice.member, organisation if own else None)

    @property
    def code(self) -> str:
        return self.company.code if self.company else self.member.code

    @property
    def company_code(self) -> str:
        """The company's code, "" for the member's own ledger."""
        return self.company.code if self.company else ""

    @property
    def name(self) -> str:
        return self.company.name if self.company else self.member.name

    @property
    def org_number(self) -> str:
        return self.company.org_number if self.company else self.member.org_number

    def filename(self, month: dt.date) -> str:
        return f"{month:%Y-%m}-{self.code}.se"

    def accounts(self, cost: dict[str, str]) -> PurchaseAccounts:
        """The ledger's accounts, ``cost`` being the products' own cost accounts. Those are in
        the member's chart, so a company that sets a cost account of its own books every
        product on it."""
        own = self.company
        payable = (own and own.payable_account) or self.member.payable_account
        vat = (own and own.input_vat_account) or self.member.input_vat_account
        own_cost = own.cost_account if own else ""
        return PurchaseAccounts(
            payable=payable,
            vat={Decimal(25): vat},
            cost={} if own_cost else cost,
            default_cost=own_cost or self.member.cost_account,
            names={payable: "Leverantörsskulder", vat: "Ingående moms 25 %"},
        )


def member_sie_files(
    month: dt.date, members: QuerySet[Member]
) -> tuple[dict[Ledger, bytes], tuple[CoreError, ...]]:
    """The SIE 4I file of the month of each ledger (``Ledger``) of ``members``: the month's
    documents to it as purchases in its own books (``core.ledger.purchase_voucher_for``), one
    voucher each, with the governance object as the dimension. A ledger without a document
    gets no file; with any error, none does."""
    federation = Federation.objects.get()
    invoices = list(month_invoices(month).filter(member__in=members))
    documents = ledger_documents(invoices, federation)
    cost = dict(Product.objects.exclude(cost_account="").values_list("code", "cost_account"))
    line_objects = _line_objects()
    ledgers = [Ledger.of(invoice) for invoice in invoices]
    accounts = {ledger: ledger.accounts(cost) for ledger in set(ledgers)}
    vouchers: dict[Ledger, list[Voucher]] = {}
    errors: list[CoreError] = []
    for ledger, document in zip(ledgers, documents, strict=True):
        own = vouchers.setdefault(ledger, [])
        voucher, problems = purchase_voucher_for(
            document, len(own) + 1, accounts[ledger], line_objects
        )
        own.append(voucher)
        errors.extend(problems)
    if errors:
        return {}, tuple(errors)
    files: dict[Ledger, bytes] = {}
    objects = {OBJECT_DIMENSION: _object_names()}
    for ledger, own in vouchers.items():
        data, problems = sie_export(
            Company(ledger.name, ledger.org_number, __version__),
            own,
            accounts[ledger],
            objects,
            timezone.localdate(),
            _calendar_year(month),
        )
        files[ledger] = data
        errors.extend(problems)
    return files, tuple(errors)


def export_member_sie(month: dt.date, folder: Path) -> ExportResult:
    """The SIE 4I file of the month of every member's ledger, and of every company's with
    books of its own, ``<YYYY-MM>-<member or company>.se`` (``member_sie_files``)."""
    files, errors = member_sie_files(month, Member.objects.all())
    if not files:
        return ExportResult((), errors)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ledger, data in sorted(files.items(), key=lambda item: item[0].code):
        path = folder / ledger.filename(month)
        path.write_bytes(data)
        paths.append(path)
    return ExportResult(tuple(paths), errors)


def _line_objects() -> dict[str, str]:
    """Product code → its governance object's code, "" for none."""
    return {
        code: obj or ""
        for code, obj in Product.objects.values_list("code", "governance_object__code")
    }


def _object_names() -> dict[str, str]:
    """The governance objects of the products, code → name, for ``#OBJEKT``."""
    return dict(
        Product.objects.exclude(governance_object=None).values_list(
            "governance_object__code", "governance_object__name"
        )
    )


def _calendar_year(month: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(month.year, 1, 1), dt.date(month.year, 12, 31)


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_xlsx(month: dt.date, folder: Path) -> ExportResult:
    """One specification per recipient, ``<YYYY-MM>-<organisation>.xlsx``."""
    from openpyxl import Workbook

    by_recipient: dict[str, list[Invoice]] = {}
    for invoice in month_invoices(month):
        by_recipient.setdefault(invoice.organisation.code, []).append(invoice)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for code, invoices in sorted(by_recipient.items()):
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Specifikation"
        sheet.append(
            [
                "Faktura",
                "Rad",
                "Produkt",
                "Benämning",
                "Antal",
                "Enhet",
                "À-pris",
                "Belopp",
                "Moms %",
                "Period från",
                "Period till",
                "Not",
                "Enhet (inv.nr)",
            ]
        )
        for invoice in invoices:
            for line, devices in itemised_lines(invoice):
                sheet.append(
                    [
                        _cell(v)
                        for v in (
                            invoice.number,
                            line.position,
                            line.product.code,
                            line.description,
                            line.quantity,
                            line.unit_code,
                            from_ore(line.unit_price_ore),
                            from_ore(line.amount_ore),
                            line.vat_percent,
                            line.period_start,
                            line.period_end,
                            line.note,
                            "",
                        )
                    ]
                )
                for tag, amount in devices:
                    sheet.append(
                        [
                            _cell(v)
                            for v in (
                                invoice.number,
                                line.position,
                                line.product.code,
                                "",
                                None,
                                "",
                                None,
                                amount,
                                None,
                                None,
                                None,
                                "",
                                tag,
                            )
                        ]
                    )
        path = folder / f"{month:%Y-%m}-{code}.xlsx"
        book.save(path)
        written.append(path)
    return ExportResult(tuple(written), ())


EXPORTERS = {
    "peppol": export_peppol,
    "sie": export_sie,
    "sie-members": export_member_sie,
    "xlsx": export_xlsx,
}
