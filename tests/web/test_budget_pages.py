"""The budget page and its versions, the budget download, the staff budget and a member's forecast.

Every figure is compared with the computation layer (``reports.pricing``), never recomputed.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samkalk.apps.accounts.models import Role
from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.budget.models import Budget, BudgetVersion
from samkalk.apps.federation.models import Decision
from samkalk.reports import formatting
from samkalk.reports.budget_report import budget_summary
from samkalk.reports.pricing import price_budget, price_year

NBSP = "\xa0"


def _decimals(values) -> list:
    """Cell values as Decimal (openpyxl reads numbers as float), text as it is."""
    return [Decimal(str(v)) if isinstance(v, int | float) else v for v in values]


def _get(client, federation, role, name, *args, **params):
    client.force_login(federation.users[role])
    return client.get(reverse(name, args=args), params)


def _post(client, federation, role, **data):
    client.force_login(federation.users[role])
    return client.post(reverse("web:budget"), data)


def test_the_budget_page_shows_categories_statement_and_versions(client, federation):
    priced = price_budget(federation.budget)
    summary = budget_summary(federation.budget, priced)
    html = _get(client, federation, Role.MEMBER_READER, "web:budget").content.decode()
    assert "<h1>Budget 2026</h1>" in html
    share = formatting.percent(summary["revenue_by_category_percent"]["base_grant"])
    amount = formatting.tkr(summary["revenue_by_category"]["base_grant"])
    assert f'<td class="num">{amount}</td>' in html
    assert f'<td class="num">{share}</td>' in html
    assert f"data-total>{formatting.tkr(summary['revenue_total'])}<" in html
    results = re.findall(r"<td class=\"num\" data-result>([^<]*)</td>", html)
    assert results == [formatting.tkr(year.statement.result) for year in priced]
    assert "Resultaträkning" in html and "Påverkbara kostnader" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and f"Grundanslag: {amount} tkr" in svg
    assert "Spara en version" not in html  # only those who manage data may save one
    assert reverse("web:staff_budget") not in html  # nor see the salaries


def test_the_budget_page_shows_how_much_of_a_pool_is_unallocated(client, federation):
    from samkalk.apps.budget.models import CostPoolLine, OverheadShare
    from samkalk.apps.catalogue.models import CostPool

    pool = CostPool.objects.create(code="lokaler", name="Lokaler", kind=CostPool.Kind.PREMISES)
    CostPoolLine.objects.create(
        budget=federation.budget, cost_pool=pool, year=2026, amount_ore=100_000_00
    )
    OverheadShare.objects.create(
        budget=federation.budget,
        year=2026,
        cost_pool=pool,
        product=federation.products["grundanslag"],
        weight=75,
    )
    assert price_year(federation.budget, 2026).result.unallocated["lokaler"] == 25_000
    html = _get(client, federation, Role.BOARD_READER, "web:budget").content.decode()
    assert "data-unallocated>25<" in html


def test_an_economist_saves_a_draft_version(client, federation):
    response = _post(client, federation, Role.ECONOMIST, status="draft", note="Till presidiet")
    assert response.status_code == 302
    version = BudgetVersion.objects.get()
    assert (version.number, version.status, version.created_by) == (1, "draft", "ekonom")
    assert version.figures["year"] == 2026
    html = client.get(response["Location"]).content.decode()
    assert "Version 1 av budget 2026 är sparad som utkast." in html
    assert "Till presidiet" in html


def test_adopting_without_a_board_decision_is_refused_and_writes_nothing(client, federation):
    audit_before = AuditEntry.objects.count()
    response = _post(client, federation, Role.ECONOMIST, status="adopted", decision="")
    assert response.status_code == 400
    assert "Att fastställa en budget kräver direktionens beslut" in response.content.decode()
    assert not BudgetVersion.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert Budget.objects.get().status == "adopted"  # unchanged: still the conftest's


def test_adopting_with_the_board_decision_saves_an_adopted_version(client, federation):
    response = _post(
        client, federation, Role.ADMINISTRATOR, status="adopted", decision=federation.decision.pk
    )
    assert response.status_code == 302
    assert BudgetVersion.objects.get().decision == federation.decision


def test_a_delegated_decision_cannot_adopt_the_budget(client, federation):
    delegated = Decision.objects.create(
        reference="DEL 1",
        decided_on=federation.decision.decided_on,
        body=Decision.Body.DELEGATED,
        title="Delegationsbeslut",
    )
    response = _post(client, federation, Role.ECONOMIST, status="adopted", decision=delegated.pk)
    assert response.status_code == 400 and not BudgetVersion.objects.exists()


@pytest.mark.parametrize("role", [Role.MEMBER_READER, Role.BOARD_READER, Role.OBJECT_OWNER])
def test_only_those_who_manage_data_may_save_a_version(client, federation, role):
    assert _post(client, federation, role, status="draft").status_code == 403
    assert not BudgetVersion.objects.exists()


def test_the_budget_downloads_as_xlsx_for_every_reader(client, federation):
    priced = price_budget(federation.budget)
    response = _get(client, federation, Role.MEMBER_READER, "web:budget_xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Delbudgetar",
        "Intäktskategorier",
        "Resultaträkning",
        "Påverkbara kostnader",
    ]
    objects = {
        row[1]: _decimals(row[2:]) for row in book["Delbudgetar"].iter_rows(values_only=True)
    }
    assert objects["Skolplattform"] == [
        year.cost("skolplattform").expected_revenue for year in priced
    ]
    statement = {
        row[0]: _decimals(row[1:]) for row in book["Resultaträkning"].iter_rows(values_only=True)
    }
    assert statement["Resultat"] == [year.statement.result for year in priced]
    assert statement["Intäkter"][0] == priced[0].statement.revenue
    assert book["Resultaträkning"]["B2"].number_format == "#,##0.00"


def test_the_staff_budget_prints_the_table_and_the_posts(client, federation):
    staff = [year.staff for year in price_budget(federation.budget)]
    html = _get(client, federation, Role.ECONOMIST, "web:staff_budget").content.decode()
    totals = re.findall(r"<td class=\"num\" data-total>([^<]*)</td>", html)
    assert totals == [formatting.tkr(s.total) for s in staff]
    assert f'<td class="num">{formatting.tkr(staff[0].holiday_pay)}</td>' in html
    assert "Ekonom" in html and f"540{NBSP}000" in html and "50&nbsp;%" in html
    assert staff[0].posts[0].annual_salary == 540_000


@pytest.mark.parametrize("role", [Role.MEMBER_READER, Role.BOARD_READER, Role.OBJECT_OWNER])
def test_salaries_are_not_for_board_owners_or_members(client, federation, role):
    assert _get(client, federation, role, "web:staff_budget").status_code == 403


def test_the_member_forecast_groups_what_alfa_pays_per_object(client, federation):
    priced = price_year(federation.budget, 2026)
    forecast = next(f for f in priced.forecasts()[0] if f.member == "alfa")
    response = _get(
        client, federation, Role.MEMBER_READER, "web:member_forecast", federation.alfa.pk
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Vad Alfa betalar 2026</h1>" in html
    assert f"data-total>{formatting.kronor(forecast.total)}<" in html
    assert "600 anslutning-månad × 800,00 kr" in html
    assert f"nyckelandel 60,0{NBSP}%" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and f"Skolplattform: 720{NBSP}000 kr" in svg
    plan = _get(
        client,
        federation,
        Role.MEMBER_READER,
        "web:member_forecast",
        federation.alfa.pk,
        year="2027",
    )
    assert "<h1>Vad Alfa betalar 2027</h1>" in plan.content.decode()


def test_a_member_reader_cannot_open_another_members_forecast(client, federation):
    beta = federation.beta.pk
    assert (
        _get(client, federation, Role.MEMBER_READER, "web:member_forecast", beta).status_code == 404
    )
    assert (
        _get(client, federation, Role.BOARD_READER, "web:member_forecast", beta).status_code == 200
    )


def test_the_member_page_links_to_the_forecast(client, federation):
    html = _get(client, federation, Role.MEMBER_READER, "web:member_detail", federation.alfa.pk)
    assert reverse("web:member_forecast", args=[federation.alfa.pk]) in html.content.decode()


def test_a_members_own_investment_is_its_own_group_in_its_forecast(client, federation):
    priced = price_year(federation.budget, 2026)
    own = next(c for c in priced.member_investments if c.member == "beta")
    html = _get(
        client, federation, Role.BOARD_READER, "web:member_forecast", federation.beta.pk
    ).content.decode()
    assert "Medlemmens egna investeringar" in html and "Skärmar" in html
    assert f'<td class="num">{formatting.kronor(own.amount)}</td>' in html
    alfa = _get(client, federation, Role.BOARD_READER, "web:member_forecast", federation.alfa.pk)
    assert "Skärmar" not in alfa.content.decode()
