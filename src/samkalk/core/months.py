"""Months as numbers: the one way the core counts, steps and names calendar months.

A month is ``year × 12 + month − 1``, so stepping is addition and every schedule, lease and run
counts months the same way, with no day arithmetic.
"""

from __future__ import annotations

import datetime as dt


def month_number(day: dt.date) -> int:
    """The month ``day`` falls in, as a number."""
    return day.year * 12 + day.month - 1


def month_start(number: int) -> dt.date:
    """The first day of the month ``number``."""
    return dt.date(number // 12, number % 12 + 1, 1)


def add_months(day: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after (or before) ``day``'s month."""
    return month_start(month_number(day) + count)
