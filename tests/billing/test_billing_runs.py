"""Billing runs over the sample federation: preview, post, credit, export, settle.

The sample (tests/workbook/sample.py): Alfa (recipient alfa-ks) and Beta (beta-skola); the base
grant is billed quarterly in advance to each member by the fixed key 60/40; computers are rented
device by device at their own capital cost (no capital cost rule: the rent is the depreciation,
65 000 kr over 48 months). IT-000001 is leased to alfa-ks from April 2025, IT-000003 to
beta-skola from February to June 2026.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from samkalk.adapters.peppol.validate import violations
from samkalk.adapters.sie.reader import read_sie
from samkalk.apps.assets.models import Asset
from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.billing.models import ActualCost, BillingRun, Invoice, InvoiceLine
from samkalk.apps.billing.services import (
    BillingError,
    billing_preview,
    billing_run_post,
    invoice_credit,
)
from samkalk.apps.billing.settlement import settlement_compute, settlement_post
from samkalk.apps.budget.models import Budget
from samkalk.apps.catalogue.models import Product
from samkalk.apps.federation.models import Member, Organisation
from samkalk.apps.workbook.services import workbook_import
from samkalk.cli import app
from samkalk.core.billing import itemise
from samkalk.core.ledger import balance
from samkalk.core.money import ZERO, from_ore
from samkalk.reports.member_devices import group_devices
from samkalk.reports.pricing import price_year
from tests.workbook.sample import write_sample

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
ISSUED = dt.date(2026, 2, 3)


@pytest.fixture
def federation(db, tmp_path):
    report = workbook_import(write_sample(tmp_path / "sample"), actor="test")
    assert report.ok, report.errors
    return Budget.objects.get(year=2026)


def _adopt(budget):
    from samkalk.apps.budget.services import budget_version_create

    return budget_version_create(budget, status="adopted", actor="test", decision=budget.decision)


def test_january_bills_the_first_quarters_base_grant_and_the_leased_computer(federation):
    _adopt(federation)
    preview = billing_preview(JAN)
    assert not [e for e in preview.errors if e.code.startswith("billing.")]
    alfa, beta = preview.drafts
    assert (alfa.recipient, beta.recipient) == ("alfa-ks", "beta-skola")
    grant = next(line for line in alfa.lines if line.product == "grundanslag")
    assert (grant.period_start, grant.period_end) == (JAN, dt.date(2026, 3, 31))
    annual = price_year(federation, 2026).forecasts()[0]
    alfa_annual = next(
        line.amount
        for f in annual
        if f.member == "alfa"
        for line in f.lines
        if line.product == "grundanslag"
    )
    assert abs(grant.amount - alfa_annual / 4) <= Decimal("0.02")
    rent = next(line for line in alfa.lines if line.product == "datorer-hyra")
    listed = group_devices(group for group, _ in rent.devices.parts)
    assert itemise(rent.devices.keyed(), listed) == [("IT-000001", rent.amount)]
    assert rent.amount in (Decimal("1354.16"), Decimal("1354.17"))  # 65 000 / 48
    assert [line.product for line in beta.lines] == ["grundanslag"]  # its computer comes in Feb
    assert alfa.total == alfa.net + alfa.vat and alfa.vat == (alfa.net / 4).quantize(
        Decimal("0.01")
    )


def test_posting_numbers_the_invoices_audits_them_and_cannot_happen_twice(federation):
    run = billing_run_post(JAN, actor="test", issue_date=ISSUED)
    invoices = list(run.invoices.order_by("number"))
    assert [i.number for i in invoices] == ["F2026-00001", "F2026-00002"]
    assert run.total_ore == sum(i.total_ore for i in invoices)
    for invoice in invoices:
        lines = sum(line.amount_ore for line in invoice.lines.all())
        assert invoice.net_ore == lines and invoice.total_ore == invoice.net_ore + invoice.vat_ore
        assert invoice.due_date == ISSUED + dt.timedelta(days=30)
        assert AuditEntry.objects.filter(
            model="billing.invoice", object_pk=str(invoice.pk)
        ).exists()
    with pytest.raises(BillingError) as again:
        billing_run_post(JAN, actor="test", issue_date=ISSUED)
    assert again.value.error.code == "billing.already_posted"
    assert BillingRun.objects.count() == 1 and Invoice.objects.count() == 2
    assert gc.isenabled(), "a run, posted or refused, leaves the cycle collector running"
    february = billing_run_post(FEB, actor="test", issue_date=ISSUED)
    assert [i.number for i in february.invoices.order_by("number")] == [
        "F2026-00003",
        "F2026-00004",
    ]


def test_the_preview_shows_what_changed_against_last_month(federation):
    billing_run_post(JAN, actor="test", issue_date=ISSUED)
    preview = billing_preview(FEB)
    changes = {(d.recipient, d.product): d for d in preview.differences}
    assert changes[("alfa-ks", "grundanslag")].current == 0  # billed for the quarter in January
    assert changes[("beta-skola", "datorer-hyra")].previous == 0  # new in February
    assert ("alfa-ks", "datorer-hyra") not in changes  # the same rent as in January


def test_a_credit_note_corrects_an_invoice_which_stays_as_it_was(federation):
    run = billing_run_post(JAN, actor="test", issue_date=ISSUED)
    invoice = run.invoices.order_by("number").first()
    before = (invoice.total_ore, list(invoice.lines.values_list("amount_ore", flat=True)))
    note = invoice_credit(invoice, reason="Fel nyckel", actor="test", issue_date=ISSUED)
    assert (note.kind, note.number, note.credits_id) == ("credit_note", "K2026-00001", invoice.pk)
    assert note.total_ore == invoice.total_ore
    invoice.refresh_from_db()
    assert (invoice.total_ore, list(invoice.lines.values_list("amount_ore", flat=True))) == before
    with pytest.raises(BillingError) as twice:
        invoice_credit(invoice, reason="igen", actor="test")
    assert twice.value.error.code == "billing.already_credited"
    with pytest.raises(BillingError):
        invoice_credit(note, reason="x", actor="test")


def test_every_exported_e_invoice_and_credit_note_passes_the_rules(federation, tmp_path):
    from samkalk.apps.billing.exports import export_peppol, export_sie

    run = billing_run_post(JAN, actor="test", issue_date=ISSUED)
    invoice_credit(
        run.invoices.first(), reason="Fel", actor="test", issue_date=dt.date(2026, 1, 20)
    )
    result = export_peppol(JAN, tmp_path / "peppol")
    assert not result.errors and len(result.files) == 3
    for path in result.files:
        assert violations(path.read_bytes()) == [], path.name
    sie = export_sie(JAN, tmp_path / "sie")
    (path,) = sie.files
    contents = read_sie(path.read_bytes())
    assert not contents.errors and len(contents.vouchers) == 3
    assert all(balance(v) == 0 for v in contents.vouchers)


def test_each_member_gets_the_month_as_purchases_in_its_own_accounts(federation, tmp_path):
    """Alfa keeps the default accounts; Beta has its own (sample: payable 25110, input VAT 16410,
    cost 73300), and the computers' rent goes to the product's cost account 5252 for both."""
    run = billing_run_post(JAN, actor="test", issue_date=ISSUED)
    alfa_invoice = run.invoices.get(member__code="alfa")
    note = invoice_credit(alfa_invoice, reason="Fel", actor="test", issue_date=dt.date(2026, 1, 20))
    result = runner_export(tmp_path, "sie-members")
    assert sorted(path.name for path in result) == ["2026-01-alfa.se", "2026-01-beta.se"]
    accounts = {"alfa": ("2440", "2641"), "beta": ("25110", "16410")}
    for path in result:
        member = Member.objects.get(code=path.stem.removeprefix("2026-01-"))
        contents = read_sie(path.read_bytes(), path.name)
        assert not contents.errors and contents.company.org_number == member.org_number
        assert all(balance(v) == 0 for v in contents.vouchers)
        invoices = Invoice.objects.filter(member=member).order_by("number")
        payable, vat = accounts[member.code]
        signed = [(1 if i.kind == Invoice.Kind.INVOICE else -1) for i in invoices]
        assert [
            sum(t.amount for t in v.transactions if t.account == payable) for v in contents.vouchers
        ] == [-s * from_ore(i.total_ore) for s, i in zip(signed, invoices, strict=True)]
        assert [
            sum(t.amount for t in v.transactions if t.account == vat) for v in contents.vouchers
        ] == [s * from_ore(i.vat_ore) for s, i in zip(signed, invoices, strict=True)]
        rent = InvoiceLine.objects.filter(invoice__in=invoices, product__code="datorer-hyra")
        booked = [t for v in contents.vouchers for t in v.transactions if t.account == "5252"]
        assert bool(booked) == rent.exists()
    alfa = read_sie((tmp_path / "out" / "2026-01-alfa.se").read_bytes())
    assert [v.text.split()[1] for v in alfa.vouchers] == [alfa_invoice.number, note.number]


def test_a_company_with_books_of_its_own_gets_a_file_of_its_own(federation, tmp_path):
    """Alfa's computer moves to Alfa Energi AB, a municipal company with its own organisation
    number: the rent is invoiced to the company, and that invoice goes in the company's file,
    in Alfa's accounts, not in Alfa's."""
    alfa = Member.objects.get(code="alfa")
    company = _alfa_energi()
    billing_run_post(JAN, actor="test", issue_date=ISSUED)
    paths = runner_export(tmp_path, "sie-members")
    assert [path.name for path in paths] == [
        "2026-01-alfa-energi.se",
        "2026-01-alfa.se",
        "2026-01-beta.se",
    ]
    energi = read_sie(paths[0].read_bytes(), paths[0].name)
    assert (energi.company.name, energi.company.org_number) == ("Alfa Energi AB", "556123-4567")
    (voucher,) = energi.vouchers
    invoice = Invoice.objects.get(organisation=company)
    assert invoice.number in voucher.text
    assert [t.account for t in voucher.transactions] == ["2440", "5252", "2641"]
    assert voucher.transactions[0].amount == -from_ore(invoice.total_ore)
    own = read_sie(paths[1].read_bytes(), paths[1].name)
    assert invoice.number not in {v.text.split()[1] for v in own.vouchers}
    assert len(own.vouchers) == Invoice.objects.filter(member=alfa).count() - 1


def test_a_company_with_accounts_of_its_own_books_in_them(federation, tmp_path):
    """Alfa Energi AB keeps its books in a chart of its own: its payable, input VAT and cost
    account take the place of Alfa's, and its cost account takes every product — the rent's
    account 5252 is in Alfa's chart. Alfa's own file keeps Alfa's accounts."""
    company = _alfa_energi(payable_account="2441", input_vat_account="2645", cost_account="6550")
    billing_run_post(JAN, actor="test", issue_date=ISSUED)
    energi_path, alfa_path, _ = runner_export(tmp_path, "sie-members")
    energi = read_sie(energi_path.read_bytes(), energi_path.name)
    (voucher,) = energi.vouchers
    invoice = Invoice.objects.get(organisation=company)
    assert [t.account for t in voucher.transactions] == ["2441", "6550", "2645"]
    assert voucher.transactions[0].amount == -from_ore(invoice.total_ore)
    assert voucher.transactions[2].amount == from_ore(invoice.vat_ore)
    assert energi.accounts["2441"] == "Leverantörsskulder"
    own = read_sie(alfa_path.read_bytes(), alfa_path.name)
    assert {t.account for v in own.vouchers for t in v.transactions} >= {"2440", "2641"}
    assert not {"2441", "2645", "6550"} & {t.account for v in own.vouchers for t in v.transactions}


