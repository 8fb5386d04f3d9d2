"""The demo federation loads through the ordinary import and reproduces the published Budget 2026.

Published figures in tkr, from the Budget 2026 document; the document's own rows and totals
differ by up to 1 tkr in places, so each figure is matched within 1 tkr.
"""

from __future__ import annotations

import filecmp
from decimal import Decimal

import pytest
from django.db.models import Sum

from samkalk.apps.accounts.models import Profile
from samkalk.apps.budget.models import Budget
from samkalk.apps.federation.models import KeySnapshot, Member
from samkalk.apps.governance.models import GovernanceObject
from samkalk.apps.workbook.demo import DEMO_WORKBOOK, demo_users_ensure
from samkalk.apps.workbook.services import workbook_export, workbook_import
from samkalk.reports.budget_report import budget_summary
from samkalk.reports.pricing import price_budget
from tests.workbook.conftest import fingerprint

OBJECTS_TKR = {  # object: (2026, 2027, 2028)
    "Socialtjänst": (8848, 9293, 9468),
    "Utbildning": (3266, 3275, 3284),
    "Samhällsbyggnad": (1092, 1100, 1109),
    "Kultur och fritid": (94, 95, 96),
    "Ekonomi och upphandling/inköp": (724, 737, 751),
    "HR och löneadministration": (7182, 7154, 7126),
    "Medborgartjänster": (4483, 4573, 4665),
    "Samarbetsplattform": (19932, 20487, 21037),
    "Informationssäkerhet och dataskydd": (1938, 1990, 2043),
    "Nät": (7906, 8111, 8322),
    "Servermiljö/datahallar": (296, 299, 302),
    "Klient": (36826, 38071, 38865),
}
BASE_GRANT_TKR = (20487, 24664, 25431)
CATEGORIES_2026_TKR = {
    "base_grant": 20487,
    "mandatory_system": 1801,
    "allocated_system": 19563,
    "pass_through": 8701,
    "usage_based": 61956,
    "disposal_sale": 565,
}
TKR = Decimal(1000)


@pytest.fixture
def demo(db):
    report = workbook_import(DEMO_WORKBOOK, actor="test")
    assert report.ok, [str(e) for e in report.errors]
    return report


def _tkr(ore: int) -> Decimal:
    return Decimal(ore) / 100 / TKR


def test_the_demo_has_the_published_members_and_14_objects(demo):
    assert Member.objects.count() == 5
    assert GovernanceObject.objects.count() == 14
    categories = GovernanceObject.objects.values_list("category", flat=True)
    assert sorted(set(categories)) == ["infrastructure", "primary", "support"]


@pytest.fixture
def priced(demo):
    budget = Budget.objects.get(year=2026)
    years = price_budget(budget)
    return budget_summary(budget, years), years


def _in_tkr(amount: Decimal) -> Decimal:
    return amount / TKR


def test_every_object_sub_budget_matches_the_published_tables(priced):
    summary, _ = priced
    for name, figures in OBJECTS_TKR.items():
        for year, published in zip(("2026", "2027", "2028"), figures, strict=True):
            got = _in_tkr(summary["objects"][name][year])
            assert abs(got - published) <= 1, (name, year, got)
    for year, published in zip(("2026", "2027", "2028"), BASE_GRANT_TKR, strict=True):
        assert abs(_in_tkr(summary["base_grant_by_year"][year]) - published) <= 1, year


def test_revenue_categories_and_cost_pools_2026(priced):
    summary, _ = priced
    for category, published in CATEGORIES_2026_TKR.items():
        got = _in_tkr(summary["revenue_by_category"][category])
        assert abs(got - published) <= 1, category
    pools = sum(summary["cost_pools"].values(), Decimal(0))
    assert abs(_in_tkr(pools) - 50603) <= 1
    assert all(amount == 0 for amount in summary["unallocated"].values())


