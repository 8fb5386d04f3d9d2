"""What a member holds and pays: the devices of Alfa, their rent this month, their replacement.

Worked by hand from the fixture (see conftest), with a capital cost rule for 2026 added here at
3 % a year on the book value (a monthly rate of 0.25 %), straight-line depreciation:

    tag     cost    life               March 2026  book value on 1 March      rent (dep. + int.)
    A-0001  12 000  48 m 2023-04..2027-03  month 36  12 000 − 35 × 250 = 3 250  250 + 8,125 → 258,13
    A-0002   9 000  24 m 2024-11..2026-10  month 17   9 000 − 16 × 375 = 3 000  375 + 7,50  → 382,50
    total                                                                             640,63

Interest is rounded per month, half away from zero (8,125 → 8,13). A-0002 is due for
replacement first (2026-10), so it comes first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samkalk.apps.accounts.models import Role
from samkalk.apps.assets.models import Asset, CapitalCostRule
from samkalk.reports.member_devices import member_devices


def page(client, member, **query) -> str:
    response = client.get(reverse("web:member_devices", args=[member.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, tag: str) -> str:
    start = html.index(f">{tag}</a>")
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def economist(client, federation):
    client.force_login(federation.users[Role.ECONOMIST])
    return client


@pytest.fixture
def rule_2026(federation):
    return CapitalCostRule.objects.create(year=2026, internal_rate_percent=Decimal("3"))


def test_alfas_devices_in_march_2026_with_the_rent_worked_out_by_hand(
    economist, federation, rule_2026
):
    html = page(economist, federation.alfa, month="2026-03")
    assert "<caption" in html and "2 enheter hos Alfa i 2026-03" in html
    phone, computer = row_of(html, "A-0002"), row_of(html, "A-0001")
    assert "Telefoner" in phone and "iPhone 15" in phone and "Alfa kommunledning" in phone
    assert "382,50" in phone and "2026-10" in phone
    assert "Datorer" in computer and "Latitude 5440" in computer
    assert "258,13" in computer and "2027-03" in computer
    assert html.index(">A-0002</a>") < html.index(">A-0001</a>")  # by replacement month
    assert html.count("640,63") == 3  # the rent and charge totals, and the per-type total
    assert "Support" in html and "Licens" in html


def test_the_totals_add_up_to_the_ore_per_device_and_per_type(federation, rule_2026):
    devices = member_devices(federation.alfa, dt.date(2026, 3, 17))
    assert devices.month == dt.date(2026, 3, 1)
    assert [(r.tag, r.charge.rent) for r in devices.rows] == [
        ("A-0002", Decimal("382.50")),
        ("A-0001", Decimal("258.13")),
    ]
    assert devices.total.rent == devices.total.total == Decimal("640.63")
    assert [(t.type_name, t.count, t.rent) for t in devices.by_type] == [
        ("Datorer", 1, Decimal("258.13")),
        ("Telefoner", 1, Decimal("382.50")),
    ]
    assert not devices.errors


def test_the_fixtures_2023_rule_prices_the_computer_before_the_phone_is_bought(
    economist, federation
):
    # June 2023 is month 3 of A-0001: 12 000 − 2 × 250 = 11 500; 250 + 28,75 = 278,75.
    html = page(economist, federation.alfa, month="2023-06")
    assert "278,75" in row_of(html, "A-0001")
    assert ">A-0002</a>" not in html  # acquired in November 2024
    assert "1 enhet hos Alfa i 2023-06" in html


def test_without_a_rule_for_the_year_the_rent_is_the_depreciation(economist, federation):
    html = page(economist, federation.alfa, month="2025-06")
    assert "ingen regel för kapitalkostnad" in html
    assert ">375<" in row_of(html, "A-0002") and ">250<" in row_of(html, "A-0001")


def test_the_current_month_is_the_default_and_a_passed_replacement_is_marked(
    economist, federation, rule_2026, monkeypatch
):
    monkeypatch.setattr(
        "samkalk.apps.web.views_devices.timezone.localdate", lambda: dt.date(2026, 11, 22)
    )
    html = page(economist, federation.alfa)
    assert 'value="2026-11"' in html
    phone = row_of(html, "A-0002")
    assert ">0<" in phone and "(passerad)" in phone  # life over in October: no rent


def test_a_direct_purchase_is_flagged_and_pays_no_rent(economist, federation, rule_2026):
    Asset.objects.filter(tag="A-0001").update(direct_purchase=True)
    html = page(economist, federation.alfa, month="2026-03")
    computer = row_of(html, "A-0001")
    assert "direktköp</span> 0</td>" in computer and "258,13" not in computer
    assert html.count("382,50") == 6  # the phone: rent and charge; its type; three totals


def test_betas_devices_never_appear_on_alfas_page(economist, federation, rule_2026):
    for month in ("2023-06", "2026-03"):
        html = page(economist, federation.alfa, month=month)
        assert "B-0001" not in html and "ThinkPad" not in html and "Beta skola" not in html
        assert "L-0001" not in html  # in stock: no member's


def test_alfas_reader_sees_alfas_devices_and_gets_404_for_betas(client, federation):
    client.force_login(federation.users[Role.MEMBER_READER])
    html = page(client, federation.alfa, month="2026-03")
    assert ">A-0001</a>" in html and ">A-0002</a>" in html
    url = reverse("web:member_devices", args=[federation.beta.pk])
    assert client.get(url, {"month": "2026-03"}).status_code == 404


@pytest.mark.parametrize("month", ["2026-13", "2026-3", "mars", "0999-01"])
def test_a_malformed_month_is_not_found(economist, federation, month):
    url = reverse("web:member_devices", args=[federation.alfa.pk])
    assert economist.get(url, {"month": month}).status_code == 404


def test_the_member_page_links_to_the_devices(economist, federation):
    html = economist.get(reverse("web:member_detail", args=[federation.alfa.pk])).content.decode()
    assert reverse("web:member_devices", args=[federation.alfa.pk]) in html


def test_the_number_of_queries_does_not_grow_with_the_devices(federation, rule_2026):
    month = dt.date(2026, 3, 1)
    with CaptureQueriesContext(connection) as few:
        member_devices(federation.alfa, month)
    held = Asset.objects.get(tag="A-0001")
    for n in range(10):
        Asset.objects.create(
            tag=f"A-1{n:03d}",
            asset_type=held.asset_type,
            organisation=held.organisation,
            acquired_on=dt.date(2025, 1, 1),
            acquisition_cost_ore=480_000,
            status=Asset.Status.LEASED,
        )
    with CaptureQueriesContext(connection) as many:
        devices = member_devices(federation.alfa, month)
    assert len(devices.rows) == 12
    assert len(many) == len(few)


def _priced_product(code: str, price: str, **fields) -> object:
    from samkalk.apps.catalogue.models import (
        PriceModel,
        PricingGuideline,
        Product,
        ProductPrice,
        RevenueCategory,
    )
    from samkalk.apps.federation.models import Decision

    product = Product.objects.create(
        code=code,
        name=code,
        category=RevenueCategory.USAGE_BASED,
        price_model=PriceModel.PER_UNIT,
        unit="enhet/månad",
        **fields,
    )
    guideline, _ = PricingGuideline.objects.get_or_create(
        code="sjalvkostnad",
        defaults={
            "name": "Självkostnad",
            "text": "Pris = kostnad.",
            "decision": Decision.objects.first(),
        },
    )
    ProductPrice.objects.create(
        product=product,
        valid_from=dt.date(2026, 1, 1),
        amount_ore=int(Decimal(price) * 100),
        guideline=guideline,
    )
    return product


def test_support_and_licence_fees_are_the_prices_in_force(federation, rule_2026):
    from samkalk.apps.assets.models import AssetType

    AssetType.objects.filter(code="dator").update(
        support_product=_priced_product("dator-support", "45.00"),
        licence_product=_priced_product("dator-licens", "12.50"),
    )
    devices = member_devices(federation.alfa, dt.date(2026, 3, 1))
    computer = next(r for r in devices.rows if r.tag == "A-0001")
    assert (computer.charge.rent, computer.charge.support, computer.charge.licence) == (
        Decimal("258.13"),
        Decimal("45.00"),
        Decimal("12.50"),
    )
    assert computer.charge.total == Decimal("315.63")
    assert devices.total.total == Decimal("698.13")  # 640.63 + 45 + 12.50
    # Before the prices start (2025) there is no price in force: no fee, and the page says so.
    earlier = member_devices(federation.alfa, dt.date(2025, 6, 1))
    assert all(r.charge.support == 0 for r in earlier.rows)
    assert {e.code for e in earlier.errors} >= {"member_devices.no_price"}


def test_a_pooled_rent_product_charges_its_price_instead_of_the_own_plan(federation, rule_2026):
    from samkalk.apps.assets.models import AssetType
    from samkalk.apps.catalogue.models import RentBasis

    AssetType.objects.filter(code="dator").update(
        rent_product=_priced_product("dator-hyra", "300.00", rent_basis=RentBasis.POOLED)
    )
    devices = member_devices(federation.alfa, dt.date(2026, 3, 1))
    computer = next(r for r in devices.rows if r.tag == "A-0001")
    assert computer.charge.rent == Decimal("300.00")
    phone = next(r for r in devices.rows if r.tag == "A-0002")
    assert phone.charge.rent == Decimal("382.50")  # phones keep their own plan