def _alfa_energi(**accounts: str) -> Organisation:
    """Alfa Energi AB, a municipal company of Alfa's with its own organisation number, which
    now holds Alfa's computer IT-000001."""
    company = Organisation.objects.create(
        code="alfa-energi",
        member=Member.objects.get(code="alfa"),
        name="Alfa Energi AB",
        kind=Organisation.Kind.COMPANY,
        org_number="556123-4567",
        **accounts,
    )
    Asset.objects.filter(tag="IT-000001").update(organisation=company)
    return company


def runner_export(tmp_path, kind: str) -> list:
    result = CliRunner().invoke(
        app, ["billing", "export", "--period", "2026-01", "--to", str(tmp_path / "out"),
              "--as", kind],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return sorted((tmp_path / "out").iterdir())


def test_an_export_with_a_broken_e_invoice_writes_none_of_them(federation, tmp_path):
    from samkalk.apps.billing.exports import export_peppol
    from samkalk.apps.federation.models import Federation

    billing_run_post(JAN, actor="test", issue_date=ISSUED)
    Federation.objects.update(bankgiro="")  # the documents lose their means of payment
    result = export_peppol(JAN, tmp_path / "new")
    assert result.errors and not result.files
    assert not (tmp_path / "new").exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "earlier.xml").write_text("x", encoding="utf-8")
    assert export_peppol(JAN, kept).errors
    assert [p.name for p in kept.iterdir()] == ["earlier.xml"]


