"""The asset pages: the register with its filters, one asset's plan, the replacement plan, and
the debt chart on the financing page. Alfa's member reader sees only Alfa's devices.

The fixture's assets (see conftest): A-0001 and A-0002 held by Alfa, B-0001 by Beta, L-0001 in
stock; a capital cost rule for 2023 at 3 % on the book value.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from samkalk.apps.accounts import access
from samkalk.apps.accounts.models import Role
from samkalk.apps.assets.models import Asset

TAGS = ("A-0001", "A-0002", "B-0001", "L-0001")


def tags_on(html: str) -> set[str]:
    return {tag for tag in TAGS if f">{tag}</a>" in html}


def register(client, **query) -> str:
    response = client.get(reverse("web:asset_list"), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def economist(client, federation):
    client.force_login(federation.users[Role.ECONOMIST])
    return client


@pytest.fixture
def alfa_reader(client, federation):
    client.force_login(federation.users[Role.MEMBER_READER])
    return client


def test_the_economist_sees_every_asset_with_holder_cost_and_end_of_life(economist):
    html = register(economist)
    assert tags_on(html) == set(TAGS)
    assert "Alfa kommunledning" in html and "Beta skola" in html and "I lager" in html
    row = html[html.index(">A-0001</a>") : html.index("</tr>", html.index(">A-0001</a>"))]
    assert "Latitude 5440" in row and "12\xa0000" in row and "2027-04" in row and "Utlånad" in row
    assert "4 tillgångar" in html


def test_a_member_reader_lists_only_their_own_members_assets(alfa_reader, federation):
    html = register(alfa_reader)
    assert tags_on(html) == {"A-0001", "A-0002"}
    assert "Beta" not in html and "ThinkPad" not in html
    assert 'id="asset-member"' not in html  # one member: nothing to choose between


def test_another_members_asset_and_one_in_stock_are_not_found_by_a_member_reader(
    alfa_reader, federation
):
    for key in ("beta", "stock"):
        url = reverse("web:asset_detail", args=[federation.assets[key].pk])
        assert alfa_reader.get(url).status_code == 404, key
    own = reverse("web:asset_detail", args=[federation.assets["alfa"].pk])
    assert alfa_reader.get(own).status_code == 200


def test_visible_assets_follows_the_role(federation):
    users = federation.users
    assert access.visible_assets(users[Role.BOARD_READER]).count() == 4
    assert set(access.visible_assets(users[Role.MEMBER_READER]).values_list("tag", flat=True)) == {
        "A-0001",
        "A-0002",
    }
    assert not access.visible_assets(federation.no_role).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "in_stock"}, {"L-0001"}),
        ({"status": "leased"}, {"A-0001", "A-0002", "B-0001"}),
        ({"end_year": "2027"}, {"A-0001"}),
        ({"end_year": "2026"}, {"A-0002", "B-0001"}),
        ({"q": "thinkpad"}, {"B-0001"}),
        ({"q": "SN-4410"}, {"A-0002"}),
        ({"q": "l-00"}, {"L-0001"}),
        ({"status": "nonsense", "end_year": "x"}, set(TAGS)),  # what does not fit is ignored
    ],
)
def test_the_register_filters(economist, query, expected):
    assert tags_on(register(economist, **query)) == expected


def test_the_register_filters_by_member_and_asset_type(economist, federation):
    assert tags_on(register(economist, member=federation.beta.pk)) == {"B-0001"}
    phones = federation.assets["alfa-phone"].asset_type_id
    html = register(economist, type=phones, member=federation.alfa.pk)
    assert tags_on(html) == {"A-0002"}
    assert "1 tillgång matchar filtret" in html


def test_a_member_reader_cannot_filter_their_way_to_another_member(alfa_reader, federation):
    assert tags_on(register(alfa_reader, member=federation.beta.pk)) == {"A-0001", "A-0002"}


def test_the_register_pages_by_fifty(economist, federation):
    computers = federation.assets["alfa"].asset_type
    Asset.objects.bulk_create(
        Asset(
            tag=f"X-{n:04d}",
            asset_type=computers,
            acquired_on=dt.date(2025, 1, 1),
            acquisition_cost_ore=100_00,
            status=Asset.Status.IN_STOCK,
        )
        for n in range(60)
    )
    first, second = register(economist), register(economist, page="2")
    assert first.count('<th scope="row"><a') == 50 and second.count('<th scope="row"><a') == 14
    assert "sida 1 av 2" in first and 'rel="next"' in first and 'rel="prev"' in second


def test_the_asset_detail_shows_the_plan_month_by_month(economist, federation):
    url = reverse("web:asset_detail", args=[federation.assets["alfa"].pk])
    html = economist.get(url).content.decode()
    # 12 000 kr over 48 months from April 2023: 250 kr a month; 3 % on 12 000 is 30 kr in April
    # (the 2023 rule); 2024 has no rule, so no interest that year.
    first = html[html.index(">2023-04</th>") : html.index("</tr>", html.index(">2023-04</th>"))]
    cells = re.findall(r'<td class="num">([^<]*)</td>', first)
    assert cells == ["250,00", "30,00", "280,00", "11\xa0750,00"]
    assert "<strong>2023</strong>: internränta som förbundet beslutat, 3 %" in html
    assert "<strong>2024</strong>: ingen regel för kapitalkostnad: ingen ränta" in html
    assert "2027-04" in html and html.count('<th scope="row" class="nowrap">') == 48
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert 'role="img"' in html and '<title id="book-value-chart-title">' in html
    assert "2026: 750;" in html  # the year-end book values are listed in the description


def test_the_financing_page_draws_debt_against_the_frame(client, federation):
    client.force_login(federation.users[Role.BOARD_READER])
    html = client.get(reverse("web:financing")).content.decode()
    assert 'id="debt-chart-title"' in html and 'class="chart-limit"' in html
    assert "2026: skuld 2\xa0000 tkr, ram 5\xa0000 tkr" in html
    assert "<caption" in html  # the table stays


def replacement_page(client, year: int = 2026) -> str:
    response = client.get(reverse("web:replacement_plan"), {"year": year})
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ")


def test_the_replacement_plan_counts_devices_per_year_type_and_member(economist):
    html = replacement_page(economist)
    # Priced at each type's latest purchases: Datorer 11 000 (2025), Telefoner 9 000 (2024).
    assert "Utbytesplan 2026–2028" in html
    assert 'id="replacement-chart-title"' in html and 'class="chart-segment"' in html
    assert "2026: 20 tkr (Datorer 11 tkr, Telefoner 9 tkr)" in html
    assert "2027: 11 tkr (Datorer 11 tkr)" in html and "2028: 0 tkr." in html
    assert "<td>Beta</td>" in html and "<td>Alfa</td>" in html
    # The need: Datorer 2026 is planned at 2 000 + 123 tkr; Telefoner is not planned at all.
    assert ">2 123<" in html and ">−9<" in html.replace("-9<", "−9<")
    assert "Förväntat pris per tillgångstyp" in html


def test_a_member_reader_sees_only_their_own_members_replacements(alfa_reader):
    html = replacement_page(alfa_reader)
    assert "<td>Alfa</td>" in html and "Telefoner" in html
    assert "Beta" not in html and "2026: 9 tkr (Telefoner 9 tkr)" in html
    assert 'id="need-caption"' not in html and "Förväntat pris" not in html


def test_devices_in_stock_are_only_for_readers_of_every_member(economist, alfa_reader, federation):
    economist.force_login(federation.users[Role.ECONOMIST])
    assert "I lager" in replacement_page(economist, 2029)
    alfa_reader.force_login(federation.users[Role.MEMBER_READER])
    assert "I lager" not in replacement_page(alfa_reader, 2029)


def test_the_replacement_plan_refuses_a_year_that_is_not_one(economist):
    assert economist.get(reverse("web:replacement_plan"), {"year": "20x6"}).status_code == 404
