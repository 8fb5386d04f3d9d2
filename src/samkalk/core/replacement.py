"""Livscykel: when a device's life ends, what replacing it will cost, and its last year's plan.

Three small rules the asset reports share, kept here so they are pure and tested on their own:

* **End of life** (:func:`end_of_life`): the first month *after* the depreciation time, i.e. the
  activation month + the depreciation months. A laptop activated in April 2026 with 48 months is
  depreciated April 2026 – March 2030 and is due for replacement in April 2030; one activated in
  January 2026 is depreciated to December 2029 and replaced in January 2030, so the replacement
  (the new investment) falls in 2030.
* **Expected unit price** (:func:`expected_unit_price`): the average acquisition cost of a type's
  assets acquired in the most recent year that has any, rounded to whole öre (``round_ore``, the
  one rounding point). Older years are ignored, since prices move and the newest purchases are
  the best estimate of the next.
* **Disposal year** (:func:`disposal_year_totals`): the capital cost of an asset disposed of in a
  year covers the months *before* the disposal month only, as ``depreciation.dispose`` depreciates
  them; interest stops with the depreciation, and the book value at the end of the year is zero
  (the asset is gone; what was left is ``dispose(...).book_value``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from samkalk.core.depreciation import (
    ActivationConvention,
    Asset,
    InterestBasis,
    YearTotals,
    activation_month,
    schedule,
)
from samkalk.core.money import ZERO, round_ore
from samkalk.core.months import add_months


def end_of_life(
    acquired_on: dt.date, depreciation_months: int, convention: ActivationConvention
) -> dt.date:
    """Slutet av livslängden: the first day of the first month after the depreciation time."""
    start = activation_month(acquired_on, convention)
    return add_months(start, depreciation_months)


def expected_unit_price(acquisitions: Mapping[int, tuple[Decimal, int]]) -> Decimal | None:
    """Förväntat styckpris from ``{year: (total acquisition cost, count)}``; None if no year.

    The average of the most recent year with at least one asset, rounded to whole öre.
    """
    years = [year for year, (_total, count) in acquisitions.items() if count > 0]
    if not years:
        return None
    total, count = acquisitions[max(years)]
    return round_ore(total / count)


def disposal_year_totals(
    asset: Asset, rate: Decimal, basis: InterestBasis, year: int, disposed_on: dt.date
) -> YearTotals:
    """The totals of ``year`` for an asset disposed of on ``disposed_on`` in that year.

    Only the months before the disposal month count; the book value on 31 December is zero.
    """
    if disposed_on.year != year:
        raise ValueError(f"disposed on {disposed_on.isoformat()}, not in {year}")
    cut = dt.date(year, disposed_on.month, 1)
    rows = [r for r in schedule(asset, rate, basis) if r.month.year == year and r.month < cut]
    depreciation = sum((r.depreciation for r in rows), ZERO)
    interest = sum((r.interest for r in rows), ZERO)
    return YearTotals(
        depreciation=round_ore(depreciation),
        interest=round_ore(interest),
        capital_cost=round_ore(depreciation + interest),
        book_value_end=round_ore(ZERO),
        months=len(rows),
    )
