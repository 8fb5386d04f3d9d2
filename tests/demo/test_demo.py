"""The demo federation loads through the ordinary import and reproduces the published Budget 2026.

Published figures in tkr, from the Budget 2026 document; the document's own rows and totals
differ by up to 1 tkr in places, so each figure is matched within 1 tkr.
"""

from __future__ import annotations

import filecmp
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from samkalk.apps.accounts.models import Profile
from samkalk.apps.budget.models import BudgetLine, CostPoolLine
from samkalk.apps.federation.models import KeySnapshot, Member
from samkalk.apps.governance.models import GovernanceObject
from samkalk.apps.workbook.demo import DEMO_WORKBOOK, demo_users_ensure
from samkalk.apps.workbook.services import workbook_export, workbook_import
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


def test_every_object_sub_budget_matches_the_published_tables(demo):
    sums: dict[tuple[str, int], int] = defaultdict(int)
    lines = BudgetLine.objects.filter(budget__year=2026).select_related(
        "product__governance_object"
    )
    for line in lines:
        obj = line.product.governance_object
        sums[(obj.name if obj else "", line.year)] += line.amount_ore
    for name, figures in {**OBJECTS_TKR, "": BASE_GRANT_TKR}.items():
        for year, published in zip((2026, 2027, 2028), figures, strict=True):
            assert abs(_tkr(sums[(name, year)]) - published) <= 1, (name, year)


def test_revenue_categories_and_cost_pools_2026(demo):
    by_category = (
        BudgetLine.objects.filter(budget__year=2026, year=2026)
        .values("product__category")
        .annotate(total=Sum("amount_ore"))
    )
    got = {row["product__category"]: _tkr(row["total"]) for row in by_category}
    for category, published in CATEGORIES_2026_TKR.items():
        assert abs(got[category] - published) <= 1, category
    pools = CostPoolLine.objects.filter(budget__year=2026, year=2026).aggregate(t=Sum("amount_ore"))
    assert _tkr(pools["t"]) == 50603


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
