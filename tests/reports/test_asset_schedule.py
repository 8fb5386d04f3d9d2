"""The year's depreciation and capital cost per asset type, worked out by hand for 2026.

At 2.5 % on book value the monthly interest is the book value at the start of the month / 480,
each month rounded to öre on its own (see tests/reports/conftest.py for the devices).

Computers (Datorer), 48 months from the month after acquisition:
  D-1 12 000 kr, 15 Mar 2026 → Apr–Dec 2026: 9 × 250.00 = 2 250.00; interest on 12 000, 11 750,
      … 10 000: 25.00 24.48 23.96 23.44 22.92 22.40 21.88 21.35 20.83 = 206.26; book 9 750.00.
  D-2  9 000 kr, 10 Jun 2025 → Jul 2025 on; 1 Jan 2026 book 9 000 − 6 × 187.50 = 7 875.00;
      2026: 12 × 187.50 = 2 250.00; interest on 7 875, 7 687.50, … 5 812.50:
      16.41 16.02 15.63 15.23 14.84 14.45 14.06 13.67 13.28 12.89 12.50 12.11 = 171.09;
      book 5 625.00.
  D-3  9 600 kr, 20 Jan 2025 → Feb 2025 on; 1 Jan 2026 book 9 600 − 11 × 200 = 7 400.00;
      scrapped 10 May 2026, so May is not depreciated: Jan–Apr 4 × 200.00 = 800.00;
      interest on 7 400, 7 200, 7 000, 6 800: 15.42 15.00 14.58 14.17 = 59.17;
      book value left at disposal 6 600.00, at year end 0.
  D-4 14 400 kr, 2 Mar 2026 → Apr–Dec 2026: 9 × 300.00 = 2 700.00; interest on 14 400, …
      12 000: 30.00 29.38 28.75 28.13 27.50 26.88 26.25 25.63 25.00 = 247.52; book 11 700.00.
  Type: 4 held, acquisitions 12 000 + 14 400 = 26 400.00, depreciation 8 000.00,
        interest 684.04, capital cost 8 684.04, book value 27 075.00.

Phones (Mobiltelefoner), 24 months from the month of acquisition:
  T-1  direct purchase: left out.
  T-2  4 800 kr, 30 Sep 2026 → Sep–Dec: 4 × 200.00 = 800.00; interest on 4 800, 4 600, 4 400,
       4 200: 10.00 9.58 9.17 8.75 = 37.50; book 4 000.00.
  T-3  3 600 kr, Jan 2024 – Dec 2025: held in 2026 but fully depreciated: 0.
  Type: 2 held, acquisitions 4 800.00, depreciation 800.00, interest 37.50, capital cost 837.50,
        book value 4 000.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samkalk.apps.assets.models import Asset, AssetType, CapitalCostRule, Investment
from samkalk.core import depreciation as core
from samkalk.core.replacement import disposal_year_totals
from samkalk.reports.asset_schedule import (
    AssetScheduleRow,
    asset_schedule,
    asset_schedule_rows,
    loan_average_rate,
)
from samkalk.reports.financing import fetch_loans

D = Decimal


def test_2026_per_asset_type_to_the_ore(federation):
    schedule = asset_schedule(2026)
    assert schedule.rate.rate_percent == D("2.5")
    assert schedule.rate.basis is core.InterestBasis.BOOK_VALUE
    assert schedule.rate.source == "internal"
    assert schedule.errors == ()
    assert schedule.direct_purchases == 1
    computers, phones = schedule.rows
    assert computers == AssetScheduleRow(
        type_code="dator",
        type_name="Datorer",
        count=4,
        acquisitions=D("26400.00"),
        depreciation=D("8000.00"),
        interest=D("684.04"),
        capital_cost=D("8684.04"),
        book_value_end=D("27075.00"),
        disposals=1,
        disposed_book_value=D("6600.00"),
    )
    assert phones == AssetScheduleRow(
        type_code="telefon",
        type_name="Mobiltelefoner",
        count=2,
        acquisitions=D("4800.00"),
        depreciation=D("800.00"),
        interest=D("37.50"),
        capital_cost=D("837.50"),
        book_value_end=D("4000.00"),
        disposals=0,
        disposed_book_value=D("0.00"),
    )
    assert schedule.totals == AssetScheduleRow(
        type_code="",
        type_name="",
        count=6,
        acquisitions=D("31200.00"),
        depreciation=D("8800.00"),
        interest=D("721.54"),
        capital_cost=D("9521.54"),
        book_value_end=D("31075.00"),
        disposals=1,
        disposed_book_value=D("6600.00"),
    )


def test_the_laptop_alone_matches_the_core_plan():
    # 12 000 kr bought 15 March 2026, 48 months, following month, 2.5 % on book value.
    laptop = core.Asset(
        D("12000.00"), dt.date(2026, 3, 15), 48, core.ActivationConvention("following_month")
    )
    totals = core.year_totals(laptop, D("2.5"), core.InterestBasis.BOOK_VALUE, 2026)
    assert (totals.depreciation, totals.interest) == (D("2250.00"), D("206.26"))


def test_the_disposal_month_is_not_depreciated():
    # D-3: 9 600 kr, activated Feb 2025, scrapped 10 May 2026: Jan–Apr 2026 only.
    asset = core.Asset(
        D("9600.00"), dt.date(2025, 1, 20), 48, core.ActivationConvention("following_month")
    )
    totals = disposal_year_totals(
        asset, D("2.5"), core.InterestBasis.BOOK_VALUE, 2026, dt.date(2026, 5, 10)
    )
    assert (totals.depreciation, totals.interest, totals.book_value_end, totals.months) == (
        D("800.00"),
        D("59.17"),
        D("0.00"),
        4,
    )
    left = core.dispose(asset, dt.date(2026, 5, 10)).book_value
    assert left == D("6600.00")


def test_an_asset_disposed_before_the_year_is_not_held(federation):
    schedule = asset_schedule(2027)
    computers = schedule.rows[0]
    assert computers.count == 3  # D-3 was scrapped in 2026
    assert computers.disposals == 0
    # No rule for 2027: no interest, and a warning says so.
    assert [e.code for e in schedule.errors] == ["capital_cost.no_rule"]
    assert schedule.totals.interest == D("0.00")
    # 2027 computers: D-1 12 × 250 + D-2 12 × 187.50 + D-4 12 × 300 = 8 850.00.
    assert computers.depreciation == D("8850.00")
    assert computers.book_value_end == D("27075.00") - D("8850.00")


def test_a_type_without_depreciation_time_is_reported_not_guessed(federation):
    pool = AssetType.objects.create(code="utvpott", name="Utvecklingspott")
    Asset.objects.create(
        tag="U-1",
        asset_type=pool,
        acquired_on=dt.date(2026, 1, 10),
        acquisition_cost_ore=100_000_00,
        status=Asset.Status.IN_STOCK,
    )
    # The investment may set the life where the type has none: then it is depreciated.
    investment = Investment.objects.create(
        code="utv", name="Utveckling", asset_type=pool, depreciation_months=60
    )
    Asset.objects.create(
        tag="U-2",
        asset_type=pool,
        acquired_on=dt.date(2025, 12, 10),
        acquisition_cost_ore=6_000_00,
        status=Asset.Status.IN_STOCK,
        investment=investment,
    )
    schedule = asset_schedule(2026)
    assert [(e.code, e.message) for e in schedule.errors] == [
        ("asset_schedule.no_life", "utvpott: 1 asset(s) left out: no depreciation time")
    ]
    pool_row = next(r for r in schedule.rows if r.type_code == "utvpott")
    # U-2: 6 000 kr over 60 months from January 2026: 12 × 100.00.
    assert (pool_row.count, pool_row.depreciation) == (1, D("1200.00"))


def test_loan_average_rate_is_the_years_interest_over_the_average_debt(federation, loans):
    # Interest 2026 (see test_cli): 352 500.03 kr. Debt on the 1st of the months: Jan–Mar
    # 10 Mkr, Apr–Jun 12 Mkr, Jul–Dec 11.5 Mkr: 135 Mkr / 12 = 11.25 Mkr on average.
    # 352 500.03 / 11 250 000 = 3.1333336 % → 3.1333.
    assert loan_average_rate(fetch_loans(), 2026) == D("3.1333")
    assert loan_average_rate(fetch_loans(), 2024) is None  # no debt yet
    CapitalCostRule.objects.filter(year=2026).update(
        rate_source=CapitalCostRule.RateSource.LOAN_AVERAGE, internal_rate_percent=None
    )
    schedule = asset_schedule(2026)
    assert (schedule.rate.rate_percent, schedule.rate.source) == (D("3.1333"), "loan_average")
    assert schedule.totals.depreciation == D("8800.00")  # the rate moves interest only
    assert schedule.totals.interest > D("721.54")


def test_rows_for_output_have_two_decimal_amounts_and_a_total(federation):
    rows = asset_schedule_rows(asset_schedule(2026))
    assert [r["type_code"] for r in rows] == ["dator", "telefon", None]
    assert rows[-1]["type_name"] == "Total"
    assert rows[-1]["capital_cost"] == D("9521.54")
    for row in rows:
        for key in ("acquisitions", "depreciation", "interest", "capital_cost"):
            assert row[key].as_tuple().exponent == -2


def _assets(asset_type, count):
    Asset.objects.bulk_create(
        Asset(
            tag=f"Q-{asset_type.code}-{i}",
            asset_type=asset_type,
            acquired_on=dt.date(2024 + i % 3, 1 + i % 12, 1 + i % 28),
            acquisition_cost_ore=(10_000 + i) * 100,
            status=Asset.Status.SCRAPPED if i % 7 == 0 else Asset.Status.RETURNED,
            disposed_on=dt.date(2026, 1 + i % 12, 15) if i % 7 == 0 else None,
            direct_purchase=i % 11 == 0,
        )
        for i in range(count)
    )


def _queries(year):
    with CaptureQueriesContext(connection) as queries:
        asset_schedule(year)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_assets(federation, loans):
    _assets(federation.computers, 5)
    with_5 = _queries(2026)
    _assets(federation.phones, 50)
    with_55 = _queries(2026)
    assert with_5 == with_55 == 3  # rule, asset types, assets
    CapitalCostRule.objects.filter(year=2026).update(
        rate_source=CapitalCostRule.RateSource.LOAN_AVERAGE, internal_rate_percent=None
    )
    assert _queries(2026) == 5  # and the loans with their amortisations