def test_billing_run_as_json_in_a_dry_run_and_posted(federation):
    runner = CliRunner()
    dry = runner.invoke(
        app, ["billing", "run", "--period", "2026-01", "--dry-run", "--format", "json"]
    )
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.stdout)
    assert data["period"] == "2026-01" and BillingRun.objects.count() == 0
    invoice = data["invoices"][0]
    assert invoice["number"] is None and set(invoice) >= {
        "recipient",
        "member",
        "total",
        "vat",
        "lines",
    }
    assert set(invoice["lines"][0]) >= {"product", "quantity", "unit_price", "amount"}
    assert str(sum(Decimal(i["total"]) for i in data["invoices"])) == data["total"]
    posted = runner.invoke(app, ["billing", "run", "--period", "2026-01", "--format", "json"])
    assert posted.exit_code == 0, posted.output
    assert json.loads(posted.stdout)["invoices"][0]["number"] == "F2026-00001"
    again = runner.invoke(app, ["billing", "run", "--period", "2026-01"])
    assert again.exit_code == 1 and "already posted" in again.output


def test_the_settlement_charges_the_deficit_by_key_and_an_own_cost_to_one_member(federation):
    for month in range(1, 13):
        billing_run_post(dt.date(2026, month, 1), actor="test", issue_date=ISSUED)
    billed = price_year(federation, 2026).cost("grundanslag").expected_revenue
    grant = Product.objects.get(code="grundanslag")
    ActualCost.objects.create(year=2026, product=grant, amount_ore=int((billed + 1000) * 100))
    alfa_member = Member.objects.get(code="alfa")
    ActualCost.objects.create(  # 80 000 kr that Alfa bears alone
        year=2026, product=grant, member=alfa_member, amount_ore=8000000
    )
    computed = settlement_compute(2026)
    alfa, beta = computed.members
    grant_lines = {
        m.member: next(line for line in m.lines if line.product == "grundanslag")
        for m in computed.members
    }
    # The base grant's difference is split by users (600/400), not by what was billed (60/40).
    difference = sum((line.settlement for line in grant_lines.values()), ZERO)
    assert grant_lines["alfa"].settlement == (difference * Decimal("0.6")).quantize(Decimal("0.01"))
    assert alfa.settlement == alfa.actual - alfa.billed
    own = [line for line in alfa.lines if line.own_cost]
    assert [(line.product, line.settlement) for line in own] == [
        ("grundanslag", Decimal("80000.00"))
    ]
    assert not [line for line in beta.lines if line.own_cost]
    run = settlement_post(2026, actor="test", issue_date=dt.date(2027, 1, 15))
    assert run.kind == "settlement" and run.invoices.count() == 2
    with pytest.raises(BillingError):
        settlement_post(2026, actor="test")
    assert from_ore(run.total_ore) == sum(
        (from_ore(i.total_ore) * (1 if i.kind == "invoice" else -1) for i in run.invoices.all()),
        ZERO,
    )


