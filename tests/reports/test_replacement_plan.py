"""The replacement plan: devices reaching the end of their life per year, type and member.

End of life = activation month + depreciation months (the first month after the life):

    D-1 dator   Apr 2026 + 48 → Apr 2030   Alfa
    D-2 dator   Jul 2025 + 48 → Jul 2029   Beta
    D-3 dator   scrapped: not held
    D-4 dator   Apr 2026 + 48 → Apr 2030   Alfa
    T-1 telefon direct purchase: left out
    T-2 telefon Sep 2026 + 24 → Sep 2028   no holder (in stock)
    T-3 telefon Jan 2024 + 24 → Jan 2026   Alfa (returned, depreciated to December 2025)

Expected unit prices, the average of the newest year's acquisitions of the type, whoever paid:
computers 2026: (12 000 + 14 400) / 2 = 13 200.00; phones 2026: (6 000 + 4 800) / 2 = 5 400.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samkalk.apps.assets.models import Asset, AssetType
from samkalk.apps.budget.models import Budget
from samkalk.core.depreciation import ActivationConvention
from samkalk.core.replacement import end_of_life, expected_unit_price
from samkalk.reports.replacement_plan import (
    InvestmentNeedRow,
    ReplacementRow,
    UnitPrice,
    investment_need,
    replacement_plan,
    replacement_rows,
)

D = Decimal


def test_end_of_life_is_the_month_after_the_life():
    following = ActivationConvention.FOLLOWING_MONTH
    assert end_of_life(dt.date(2026, 3, 15), 48, following) == dt.date(2030, 4, 1)
    assert end_of_life(dt.date(2025, 12, 31), 48, following) == dt.date(2030, 1, 1)
    assert end_of_life(dt.date(2026, 3, 15), 36, ActivationConvention.HALF_YEAR) == dt.date(
        2029, 7, 1
    )


def test_expected_unit_price_is_the_newest_years_average():
    assert expected_unit_price({2024: (D("3600"), 1), 2026: (D("10000"), 3)}) == D("3333.33")
    assert expected_unit_price({2026: (D("0"), 0)}) is None
    assert expected_unit_price({}) is None


def test_plan_from_2026_for_five_years(federation):
    plan = replacement_plan(2026, 5)
    assert plan.rows == (
        ReplacementRow(2026, "telefon", "Mobiltelefoner", "alfa", "Alfa kommun", 1, D("5400.00")),
        ReplacementRow(2028, "telefon", "Mobiltelefoner", None, None, 1, D("5400.00")),
        ReplacementRow(2029, "dator", "Datorer", "beta", "Beta kommun", 1, D("13200.00")),
        ReplacementRow(2030, "dator", "Datorer", "alfa", "Alfa kommun", 2, D("26400.00")),
    )
    assert plan.unit_prices == (
        UnitPrice("dator", "Datorer", 2026, 2, D("13200.00")),
        UnitPrice("telefon", "Mobiltelefoner", 2026, 2, D("5400.00")),
    )
    assert plan.overdue == ()
    assert plan.direct_purchases == 1
    assert plan.errors == ()


def test_devices_past_their_end_of_life_are_overdue_not_dropped(federation):
    plan = replacement_plan(2027, 3)
    assert [(r.year, r.type_code, r.count) for r in plan.rows] == [
        (2028, "telefon", 1),
        (2029, "dator", 1),
    ]
    assert [(r.year, r.type_code, r.member_code) for r in plan.overdue] == [
        (2026, "telefon", "alfa")
    ]


def test_rows_for_output_name_no_holder_with_a_dash(federation):
    rows = replacement_rows(replacement_plan(2026, 5))
    assert rows[1] == {
        "year": 2028,
        "type_code": "telefon",
        "type_name": "Mobiltelefoner",
        "member": None,
        "member_name": "—",
        "count": 1,
        "amount": D("5400.00"),
    }


def test_investment_need_beside_the_newest_adopted_plan(investment_plans):
    need = investment_need(2026, 5)
    assert (need.budget_year, need.budget_status) == (2026, "adopted")
    assert need.rows == (
        InvestmentNeedRow(2026, "dator", "Datorer", 0, D("0.00"), D("20000.00")),
        InvestmentNeedRow(2026, "telefon", "Mobiltelefoner", 1, D("5400.00"), D("5000.00")),
        InvestmentNeedRow(2028, "telefon", "Mobiltelefoner", 1, D("5400.00"), D("0.00")),
        InvestmentNeedRow(2029, "dator", "Datorer", 1, D("13200.00"), D("15000.00")),
        InvestmentNeedRow(2030, "dator", "Datorer", 2, D("26400.00"), D("30000.00")),
    )
    assert need.rows[1].difference == D("-400.00")
    assert need.errors == ()


def test_without_an_adopted_budget_the_newest_is_used_with_a_warning(investment_plans):
    Budget.objects.filter(status=Budget.Status.ADOPTED).update(
        status=Budget.Status.PROPOSED, decision=None
    )
    need = investment_need(2029, 1)
    assert need.budget_year == 2027
    assert [e.code for e in need.errors] == ["investment_need.not_adopted"]
    assert [(r.type_code, r.planned_amount) for r in need.rows] == [("dator", D("77000.00"))]


def _assets(asset_type, count):
    Asset.objects.bulk_create(
        Asset(
            tag=f"Q-{asset_type.code}-{i}",
            asset_type=asset_type,
            acquired_on=dt.date(2023 + i % 4, 1 + i % 12, 1 + i % 28),
            acquisition_cost_ore=(5_000 + i) * 100,
            status=Asset.Status.IN_STOCK,
        )
        for i in range(count)
    )


def test_the_number_of_queries_does_not_grow_with_the_assets(investment_plans, federation):
    counts = []
    for asset_type, n in ((federation.computers, 5), (federation.phones, 50)):
        _assets(asset_type, n)
        with CaptureQueriesContext(connection) as plan_queries:
            replacement_plan(2026, 5)
        with CaptureQueriesContext(connection) as need_queries:
            investment_need(2026, 5)
        counts.append((len(plan_queries), len(need_queries)))
    # types, held assets, prices; the need adds the budget, the sum of its plan lines and the
    # types with planned growth (none here; with growth, one more for the fleet per type)
    assert counts == [(3, 6), (3, 6)]


def test_planned_growth_adds_to_the_need_every_year(investment_plans, federation):
    """Three computers are held (not counting the direct purchase); 50 % growth adds
    round(1.5) = 2 computers a year at the expected 13 200 kr = 26 400 kr."""
    AssetType.objects.filter(code="dator").update(planned_growth_percent=D("50"))
    need = investment_need(2026, 5)
    computers = {r.year: r for r in need.rows if r.type_code == "dator"}
    assert sorted(computers) == [2026, 2027, 2028, 2029, 2030]
    assert {(r.growth_count, r.growth_amount) for r in computers.values()} == {(2, D("26400.00"))}
    assert computers[2029].need == D("13200.00") + D("26400.00")
    assert computers[2029].difference == D("15000.00") - D("39600.00")
