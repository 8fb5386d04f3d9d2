"""The start page: Budget 2026 at a glance, its totals, its chart and its empty state."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from samkalk.apps.accounts.models import Role
from samkalk.apps.budget.models import Budget, DirectCost
from samkalk.apps.federation.models import KeySnapshot
from samkalk.reports.budget_overview import budget_overview

NBSP = "\xa0"


def _start(client, federation, **params):
    client.force_login(federation.users[Role.ECONOMIST])
    return client.get(reverse("web:start"), params)


def test_overview_totals_equal_the_sum_of_the_direct_costs(federation):
    overview = budget_overview(federation.budget, "Grundanslag")
    assert overview.years == (2026, 2027, 2028)
    assert overview.total == (Decimal("4500000.00"), Decimal("4620000.00"), Decimal("4740000.00"))
    for index, year in enumerate(overview.years):
        lines = DirectCost.objects.filter(budget=federation.budget, year=year)
        assert overview.total[index] == sum(line.amount for line in lines)
    assert [g.category for g in overview.groups] == ["primary", "infrastructure"]
    assert overview.groups[0].rows[0].amounts[0] == Decimal("1200000.00")
    assert overview.base_grant.amounts == (
        Decimal("2500000.00"),
        Decimal("2550000.00"),
        Decimal("2600000.00"),
    )


def test_start_page_shows_the_adopted_budget_in_tkr(client, federation):
    html = _start(client, federation).content.decode()
    assert "<h1>Budget 2026 i överblick</h1>" in html
    totals = re.findall(r'<td class="num" data-total>([^<]*)</td>', html)
    assert totals == [f"4{NBSP}500", f"4{NBSP}620", f"4{NBSP}740"]
    assert f"1{NBSP}200" in html and f"2{NBSP}500" in html
    assert "tusen kronor (tkr)" in html
    assert reverse("web:object_detail", args=[federation.platform.pk]) in html
    assert "Primärobjekt" in html and "Förutsättningsteknik" in html


def test_start_page_draws_an_accessible_chart(client, federation):
    html = _start(client, federation).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert svg.count("<rect") == 3
    assert f"Skolplattform: 1{NBSP}200 tkr" in svg


def test_the_newest_adopted_budget_is_the_default_and_year_selects_another(client, federation):
    Budget.objects.create(year=2027, status=Budget.Status.DRAFT)
    assert "Budget 2026 i överblick" in _start(client, federation).content.decode()
    draft = _start(client, federation, year="2027").content.decode()
    assert "Budget 2027 i överblick" in draft and "Status: utkast." in draft
    assert _start(client, federation, year="2031").status_code == 404
    assert _start(client, federation, year="tjugo").status_code == 404


def test_without_an_adopted_budget_the_newest_is_shown(client, federation):
    Budget.objects.create(year=2027, status=Budget.Status.DRAFT)
    Budget.objects.filter(year=2026).update(status=Budget.Status.PROPOSED)
    assert "Budget 2027 i överblick" in _start(client, federation).content.decode()


def test_illustrative_figures_are_announced(client, federation):
    assert "illustrativa" not in _start(client, federation).content.decode()
    KeySnapshot.objects.filter(member=federation.beta).update(illustrative=True)
    assert "illustrativa" in _start(client, federation).content.decode()


def test_without_budgets_the_administrator_is_asked_to_import_a_workbook(client, federation):
    Budget.objects.all().delete()
    client.force_login(federation.users[Role.ADMINISTRATOR])
    response = client.get(reverse("web:start"))
    assert response.status_code == 200
    assert "Importera förbundets arbetsbok" in response.content.decode()
