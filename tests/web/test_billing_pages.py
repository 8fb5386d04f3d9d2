"""The billing pages over the billed federation (conftest ``billed``): February and March 2026
posted, April not yet.

Alfa's March invoice, worked by hand (kronor; VAT 25 %):

    line  product          source     basis                       amount
    1     Grundanslag      key share  60 % of 2 500 000 / 12      125 000,00
    2     Skolplattform    key share  60 % of 1 200 000 / 12       60 000,00
    3     Nätanslutning    usage      610 × 800,00                488 000,00
    4     Datorhyra        devices    A-0001 250,00 + A-0002 375   625,00
    net 673 625,00, VAT 168 406,25, total 842 031,25
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from samkalk.adapters.peppol.validate import violations
from samkalk.adapters.sie.reader import read_sie
from samkalk.apps.accounts.models import Role
from samkalk.apps.billing.models import BillingRun, Invoice
from samkalk.apps.federation.models import Organisation
from samkalk.core.errors import CoreError
from samkalk.core.ledger import balance
from tests.web.walk import pdf_text

APRIL = "2026-04"
NBSP = "\xa0"


def login(client, billed, role: Role):
    client.force_login(billed.users[role])
    return client


def html_of(response) -> str:
    return response.content.decode()


def get_html(client, billed, role: Role, url: str) -> str:
    return html_of(login(client, billed, role).get(url))


def preview_url(month: str = APRIL) -> str:
    return f"{reverse('web:billing_preview')}?month={month}"


# --- the runs and who reads them --------------------------------------------------------------


def test_the_runs_list_shows_each_posted_run_with_its_totals_and_invoices(client, billed):
    html = html_of(login(client, billed, Role.ECONOMIST).get(reverse("web:billing_runs")))
    march = billed.march
    row = html[html.index(reverse("web:billing_run", args=[march.pk])) :]
    row = row[: row.index("</tr>")]
    assert "2026-03" in row and "Månadskörning" in row
    assert f">{march.invoices.count()}<" in row
    total = f"{march.total_ore // 100:,}".replace(",", NBSP) + f",{march.total_ore % 100:02d}"
    assert total in row and "test" in row
    assert "2026-02" in html
    assert 'name="month"' in html and f'value="{APRIL}"' in html  # the next month to preview


@pytest.mark.parametrize("role", [Role.MEMBER_READER, Role.OBJECT_OWNER])
def test_those_who_do_not_read_billing_are_refused_the_runs(client, billed, role):
    login(client, billed, role)
    for url in (
        reverse("web:billing_runs"),
        preview_url(),
        reverse("web:billing_run", args=[billed.march.pk]),
        reverse("web:billing_run_sie", args=[billed.march.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_board_reads_the_preview_but_may_not_post(client, billed):
    login(client, billed, Role.BOARD_READER)
    html = html_of(client.get(preview_url()))
    assert "Bokför körningen" not in html
    assert client.post(preview_url()).status_code == 403
    assert not BillingRun.objects.filter(period=dt.date(2026, 4, 1)).exists()


def test_navigation_shows_billing_to_its_readers_and_the_settlement_to_the_others(client, billed):
    runs, settlement = reverse("web:billing_runs"), reverse("web:settlement")
    economist = html_of(login(client, billed, Role.ECONOMIST).get(reverse("web:start")))
    assert f'href="{runs}">Fakturering</a>' in economist
    owner = html_of(login(client, billed, Role.OBJECT_OWNER).get(reverse("web:start")))
    assert f'href="{runs}"' not in owner and f'href="{settlement}">Avräkning</a>' in owner
    reader = html_of(login(client, billed, Role.MEMBER_READER).get(reverse("web:start")))
    invoices = reverse("web:member_invoices", args=[billed.alfa.pk])
    assert f'href="{invoices}">Fakturor</a>' in reader and f'href="{runs}"' not in reader


# --- the preview and posting ------------------------------------------------------------------


def test_the_preview_shows_each_draft_the_changes_and_the_warnings(client, billed):
    html = html_of(login(client, billed, Role.ECONOMIST).get(preview_url()))
    assert "Förhandsgranskning av körningen 2026-04" in html
    assert "Alfa kommunledning" in html and "Beta skola" in html
    # April has no usage: the network line of March is gone, a change of −488 000,00 for Alfa
    changes = html[html.index('id="differences-heading"') :]
    changes = changes[: changes.index("</table>")]
    assert f"488{NBSP}000,00" in changes and f"-488{NBSP}000,00" in changes
    assert "capital_cost.no_rule" in html  # a warning, which does not stop the run
    assert "Bokför körningen 2026-04" in html and "csrfmiddlewaretoken" in html
    assert "A-0001" in html and "<details" in html


def test_posting_a_month_writes_the_run_and_opens_it(client, billed):
    login(client, billed, Role.ECONOMIST)
    response = client.post(preview_url())
    run = BillingRun.objects.get(kind="month", period=dt.date(2026, 4, 1))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:billing_run", args=[run.pk])
    page = html_of(client.get(response["Location"]))
    assert "Debiteringskörning 2026-04" in page and "är bokförd" in page
    assert run.invoices.count() == 2 and run.posted_by == billed.users[Role.ECONOMIST].username


def test_posting_a_month_twice_is_refused_with_the_services_message(client, billed):
    login(client, billed, Role.ECONOMIST)
    response = client.post(preview_url("2026-03"))
    assert response.status_code == 400
    html = html_of(response)
    assert "Månaden är redan bokförd" in html and "already posted" in html
    assert BillingRun.objects.filter(kind="month").count() == 2
    assert "Bokför körningen" not in html  # a posted month offers no button


def test_a_month_with_blocking_errors_is_refused_and_writes_nothing(client, billed):
    Organisation.objects.update(receives_member_invoices=False)
    login(client, billed, Role.ECONOMIST)
    page = html_of(client.get(preview_url()))
    assert "Stoppar körningen:" in page and "billing.no_recipient" in page
    response = client.post(preview_url())
    assert response.status_code == 400
    assert "tar emot dess fakturor" in html_of(response)
    assert not BillingRun.objects.filter(period=dt.date(2026, 4, 1)).exists()


def test_posting_needs_the_csrf_token(billed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(billed.users[Role.ECONOMIST])
    assert client.post(preview_url()).status_code == 403
    assert not BillingRun.objects.filter(period=dt.date(2026, 4, 1)).exists()


# --- a run and its downloads ------------------------------------------------------------------


def test_the_run_page_lists_its_invoices_and_links_every_download(client, billed):
    march = billed.march
    html = html_of(
        login(client, billed, Role.BOARD_READER).get(reverse("web:billing_run", args=[march.pk]))
    )
    for invoice in march.invoices.all():
        assert reverse("web:invoice", args=[invoice.pk]) in html
        assert reverse("web:invoice_xml", args=[invoice.pk]) in html
    assert reverse("web:billing_run_sie", args=[march.pk]) in html
    for organisation in billed.organisations.values():
        assert reverse("web:billing_run_xlsx", args=[march.pk, organisation.pk]) in html


def test_the_downloads_are_the_exports_of_the_month(client, billed):
    march = billed.march
    login(client, billed, Role.ECONOMIST)
    sie = client.get(reverse("web:billing_run_sie", args=[march.pk]))
    assert (
        sie["Content-Disposition"].startswith("attachment")
        and "2026-03.se" in sie["Content-Disposition"]
    )
    contents = read_sie(sie.getvalue())
    assert not contents.errors and len(contents.vouchers) == 2
    assert all(balance(v) == 0 for v in contents.vouchers)
    alfa_invoice = billed.invoices["alfa"]
    response = client.get(reverse("web:invoice_xml", args=[alfa_invoice.pk]))
    assert response["Content-Type"] == "application/xml"
    xml = response.getvalue()
    assert violations(xml) == [] and alfa_invoice.number.encode() in xml
    alfa_org = billed.organisations["alfa"]
    book = client.get(reverse("web:billing_run_xlsx", args=[march.pk, alfa_org.pk]))
    cells = [
        row
        for sheet in load_workbook(io.BytesIO(book.getvalue()), read_only=True).worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    assert {row[0] for row in cells[1:]} == {alfa_invoice.number}
    assert "A-0001" in {row[12] for row in cells[1:]}  # a device under its line


def test_a_member_reader_downloads_its_own_specification_but_not_anothers(client, billed):
    login(client, billed, Role.MEMBER_READER)
    march = billed.march
    own = client.get(
        reverse("web:billing_run_xlsx", args=[march.pk, billed.organisations["alfa"].pk])
    )
    assert own.status_code == 200
    other = reverse("web:billing_run_xlsx", args=[march.pk, billed.organisations["beta"].pk])
    assert client.get(other).status_code == 404


# --- invoices ---------------------------------------------------------------------------------


def test_a_member_reader_sees_its_own_invoices_and_not_anothers(client, billed):
    login(client, billed, Role.MEMBER_READER)
    html = html_of(client.get(reverse("web:member_invoices", args=[billed.alfa.pk])))
    for invoice in Invoice.objects.filter(member=billed.alfa):
        assert invoice.number in html
    for invoice in Invoice.objects.filter(member=billed.beta):
        assert invoice.number not in html
        for name in ("web:invoice", "web:invoice_pdf", "web:invoice_xml"):
            assert client.get(reverse(name, args=[invoice.pk])).status_code == 404, name
    assert client.get(reverse("web:member_invoices", args=[billed.beta.pk])).status_code == 404


def test_a_member_reader_downloads_its_own_ledger_file_of_a_month(client, billed):
    """Alfa's March invoice (842 031,25 with 168 406,25 VAT) as Alfa's own ledger books it, in
    the default accounts: payable 2440, input VAT 2641, cost 6540."""
    login(client, billed, Role.MEMBER_READER)
    html = html_of(client.get(reverse("web:member_invoices", args=[billed.alfa.pk])))
    url = reverse("web:member_sie", args=[billed.alfa.pk])
    assert f"{url}?month=2026-03" in html and f"{url}?month=2026-02" in html
    response = client.get(f"{url}?month=2026-03")
    assert response.status_code == 200
    assert "2026-03-" in response["Content-Disposition"]
    contents = read_sie(response.getvalue())
    assert not contents.errors and contents.company.org_number == billed.alfa.org_number
    (voucher,) = contents.vouchers
    assert billed.invoices["alfa"].number in voucher.text and balance(voucher) == 0
    sums: dict[str, Decimal] = {}
    for transaction in voucher.transactions:
        sums[transaction.account] = sums.get(transaction.account, 0) + transaction.amount
    assert sums == {
        "2440": Decimal("-842031.25"),
        "6540": Decimal("673625.00"),
        "2641": Decimal("168406.25"),
    }
    latest = client.get(url)  # without a month: the latest the member was invoiced in
    assert latest.getvalue() == response.getvalue()
    assert client.get(f"{url}?month=2026-04").status_code == 404  # nothing invoiced yet
    assert client.get(f"{url}?month=2026-13").status_code == 404
    assert client.get(f"{url}?month=2026-03&company=no-such").status_code == 404
    other = reverse("web:member_sie", args=[billed.beta.pk])
    assert client.get(f"{other}?month=2026-03").status_code == 404
    login(client, billed, Role.ECONOMIST)
    assert client.get(f"{other}?month=2026-03").status_code == 200


def test_a_ledger_file_that_cannot_be_made_is_explained_on_the_invoices_page(
    client, billed, monkeypatch
):
    from samkalk.apps.web import views_billing

    problem = CoreError("ledger.no_vat_account", "F-1: no account for input VAT at 12 %")
    monkeypatch.setattr(views_billing, "member_sie_files", lambda month, members: ({}, (problem,)))
    login(client, billed, Role.MEMBER_READER)
    response = client.get(f"{reverse('web:member_sie', args=[billed.alfa.pk])}?month=2026-03")
    assert response.status_code == 409
    assert "no account for input VAT at 12 %" in html_of(response)


def test_the_invoice_page_shows_every_line_its_basis_devices_vat_and_totals(client, billed):
    invoice = billed.invoices["alfa"]
    html = html_of(
        login(client, billed, Role.MEMBER_READER).get(reverse("web:invoice", args=[invoice.pk]))
    )
    assert f"Faktura {invoice.number}" in html
    assert "Nätanslutning" in html and "610 × 800,00" in html and "Avrop" in html
    assert "andel 60,00 % av 1 500 000,00 kr per år" in html  # the key share's basis
    assert '<details class="devices" open>' in html and "2 enheter" in html
    assert "A-0001" in html and "250,00" in html and "375,00" in html
    assert f"673{NBSP}625,00" in html and f"168{NBSP}406,25" in html
    assert f"842{NBSP}031,25" in html and f"Moms 25,0{NBSP}% på 673{NBSP}625,00" in html
    assert "data-print hidden>Skriv ut</button>" in html and "samkalk/print.js" in html
    assert "Kreditera fakturan" not in html  # a member reader changes nothing


def test_a_long_device_list_is_folded(client, billed):
    from samkalk.apps.billing.models import BilledDeviceGroup, InvoiceLine

    line = InvoiceLine.objects.get(invoice=billed.invoices["alfa"], product__code="datorhyra")
    group = BilledDeviceGroup.objects.create(
        run=line.invoice.run,
        month=line.period_start,
        organisation=line.invoice.organisation,
        count=12,
        rent_ore=1200,
        each_ore=100,
        tags=[f"X-{n:04d}" for n in range(12)],
        amounts=[100] * 12,
    )
    InvoiceLine.objects.filter(pk=line.pk).update(devices={"parts": [[group.pk, "1.00"]]})
    html = html_of(
        login(client, billed, Role.ECONOMIST).get(reverse("web:invoice", args=[line.invoice_id]))
    )
    assert '<details class="devices">' in html and "12 enheter" in html and "X-0011" in html


def test_the_stylesheet_prints_the_invoice_without_the_site_around_it(client, billed):
    from django.contrib.staticfiles import finders

    with open(finders.find("samkalk/samkalk.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    printing = css[css.index("@media print") :]
    assert ".site-nav" in printing and ".no-print" in printing and "display: none" in printing


def test_the_pdf_specification_holds_the_number_lines_and_devices(client, billed):
    invoice = billed.invoices["alfa"]
    response = login(client, billed, Role.MEMBER_READER).get(
        reverse("web:invoice_pdf", args=[invoice.pk])
    )
    content = response.getvalue()
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    text = pdf_text(content)
    assert invoice.number in text and "Nätanslutning" in text.encode("latin-1").decode("latin-1")
    assert "A-0002" in text and "842" in text


# --- credit notes ------------------------------------------------------------------------------


def test_crediting_an_invoice_makes_a_credit_note_that_refers_to_it(client, billed):
    invoice = billed.invoices["beta"]
    login(client, billed, Role.ECONOMIST)
    url = reverse("web:invoice", args=[invoice.pk])
    assert "Kreditera fakturan" in html_of(client.get(url))
    response = client.post(url, {"reason": "Fel antal anslutningar"})
    note = Invoice.objects.get(credits=invoice)
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:invoice", args=[note.pk]
    )
    note_page = html_of(client.get(response["Location"]))
    assert f"Kreditnota {note.number}" in note_page
    assert f"rättar faktura {invoice.number}" in note_page and "Fel antal anslutningar" in note_page
    invoice_page = html_of(client.get(url))
    assert f"kreditnota {note.number}" in invoice_page and "Kreditera fakturan" not in invoice_page
    again = client.post(url, {"reason": "igen"})
    assert again.status_code == 400 and "redan krediterad" in html_of(again)
    assert Invoice.objects.filter(credits=invoice).count() == 1


def test_a_credit_note_needs_a_reason_and_a_manager(client, billed):
    invoice = billed.invoices["alfa"]
    url = reverse("web:invoice", args=[invoice.pk])
    response = login(client, billed, Role.ECONOMIST).post(url, {"reason": "  "})
    assert response.status_code == 400 and "field-error" in html_of(response)
    assert login(client, billed, Role.BOARD_READER).post(url, {"reason": "x"}).status_code == 403
    assert login(client, billed, Role.MEMBER_READER).post(url, {"reason": "x"}).status_code == 403
    assert not Invoice.objects.filter(credits=invoice).exists()


# --- the settlement ----------------------------------------------------------------------------


def test_the_settlement_shows_each_member_its_lines_and_a_chart(client, billed):
    html = html_of(login(client, billed, Role.ECONOMIST).get(reverse("web:settlement")))
    assert "Slutavräkning 2026" in html
    assert 'data-member="alfa"' in html and 'data-member="beta"' in html
    assert "egen kostnad" in html  # the 50 000 kr Alfa bears alone
    assert re.search(r'<svg [^>]*role="img"', html) and "Avräkning 2026 per medlem" in html
    assert "data-total" in html and "Bokför slutavräkningen 2026" in html


def test_a_member_reader_sees_only_its_own_members_settlement(client, billed):
    html = html_of(login(client, billed, Role.MEMBER_READER).get(reverse("web:settlement")))
    assert 'data-member="alfa"' in html and 'data-member="beta"' not in html
    assert "Beta" not in html and "data-total" not in html
    assert "Bokför slutavräkningen" not in html
    assert client.post(reverse("web:settlement")).status_code == 403


def test_posting_the_settlement_writes_its_run_once(client, billed):
    login(client, billed, Role.ECONOMIST)
    response = client.post(f"{reverse('web:settlement')}?year=2026")
    run = BillingRun.objects.get(kind="settlement")
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:billing_run", args=[run.pk]
    )
    page = html_of(client.get(response["Location"]))
    assert (
        "Slutavräkning 2026" in page and reverse("web:billing_run_sie", args=[run.pk]) not in page
    )
    again = client.post(f"{reverse('web:settlement')}?year=2026")
    assert again.status_code == 400 and "redan bokförd" in html_of(again)
    assert BillingRun.objects.filter(kind="settlement").count() == 1
