"""The catalogue with its prices, the price list download and one product's price calculation.

Beside the conftest federation: a premises pool of 100 000 kr spread 60 % on the school platform
and 30 % on the network connection (10 % stays unallocated), and the school platform consuming
10 % of the network connection, so the calculation has pool shares and a transfer to show.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samkalk.apps.accounts.models import Role
from samkalk.apps.budget.models import Consumption, CostPoolLine, OverheadShare
from samkalk.apps.catalogue.models import CostPool, PricingGuideline, ProductPrice
from samkalk.reports.charts import Step, waterfall_chart
from samkalk.reports.pricing import price_year

NBSP = "\xa0"


@pytest.fixture
def pooled(federation):
    pool = CostPool.objects.create(code="lokaler", name="Lokaler", kind=CostPool.Kind.PREMISES)
    budget, products = federation.budget, federation.products
    CostPoolLine.objects.create(budget=budget, cost_pool=pool, year=2026, amount_ore=100_000_00)
    for code, weight in (("skolplattform", 60), ("natanslutning", 30)):
        OverheadShare.objects.create(
            budget=budget, year=2026, cost_pool=pool, product=products[code], weight=weight
        )
    Consumption.objects.create(
        budget=budget,
        year=2026,
        consumer=products["skolplattform"],
        provider=products["natanslutning"],
        percent=Decimal(10),
    )
    return federation


def _get(client, federation, role, name, *args, **params):
    client.force_login(federation.users[role])
    return client.get(reverse(name, args=args), params)


def test_the_catalogue_groups_products_per_object_with_the_years_prices(client, federation):
    guideline = PricingGuideline.objects.create(
        code="sjalvkostnad", name="Självkostnadsprincipen", text="…", decision=federation.decision
    )
    ProductPrice.objects.create(
        product=federation.products["natanslutning"],
        valid_from=dt.date(2026, 1, 1),
        amount_ore=812_50,
        guideline=guideline,
    )
    html = _get(client, federation, Role.MEMBER_READER, "web:product_list").content.decode()
    headings = re.findall(r"<h2 [^>]*>(?:<a [^>]*>)?([^<]+)", html)
    assert headings == ["Nätverk", "Skolplattform", "Grundanslag (produkter utan objekt)"]
    assert "800,00&nbsp;kr" in html  # the computed unit price of 2026
    assert "enligt fördelningsnyckel" in html
    assert "812,50&nbsp;kr från 2026-01-01" in html and "Självkostnadsprincipen" in html
    assert "Licenser och support." in html
    calc = reverse("web:price_calculation", args=[federation.products["natanslutning"].pk])
    assert f'href="{calc}?year=2026"' in html
    plan = _get(client, federation, Role.MEMBER_READER, "web:product_list", year="2027")
    assert "820,00&nbsp;kr" in plan.content.decode()


def test_the_price_list_downloads_as_xlsx_with_formula_text_neutralised(client, federation):
    product = federation.products["natanslutning"]
    product.description = '=HYPERLINK("http://example.com")'
    product.save()
    response = _get(client, federation, Role.MEMBER_READER, "web:price_list_xlsx", year="2026")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="prislista-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"natanslutning", "skolplattform", "grundanslag"}
    assert rows["natanslutning"][7].value == 800
    assert rows["skolplattform"][7].value is None  # allocated: no unit price
    description = rows["natanslutning"][11]
    assert description.value == product.description and description.data_type == "s"


def test_the_price_calculation_explains_the_full_cost_part_by_part(client, pooled):
    network = pooled.products["natanslutning"]
    cost = price_year(pooled.budget, 2026).cost("natanslutning")
    assert cost.pool_shares == {"lokaler": Decimal("30000.00")}
    assert cost.passed_on == {"skolplattform": Decimal("83000.00")}
    response = _get(client, pooled, Role.ECONOMIST, "web:price_calculation", network.pk)
    html = response.content.decode()
    assert "<h1>Priskalkyl: Nätanslutning</h1>" in html
    assert f'data-part="direct">800{NBSP}000,00<' in html
    assert f'data-part="pool">30{NBSP}000,00<' in html
    assert f'data-part="passed-on">−83{NBSP}000,00<' in html
    platform = reverse("web:price_calculation", args=[pooled.products["skolplattform"].pk])
    assert f'href="{platform}?year=2026"' in html
    assert f'data-part="full-cost">747{NBSP}000,00<' in html
    assert cost.full_cost == Decimal("747000.00") and cost.unit_price == Decimal("747.00")
    assert "747,00&nbsp;kr" in html and "hela ören" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "Vidarefört till Skolplattform licens: -83" in svg
    # the receiving side links back to its provider
    other = _get(client, pooled, Role.ECONOMIST, "web:price_calculation", platform.split("/")[2])
    assert f'data-part="received">83{NBSP}000,00<' in other.content.decode()


def test_rounding_to_ten_kronor_shows_the_over_coverage(client, federation):
    network = federation.products["natanslutning"]
    network.rounding = "ten_kronor"
    network.save()
    # 800 004 kr over 1 000 connections is 800,004 kr; rounded to ten kronor, 800 kr
    federation.budget.direct_costs.filter(product=network, year=2026).update(amount_ore=80_000_400)
    cost = price_year(federation.budget, 2026).cost("natanslutning")
    assert cost.unit_price == Decimal("800.00") and cost.coverage == Decimal("-4.00")
    html = _get(
        client, federation, Role.BOARD_READER, "web:price_calculation", network.pk
    ).content.decode()
    assert "data-coverage>-4,00&nbsp;kr" in html and "underskott" in html
    assert "tiotal kronor" in html


def test_a_member_reader_sees_only_its_own_quantity_and_the_total(client, federation):
    network = federation.products["natanslutning"]
    reader = _get(client, federation, Role.MEMBER_READER, "web:price_calculation", network.pk)
    html = reader.content.decode()
    assert reader.status_code == 200
    assert "Alfa" in html and f"1{NBSP}000" in html and "Beta" not in html
    board = _get(client, federation, Role.BOARD_READER, "web:price_calculation", network.pk)
    assert "Beta" in board.content.decode()


def test_an_unknown_year_or_product_is_not_found(client, federation):
    network = federation.products["natanslutning"]
    assert (
        _get(client, federation, Role.ECONOMIST, "web:price_calculation", network.pk, year="2040")
    ).status_code == 404
    assert (
        _get(client, federation, Role.ECONOMIST, "web:price_calculation", 9999).status_code == 404
    )
    plan = _get(client, federation, Role.ECONOMIST, "web:price_calculation", network.pk, ar="2028")
    assert "840,00&nbsp;kr" in plan.content.decode()  # ?ar= is the Swedish alias of ?year=


def test_the_waterfall_draws_what_is_taken_away_in_its_own_colour():
    steps = [
        Step("Direkt", Decimal(100), "100 kr"),
        Step("Vidarefört", Decimal(-40), "−40 kr"),
        Step("Självkostnad", Decimal(60), "60 kr", total=True),
    ]
    svg = waterfall_chart(steps, chart_id="w", title="T", description="D")
    rects = re.findall(
        r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="\d+" fill="(#\w+)"', svg
    )
    (x1, w1, c1), (x2, w2, c2), (_, w3, c3) = rects
    assert (x1, c1) == ("0", "#1d5a8c") and c2 == "#a4121b" and c3 == "#6b3f8f"
    assert Decimal(x2) + Decimal(w2) == Decimal(w1)  # the minus ends where the plus ended
    assert Decimal(w3) == Decimal(x2)  # the total reaches where the minus began