def test_a_back_dated_order_becomes_an_adjustment_line_in_the_next_run(federation):
    from samkalk.apps.audit.services import audit_record, snapshot
    from samkalk.apps.billing.models import Usage
    from samkalk.apps.federation.models import Organisation

    billing_run_post(JAN, actor="test", issue_date=ISSUED)
    unchanged = billing_preview(FEB)
    assert not [line for d in unchanged.drafts for line in d.lines if line.source == "adjustment"]
    # A January order of 10 computer-months reaches the register after January was posted.
    usage = Usage.objects.create(
        organisation=Organisation.objects.get(code="alfa-ks"),
        product=Product.objects.get(code="datorer-hyra"),
        month=JAN,
        quantity=Decimal(10),
    )
    audit_record(
        actor="test",
        via="test",
        action="create",
        instance=usage,
        before=None,
        after=snapshot(usage),
    )
    price = Decimal("600.00")  # the price in force (the sample's Priser), not the computed one
    preview = billing_preview(FEB)
    (adjustment,) = [
        line for d in preview.drafts for line in d.lines if line.source == "adjustment"
    ]
    assert adjustment.amount == price * 10 and adjustment.period_start == JAN
    assert adjustment.note == "Justering 2026-01"
    billing_run_post(FEB, actor="test", issue_date=ISSUED)
    march = billing_preview(dt.date(2026, 3, 1))  # adjusted once: not again
    assert not [line for d in march.drafts for line in d.lines if line.source == "adjustment"]