def test_the_staff_budget_gives_the_published_staff_costs(priced):
    _, years = priced
    staff = years[0].staff
    assert staff is not None
    published = {  # tkr, Budget 2026 "Lönekostnader"
        "salaries": 21088,
        "holiday_pay": 291,
        "employer_contributions": 6717,
        "pension": 2089,
        "insurance": 43,
        "salary_costs": 30228,
        "hired_staff": 1029,
    }
    for name, tkr in published.items():
        assert abs(_in_tkr(getattr(staff, name)) - tkr) <= 1, name
    staff_pool = next(p for p in years[0].pools if p.from_staff_budget)
    assert abs(_in_tkr(staff_pool.amount) - 31754) <= 1


def test_the_income_statement_2026_is_the_published_one(priced):
    summary, _ = priced
    statement = summary["income_statement"]["2026"]
    published = {  # tkr, "Resultatbudget för 2026"
        "revenue": 113073,
        "costs": -82211,
        "depreciation": -31312,
        "financial_costs": -2550,
        "result": -3000,
        "equity_use": 3000,
    }
    for name, tkr in published.items():
        assert abs(_in_tkr(statement[name]) - tkr) <= 1, (name, statement[name])


def test_the_central_it_environment_passes_1183_tkr_to_the_server_products(priced):
    _, years = priced
    for year in years:
        cost = year.cost("grundanslag-central-it-miljo-exkl-personalresurs")
        assert abs(_in_tkr(sum(cost.passed_on.values(), Decimal(0))) - 1183) <= 1, year.year


def test_every_asset_type_with_capital_cost_is_carried(priced):
    _, years = priced
    for year in years:
        assert year.uncarried_capital == 0
        assert not [e for e in year.errors if e.code.startswith("pricing.")], year.errors


def test_generated_figures_are_marked_illustrative(demo):
    assert not KeySnapshot.objects.filter(illustrative=False).exists()
    assert not Member.objects.filter(illustrative=False).exists()


def test_loading_the_demo_again_duplicates_nothing(demo):
    before = fingerprint()
    again = workbook_import(DEMO_WORKBOOK, actor="test")
    assert again.ok and not again.changes
    demo_users_ensure()
    first = Profile.objects.count()
    demo_users_ensure()
    assert Profile.objects.count() == first == 5
    assert fingerprint()[0] == before[0]


def test_export_reproduces_the_shipped_workbook_byte_for_byte(demo, tmp_path):
    out = tmp_path / "demo"
    workbook_export(out)
    names = sorted(p.name for p in DEMO_WORKBOOK.glob("*.csv"))
    _, mismatch, errors = filecmp.cmpfiles(DEMO_WORKBOOK, out, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert sorted(p.name for p in out.iterdir()) == names


INVESTMENTS_TKR = {2026: 32865, 2027: 30050, 2028: 26750}


def test_the_investment_plan_gives_the_published_sums(demo):
    from samkalk.apps.assets.models import InvestmentLine

    for year, published in INVESTMENTS_TKR.items():
        total = InvestmentLine.objects.filter(
            budget__year=2026, year=year, investment__financing="loan"
        ).aggregate(t=Sum("amount_ore"))["t"]
        assert _tkr(total) == published, year


def test_the_loans_give_the_published_debt_and_frame_left(demo):
    from samkalk.reports.financing import financing

    result = financing(2025, 2)
    assert result.errors == ()
    y2025, y2026 = result.years
    assert (y2025.opening_debt, y2025.closing_debt) == (Decimal(58_662_000), Decimal(57_477_000))
    assert y2026.new_borrowing == Decimal(32_865_000)
    assert y2026.new_borrowing_equity == Decimal(3_000_000)
    assert y2026.amortisation == Decimal(25_708_000)
    assert y2026.closing_debt == Decimal(67_634_000)
    assert (y2026.guarantee_frame, y2026.frame_left) == (Decimal(80_000_000), Decimal(12_366_000))
    # The budget's financial costs are 2 550 tkr; the illustrative loan rates come within 0.5 %.
    assert abs(y2026.interest - Decimal(2_550_000)) < Decimal(12_750)


def test_2026_depreciation_of_the_register_is_within_1_percent_of_the_budget(demo):
    from samkalk.reports.asset_schedule import asset_schedule

    schedule = asset_schedule(2026)
    published = Decimal(31_312_000)
    assert abs(schedule.totals.depreciation - published) <= published / 100
    assert schedule.rate.rate_percent == Decimal("2.5")
