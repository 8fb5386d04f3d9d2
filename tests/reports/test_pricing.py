"""A budget priced from its inputs: the sample federation's budget 2026 and its plan years.

The sample (tests/workbook/sample.py): one staff post (Tekniker, 100 %, 40 000 kr a month),
the personal pool 30 % on datorer-hyra and 70 % on grundanslag, datorer-hyra consuming 10 % of
grundanslag, direct costs 1 000 000 (datorer-hyra, with 1 030 000 given for 2027) and 500 000
(grundanslag), 2 000 device-months, prices indexed by 2 % and salaries by 3 % into 2027.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from samkalk.apps.budget.models import Budget, DirectCost
from samkalk.apps.budget.services import BudgetError, budget_version_create
from samkalk.apps.federation.models import Decision
from samkalk.apps.workbook.services import workbook_import
from samkalk.cli import app
from samkalk.core.money import ZERO
from samkalk.reports.budget_report import budget_summary
from samkalk.reports.pricing import price_budget, price_year
from tests.workbook.sample import write_sample


@pytest.fixture
def budget(db, tmp_path):
    report = workbook_import(write_sample(tmp_path / "sample"), actor="test")
    assert report.ok, report.errors
    return Budget.objects.get(year=2026)


def test_the_staff_budget_gives_the_staff_pool_and_the_pools_own_line_is_reported(budget):
    priced = price_year(budget, 2026)
    staff = priced.staff
    # 40 000 × 12 = 480 000; absence 3.8 % = 18 240; salaries 461 760.
    assert (staff.gross_salaries, staff.absence_deduction, staff.salaries) == (
        Decimal("480000.00"),
        Decimal("18240.00"),
        Decimal("461760.00"),
    )
    assert staff.holiday_pay == Decimal("6372.29")  # 1.38 %
    assert staff.employer_contributions == Decimal("147087.17")  # 31.42 % of 468 132.29
    pool = next(p for p in priced.pools if p.code == "personal")
    assert pool.from_staff_budget and pool.amount == staff.total
    assert "pricing.staff_pool_line_unused" in {e.code for e in priced.errors}


def test_full_costs_add_up_to_the_inputs_and_the_consumption_moves_cost(budget):
    priced = price_year(budget, 2026)
    result = priced.result
    pools = sum((p.amount for p in priced.pools), ZERO)
    capital = sum((c.depreciation + c.interest for c in priced.capital), ZERO)
    direct = Decimal("1500000.00")
    full = sum((p.full_cost for p in result.products), ZERO)
    assert full + sum(result.unallocated.values(), ZERO) == direct + capital + pools
    grant, computers = priced.cost("grundanslag"), priced.cost("datorer-hyra")
    gross_grant = grant.direct + grant.capital + sum(grant.pool_shares.values(), ZERO)
    assert grant.passed_on == {"datorer-hyra": (gross_grant / 10).quantize(Decimal("0.01"))}
    assert computers.received == {"grundanslag": grant.passed_on["datorer-hyra"]}
    assert grant.full_cost == gross_grant - grant.passed_on["datorer-hyra"]
    # The computers carry their own capital cost: the register's type "dator" rents through them.
    assert computers.capital == capital


def test_a_unit_price_is_the_full_cost_over_the_members_volumes(budget):
    priced = price_year(budget, 2026)
    computers = priced.cost("datorer-hyra")
    assert computers.volume == Decimal("2000")
    assert computers.unit_price == (computers.full_cost / 2000).quantize(Decimal("0.01"))
    assert computers.expected_revenue == computers.unit_price * 2000
    assert computers.coverage == computers.expected_revenue - computers.full_cost
    forecasts, errors = priced.forecasts()
    assert not errors
    alfa = next(f for f in forecasts if f.member == "alfa")
    line = next(x for x in alfa.lines if x.product == "datorer-hyra")
    assert line.quantity == Decimal("1200") and line.amount == computers.unit_price * 1200
    grant_share = next(x for x in alfa.lines if x.product == "grundanslag")
    assert grant_share.share == Decimal("0.6")  # fast: 60/40
    total_grant = sum(
        next(x.amount for x in f.lines if x.product == "grundanslag") for f in forecasts
    )
    assert total_grant == priced.cost("grundanslag").expected_revenue


def test_plan_years_index_what_they_do_not_give_and_keep_what_they_do(budget):
    _, y2027, y2028 = price_budget(budget)
    assert y2027.cost("datorer-hyra").direct == Decimal("1030000.00")  # given for 2027
    assert y2027.cost("grundanslag").direct == Decimal("510000.00")  # 500 000 + 2 %
    assert y2028.cost("grundanslag").direct == Decimal("510000.00")  # no index given for 2028
    assert y2027.staff.posts[0].annual_salary == Decimal("494400.00")  # 40 000 × 1.03 × 12
    assert y2028.cost("datorer-hyra").volume == Decimal("2000")  # volumes carried


def test_use_of_equity_lowers_revenue_and_is_shown_not_as_a_cost(budget):
    before = price_year(budget, 2026).statement
    DirectCost.objects.create(
        budget=budget,
        product_id=DirectCost.objects.get(product__code="grundanslag", year=2026).product_id,
        year=2026,
        kind=DirectCost.Kind.EQUITY_USE,
        amount_ore=-10000000,
    )
    after = price_year(budget, 2026).statement
    assert after.equity_use == Decimal("100000.00")
    assert after.revenue == before.revenue - Decimal("100000.00")
    assert after.costs == before.costs
    assert after.result == before.result - Decimal("100000.00")
    assert price_year(budget, 2027).statement.equity_use == 0  # decided for one year only


def test_the_summary_has_the_shape_the_command_line_promises(budget):
    summary = budget_summary(budget)
    assert set(summary) >= {
        "revenue_total",
        "revenue_by_category",
        "objects",
        "base_grant",
        "income_statement",
        "cost_pools",
    }
    assert set(summary["income_statement"]) == {"2026", "2027", "2028"}
    assert set(summary["income_statement"]["2026"]) >= {
        "revenue",
        "costs",
        "depreciation",
        "financial_costs",
        "result",
    }
    assert (
        summary["objects"]["Klient"]["2026"]
        == price_year(budget, 2026).cost("datorer-hyra").expected_revenue
    )


def test_a_version_freezes_the_figures_and_adoption_needs_a_board_decision(budget):
    first = budget_version_create(budget, status="proposed", actor="test", note="Förslag")
    assert first.number == 1 and first.figures["year"] == 2026
    with pytest.raises(BudgetError) as refused:
        budget_version_create(budget, status="adopted", actor="test")
    assert refused.value.error.code == "budget.decision_required"
    assert budget.versions.count() == 1
    decision = Decision.objects.get(reference="DIR 2025-02-27 § 7")
    adopted = budget_version_create(budget, status="adopted", actor="test", decision=decision)
    budget.refresh_from_db()
    assert adopted.number == 2 and budget.status == "adopted" and budget.decision == decision
    assert adopted.figures["revenue_total"] == first.figures["revenue_total"]


# --- the command line -------------------------------------------------------------------------

TWO_DECIMALS = r"^-?\d+\.\d\d$"


def _cli_json(*args):
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_prices_as_json(budget):
    rows = _cli_json("prices", "--year", "2026")
    assert [r["code"] for r in rows] == ["datorer-hyra", "grundanslag"]
    computers, grant = rows
    assert set(computers) == {
        "code",
        "name",
        "object",
        "category",
        "full_cost",
        "volume",
        "unit",
        "unit_price",
        "expected_revenue",
        "coverage",
    }
    assert computers["object"] == "Klient" and computers["unit"] == "enhet/månad"
    assert grant["unit_price"] is None and grant["object"] == ""
    for key in ("full_cost", "unit_price", "expected_revenue", "coverage"):
        assert re.match(TWO_DECIMALS, computers[key]), key
    assert computers["unit_price"] == str(price_year(budget, 2026).cost("datorer-hyra").unit_price)


def test_budget_as_json(budget):
    data = _cli_json("budget", "--year", "2026")
    assert data["revenue_total"] == data["income_statement"]["2026"]["revenue"]
    assert set(data["objects"]["Klient"]) == {"2026", "2027", "2028"}
    assert set(data["revenue_by_category"]) >= {"base_grant", "usage_based"}
    assert data["base_grant"] == data["base_grant_by_year"]["2026"]
    assert list(data["cost_pools"]) == ["Personal"]


def test_forecast_as_json_and_its_total(budget):
    data = _cli_json("forecast", "--year", "2026", "--member", "Alfa kommun")
    assert data["member"] == "Alfa kommun"
    amounts = [Decimal(line["amount"]) for line in data["products"]]
    assert str(sum(amounts)) == data["total"]
    grant = next(line for line in data["products"] if line["code"] == "grundanslag")
    assert grant["basis"] == "key_share" and grant["quantity"] is None
    computers = next(line for line in data["products"] if line["code"] == "datorer-hyra")
    assert computers["basis"] == "quantity" and computers["quantity"] == "1200.00"


def test_forecast_of_an_unknown_member_is_refused(budget):
    result = CliRunner().invoke(app, ["forecast", "--year", "2026", "--member", "Gamma"])
    assert result.exit_code == 1 and "no member named 'Gamma'" in result.output


def test_an_investment_of_one_member_is_charged_to_that_member_alone(budget):
    from samkalk.apps.assets.models import Asset, AssetType, Investment

    before = price_year(budget, 2026)
    Asset.objects.create(
        tag="IT-000009",
        asset_type=AssetType.objects.get(code="dator"),
        acquired_on=dt.date(2026, 1, 10),
        acquisition_cost_ore=3600000,  # 36 000 kr over the investment's own 36 months
        status=Asset.Status.IN_STOCK,
        investment=Investment.objects.get(code="datorer-alfa"),
    )
    after = price_year(budget, 2026)
    (own,) = after.member_investments
    assert (own.investment, own.member) == ("datorer-alfa", "alfa")
    assert own.depreciation == Decimal("11000.00")  # Feb–Dec: 11 × 1 000
    # The common computers' capital cost is what it was; the loans' interest is shared anew.
    common = next(c for c in after.capital if c.type_code == "dator" and not c.member)
    old = next(c for c in before.capital if c.type_code == "dator")
    assert common.depreciation == old.depreciation
    assert common.interest + own.interest == old.interest
    forecasts, _ = after.forecasts()
    alfa = next(f for f in forecasts if f.member == "alfa")
    line = next(x for x in alfa.lines if x.product == "datorer-alfa")
    assert line.basis == "own_investment" and line.amount == own.amount
    beta = next(f for f in forecasts if f.member == "beta")
    assert "datorer-alfa" not in {x.product for x in beta.lines}
    assert after.revenue_by_category["member_investment"] == own.amount
    data = _cli_json("forecast", "--year", "2026", "--member", "alfa")
    assert {"code": "datorer-alfa", "name": "Datorer Alfa"}.items() <= next(
        p for p in data["products"] if p["code"] == "datorer-alfa"
    ).items()


def test_cost_coverage_per_object_adds_up_to_the_total(budget):
    from samkalk.reports.budget_report import coverage_rows

    priced = price_year(budget, 2026)
    rows, total = coverage_rows(priced)
    assert [r["object"] for r in rows] == ["Klient", ""]  # the base grant last
    assert total["coverage"] == sum((p.coverage for p in priced.result.products), ZERO)
    assert rows[0]["coverage"] == priced.cost("datorer-hyra").coverage
    assert total["full_cost"] == sum((r["full_cost"] for r in rows), ZERO)