def test_a_device_returned_early_is_bought_out_where_the_type_says_so(federation):
    from samkalk.apps.assets.models import AssetType

    june = dt.date(2026, 6, 1)
    assert not [
        line for d in billing_preview(june).drafts for line in d.lines if line.source == "buy_out"
    ]
    AssetType.objects.filter(code="dator").update(early_return_rule="charge_member")
    beta = next(d for d in billing_preview(june).drafts if d.recipient == "beta-skola")
    (buy_out,) = [line for line in beta.lines if line.source == "buy_out"]
    # 70 000 kr bought 2026-01-20, 48 months from February; returned 30 June after five
    # months charged: 7 000 000 öre / 48 = 145 833 rest 16, so the first 16 months carry
    # 1 458.34 kr; 70 000 − 5 × 1 458.34 = 62 708.30.
    assert buy_out.amount == Decimal("62708.30")
    assert "IT-000003" in buy_out.note and buy_out.product == "datorer-hyra"


def test_a_settlement_credit_note_refers_to_the_years_last_invoice_and_passes(federation):
    from samkalk.adapters.peppol.ubl import invoice_xml
    from samkalk.apps.billing.documents import invoice_document

    for month in (1, 2):
        billing_run_post(dt.date(2026, month, 1), actor="test", issue_date=ISSUED)
    from samkalk.apps.catalogue.models import CostPool

    for product in Product.objects.all():  # actual costs far below what was billed
        ActualCost.objects.create(year=2026, product=product, amount_ore=100)
    ActualCost.objects.create(year=2026, cost_pool=CostPool.objects.get(), amount_ore=100)
    run = settlement_post(2026, actor="test", issue_date=dt.date(2027, 1, 15))
    notes = run.invoices.filter(kind="credit_note")
    assert notes.count() == 2
    for note in notes:
        document = invoice_document(note)
        assert document.preceding_number.startswith("F2026-")
        assert violations(invoice_xml(document)) == []


def test_numbers_keep_counting_past_99999_and_a_run_needs_a_bankgiro(federation):
    from samkalk.apps.billing.services import _next_numbers
    from samkalk.apps.federation.models import Federation

    run = billing_run_post(JAN, actor="test", issue_date=ISSUED)
    Invoice.objects.filter(pk=run.invoices.first().pk).update(number="F2026-99999")
    Invoice.objects.filter(pk=run.invoices.last().pk).update(number="F2026-100000")
    assert _next_numbers("F", 2026, 2) == ["F2026-100001", "F2026-100002"]
    Federation.objects.update(bankgiro="")
    with pytest.raises(BillingError) as refused:
        billing_run_post(FEB, actor="test", issue_date=ISSUED)
    assert refused.value.error.code == "billing.no_bankgiro"
    assert BillingRun.objects.count() == 1


def test_the_base_grant_is_billed_from_the_adopted_budget_not_from_later_changes(federation):
    from samkalk.apps.budget.models import DirectCost

    live = billing_preview(JAN)
    assert "billing.budget_not_adopted" in {e.code for e in live.errors}
    _adopt(federation)

    def grant(preview):
        return sum(
            (
                line.amount
                for d in preview.drafts
                for line in d.lines
                if line.product == "grundanslag"
            ),
            ZERO,
        )

    adopted = grant(billing_preview(JAN))
    assert adopted == grant(live)
    DirectCost.objects.filter(product__code="grundanslag", year=2026).update(amount_ore=99900000)
    assert grant(billing_preview(JAN)) == adopted  # the adopted version still stands


@pytest.mark.parametrize("basis", ["book_value", "annuity"])
def test_a_posted_line_is_itemised_as_the_preview_priced_its_devices(federation, basis):
    """The run sums the devices in SQL (straight line) or in Python (annuity); either way
    the posted lines list the same devices at the same amounts as the preview, and each
    line's devices add up to it."""
    from samkalk.apps.assets.models import Asset, CapitalCostRule
    from samkalk.apps.billing.itemisation import itemisations

    CapitalCostRule.objects.update_or_create(
        year=2026,
        defaults={
            "rate_source": "internal",
            "internal_rate_percent": Decimal("3.5"),
            "interest_basis": basis,
        },
    )
    first = Asset.objects.get(tag="IT-000001")
    for n, cost in enumerate((1234567, 99901, 1234567), 2):
        Asset.objects.create(
            **{
                f.name: getattr(first, f.name)
                for f in Asset._meta.concrete_fields
                if f.name not in {"id", "tag", "acquisition_cost_ore", "acquired_on"}
            },
            tag=f"IT-T{n:04d}",
            acquisition_cost_ore=cost,
            acquired_on=dt.date(2025, n, 10),
        )
    preview = billing_preview(JAN)
    drafts = {(d.recipient, line.product): line for d in preview.drafts for line in d.lines}
    listed = group_devices(g for line in drafts.values() for g, _ in line.devices.parts)
    expected = {
        key: itemise(line.devices.keyed(), listed)
        for key, line in drafts.items()
        if line.devices.count
    }
    assert any(len(devices) == 4 for devices in expected.values())
    run = billing_run_post(JAN, actor="test", issue_date=ISSUED)
    lines = InvoiceLine.objects.filter(invoice__run=run).select_related("invoice__organisation")
    posted = itemisations(lines)
    found = {
        (line.invoice.organisation.code, line.product.code): posted[line.pk]
        for line in lines
        if line.pk in posted
    }
    assert found == expected
    for line in lines:
        if line.pk in posted:
            assert sum(amount for _, amount in posted[line.pk]) == from_ore(line.amount_ore)
