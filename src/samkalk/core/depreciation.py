"""Avskrivning och kapitalkostnad: the monthly plan of a leased device and its yearly totals.

The federation buys devices with loans and recovers the money through the rent, so the rent is
built from each asset's capital cost (kapitalkostnad = avskrivning + internränta). The plan must
add up: the monthly depreciation sums to the acquisition cost to the öre, and the book value ends
at exactly zero. Amounts are ``Decimal`` kronor at the API, as everywhere in the core, but whole
öre (``int``) inside: a billing year over a million devices calls :func:`year_totals` once per
device, so the straight-line bases are computed without building the schedule. There is no clock;
every date is a parameter.

The rules, all in one place:

* **Activation** (:class:`ActivationConvention`): depreciation starts in the month of acquisition,
  in the month after it, or (half-year convention) on 1 July of the acquisition year whatever the
  acquisition date, so that year one always carries six months of depreciation and interest.
* **Straight line** (the ``BOOK_VALUE`` and ``ACQUISITION_COST`` bases): with the cost in öre
  ``q·n + r``, the first ``r`` months carry ``q + 1`` öre and the rest ``q`` — what
  ``money.apportion`` gives for ``n`` equal weights, computed arithmetically.
* **Interest** (:class:`InterestBasis`): the monthly rate is the yearly percentage / 100 / 12.
  Each month's interest is rounded to whole öre, half away from zero (``money.round_ore``), on its
  own; that is the one rounding point for interest. Yearly totals are sums of rounded months and
  are never rounded again. The product is computed exactly in integers, which gives the same öre
  as ``round_ore`` of the exact value.
* **Annuity**: the payment (depreciation + interest, equal every month) is the annuity of the
  cost over the life at the monthly rate, rounded with the same rule. Each month the interest is
  the book value at the start of the month × the monthly rate, and the depreciation the payment
  less the interest, so it rises. The last month takes the rest of the book value, which absorbs
  the rounding residue. For tiny amounts, where the rounded payment would use the book value up
  before the last month, the payment is lowered one öre at a time until it does not.
* **Rate 0**: no interest, and the annuity basis gives the straight-line plan exactly.
* **As of a date** means at the *end* of that date's month, after its depreciation.
* **Disposal** (utrangering, avyttring): the month of disposal is *not* depreciated; the book value
  left is returned and the caller charges it as a buy-out or keeps it in the pool.

Invalid assets and rates are reported as data by :func:`validate_asset` and :func:`validate_rate`
(for importers); the computing functions raise :class:`DepreciationError` for them, since by then
it is a programming error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from samkalk.core.errors import CoreError, Source
from samkalk.core.months import month_number, month_start

_MONTHLY_PERCENT = 1200  # yearly percent → monthly fraction: / 100 / 12
_NOWHERE = Source()


class ActivationConvention(StrEnum):
    """Aktiveringsregel: the first month of depreciation, given the acquisition date."""

    ACQUISITION_MONTH = "acquisition_month"  # från anskaffningsmånaden
    FOLLOWING_MONTH = "following_month"  # från månaden efter anskaffning
    HALF_YEAR = "half_year"  # halvårskonvention: 1 juli anskaffningsåret


class InterestBasis(StrEnum):
    """Räntemetod: what the internal rate is charged on, and the shape of the depreciation."""

    BOOK_VALUE = "book_value"  # nominell metod: bokfört värde vid månadens början, linjärt
    ACQUISITION_COST = "acquisition_cost"  # anskaffningsvärdet hela livslängden, linjärt
    ANNUITY = "annuity"  # annuitetsmetod: lika kapitalkostnad varje månad


class DepreciationError(ValueError):
    """An asset or rate that the plan cannot be computed for (a programming error by now)."""


@dataclass(frozen=True, slots=True)
class Asset:
    """Tillgång: acquisition cost (kronor, whole öre), acquisition date, life in months."""

    acquisition_cost: Decimal
    acquired_on: dt.date
    depreciation_months: int
    convention: ActivationConvention


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """Avskrivningsplanens rad: one month's depreciation, interest and closing book value."""

    month: dt.date
    depreciation: Decimal
    interest: Decimal
    book_value_after: Decimal

    @property
    def capital_cost(self) -> Decimal:
        """Kapitalkostnad: depreciation + interest."""
        return self.depreciation + self.interest


@dataclass(frozen=True, slots=True)
class YearTotals:
    """Årets kapitalkostnad: the sums of one calendar year's months of the plan.

    ``book_value_end`` is the book value on 31 December; ``months`` is how many months of the
    asset's life fall in the year.
    """

    depreciation: Decimal
    interest: Decimal
    capital_cost: Decimal
    book_value_end: Decimal
    months: int


@dataclass(frozen=True, slots=True)
class Disposal:
    """Utrangering: what was depreciated before the month of disposal and the book value left."""

    book_value: Decimal
    depreciated: Decimal
    months: int


def validate_asset(asset: Asset, source: Source = _NOWHERE) -> list[CoreError]:
    """Every problem that keeps a plan from being computed for ``asset``, as data."""
    errors: list[CoreError] = []
    cost = asset.acquisition_cost
    if not cost.is_finite():
        errors.append(CoreError("asset.cost_not_a_number", f"cost {cost} is not a number", source))
    else:
        if cost < 0:
            errors.append(CoreError("asset.negative_cost", f"cost {cost} is negative", source))
        if cost * 100 != (cost * 100).to_integral_value():
            errors.append(
                CoreError("asset.cost_not_whole_ore", f"cost {cost} is not whole öre", source)
            )
    months = asset.depreciation_months
    if isinstance(months, bool) or not isinstance(months, int) or months <= 0:
        errors.append(
            CoreError(
                "asset.life_not_positive",
                f"depreciation months {months!r} must be a whole number above zero",
                source,
            )
        )
    return errors


def validate_rate(rate: Decimal, source: Source = _NOWHERE) -> list[CoreError]:
    """Problems with a yearly interest rate in percent: it must be a number, zero or more."""
    if not rate.is_finite():
        return [CoreError("rate.not_a_number", f"rate {rate} is not a number", source)]
    if rate < 0:
        return [CoreError("rate.negative", f"rate {rate} % is negative", source)]
    return []


def activation_month(acquired_on: dt.date, convention: ActivationConvention) -> dt.date:
    """The first day of the first month that is depreciated."""
    return month_start(_activation_number(acquired_on, convention))


def schedule(asset: Asset, rate: Decimal, basis: InterestBasis) -> tuple[ScheduleRow, ...]:
    """Avskrivningsplan: every month of the life, from the activation month on."""
    cost = _cost_ore(asset)
    num, den = _monthly_rate(rate)
    deps, interests = _monthly_ore(cost, asset.depreciation_months, num, den, basis)
    start = _activation_number(asset.acquired_on, asset.convention)
    rows: list[ScheduleRow] = []
    book = cost
    for index, (dep, interest) in enumerate(zip(deps, interests, strict=True)):
        book -= dep
        rows.append(
            ScheduleRow(month_start(start + index), _kronor(dep), _kronor(interest), _kronor(book))
        )
    return tuple(rows)


def month_row(
    asset: Asset, rate: Decimal, basis: InterestBasis, month: dt.date
) -> ScheduleRow | None:
    """The plan's row for ``month`` (any day in it), or None outside the life.

    The same row as :func:`schedule` gives for that month, without building the schedule:
    O(1) on the straight-line bases (see :func:`month_ore`); the annuity from its cached plan.
    """
    num, den = _monthly_rate(rate)
    start = _activation_number(asset.acquired_on, asset.convention)
    number = month_number(month)
    found = month_ore(_cost_ore(asset), asset.depreciation_months, start, number, num, den, basis)
    if found is None:
        return None
    dep, interest, book = found
    return ScheduleRow(month_start(number), _kronor(dep), _kronor(interest), _kronor(book))


def month_ore(
    cost: int, months: int, start: int, month: int, num: int, den: int, basis: InterestBasis
) -> tuple[int, int, int] | None:
    """Depreciation, interest and closing book value of one month of the plan, in öre.

    ``cost`` in öre, ``months`` the life, ``start`` the activation month's number and ``month``
    the month's (year·12 + month − 1), the monthly rate ``num / den`` (:func:`monthly_rate`).
    None outside the life. Straight line in closed form: life month ``k`` depreciates ``q + 1``
    öre if ``k < r`` else ``q`` (cost = q·n + r), after ``k·q + min(k, r)`` öre already
    depreciated; its interest is the book value at the start of the month (or the cost) × the
    rate, rounded on its own — each figure exactly as in :func:`schedule`. A caller that prices
    a million devices calls this once per device with the rate already converted.
    """
    k = month - start
    if k < 0 or k >= months:
        return None
    if basis is InterestBasis.ANNUITY and num:
        deps, interests, books = _annuity_plan(cost, months, num, den)
        return deps[k], interests[k], books[k]
    q, r = divmod(cost, months)
    before = cost - k * q - (k if k < r else r)
    dep = q + 1 if k < r else q
    if not num:
        interest = 0
    elif basis is InterestBasis.ACQUISITION_COST:
        interest = (2 * cost * num + den) // (2 * den)  # _round_div, cost and num >= 0
    else:
        interest = (2 * before * num + den) // (2 * den)
    return dep, interest, before - dep


def monthly_rate(rate: Decimal) -> tuple[int, int]:
    """A yearly rate in percent as the monthly fraction ``(num, den)`` of :func:`month_ore`."""
    return _monthly_rate(rate)


def activation_number(acquired_on: dt.date, convention: ActivationConvention) -> int:
    """The activation month's number (year·12 + month − 1) for :func:`month_ore`."""
    return _activation_number(acquired_on, convention)


def year_totals(asset: Asset, rate: Decimal, basis: InterestBasis, year: int) -> YearTotals:
    """One calendar year's depreciation, interest and closing book value, without the schedule.

    Straight-line bases: depreciation in O(1); interest in O(1) on the acquisition cost and in at
    most twelve integer steps on the book value (each month is rounded on its own, so the year is
    summed month by month). Annuity: from the plan, which is cached per (cost, life, rate).
    """
    num, den = _monthly_rate(rate)
    dep, interest, book_end, months = _year_ore(asset, num, den, basis, year)
    return YearTotals(
        depreciation=_kronor(dep),
        interest=_kronor(interest),
        capital_cost=_kronor(dep + interest),
        book_value_end=_kronor(book_end),
        months=months,
    )


def pool_year_totals(
    assets: Iterable[Asset], rate: Decimal, basis: InterestBasis, year: int
) -> YearTotals:
    """The sum of :func:`year_totals` over many assets (a pool, a product, a member).

    Summed in öre and converted once, so a million devices take seconds; ``months`` is the sum
    of the assets' months in the year (device-months).
    """
    num, den = _monthly_rate(rate)
    dep = interest = book_end = months = 0
    for asset in assets:
        a_dep, a_interest, a_book, a_months = _year_ore(asset, num, den, basis, year)
        dep += a_dep
        interest += a_interest
        book_end += a_book
        months += a_months
    return YearTotals(
        depreciation=_kronor(dep),
        interest=_kronor(interest),
        capital_cost=_kronor(dep + interest),
        book_value_end=_kronor(book_end),
        months=months,
    )


def book_value(
    asset: Asset,
    as_of: dt.date,
    *,
    basis: InterestBasis = InterestBasis.BOOK_VALUE,
    rate: Decimal | None = None,
) -> Decimal:
    """Bokfört värde at the end of the month of ``as_of`` (after that month's depreciation).

    The straight-line bases do not depend on the rate; the annuity basis needs ``rate``.
    """
    done = _months_done(asset, month_number(as_of) + 1)
    return _kronor(_book_ore(asset, done, basis, rate))


def accumulated_depreciation(
    asset: Asset,
    as_of: dt.date,
    *,
    basis: InterestBasis = InterestBasis.BOOK_VALUE,
    rate: Decimal | None = None,
) -> Decimal:
    """Ackumulerad avskrivning at the end of the month of ``as_of``: cost − book value."""
    return asset.acquisition_cost - book_value(asset, as_of, basis=basis, rate=rate)


def remaining_months(asset: Asset, as_of: dt.date) -> int:
    """Återstående avskrivningsmånader after the month of ``as_of`` has been depreciated."""
    return asset.depreciation_months - _months_done(asset, month_number(as_of) + 1)


def dispose(
    asset: Asset,
    disposed_on: dt.date,
    *,
    basis: InterestBasis = InterestBasis.BOOK_VALUE,
    rate: Decimal | None = None,
) -> Disposal:
    """Utrangering on ``disposed_on``: the month of disposal is not depreciated.

    Depreciation covers the months from activation up to the month before disposal; the book
    value left is returned for the caller to charge as a buy-out or keep in the pool.
    """
    done = _months_done(asset, month_number(disposed_on))
    book = _book_ore(asset, done, basis, rate)
    return Disposal(
        book_value=_kronor(book),
        depreciated=_kronor(_cost_ore(asset) - book),
        months=done,
    )


# --- integer öre inside -------------------------------------------------------------------


def _year_ore(
    asset: Asset, num: int, den: int, basis: InterestBasis, year: int
) -> tuple[int, int, int, int]:
    """Depreciation, interest, book value on 31 December and life months of ``year``, in öre."""
    cost = _cost_ore(asset)
    months = asset.depreciation_months
    start = _activation_number(asset.acquired_on, asset.convention)
    first = year * 12 - start  # life months done before 1 January …
    end = first + 12  # … and by 31 December, clamped to the life
    first = 0 if first < 0 else months if first > months else first
    end = 0 if end < 0 else months if end > months else end
    if basis is InterestBasis.ANNUITY and num:
        deps, interests, books = _annuity_plan(cost, months, num, den)
        dep = sum(deps[first:end])
        interest = sum(interests[first:end])
        return dep, interest, books[end - 1] if end else cost, end - first
    q, r = divmod(cost, months)
    done_first = first * q + (first if first < r else r)
    done_end = end * q + (end if end < r else r)
    if not num or end == first:
        interest = 0
    elif basis is InterestBasis.ACQUISITION_COST:
        interest = (end - first) * _round_div(cost * num, den)
    else:
        interest = _book_value_interest(cost - done_first, q, r, first, end, num, den)
    return done_end - done_first, interest, cost - done_end, end - first


def _kronor(ore: int) -> Decimal:
    """Öre → kronor with two decimals; the same value and exponent as ``money.from_ore``."""
    return Decimal(ore).scaleb(-2)


def _cost_ore(asset: Asset) -> int:
    cost = asset.acquisition_cost
    months = asset.depreciation_months
    if cost.is_finite() and cost >= 0 and type(months) is int and months > 0:
        ore = cost * 100
        if ore == ore.to_integral_value():
            return int(ore)
    errors = validate_asset(asset)
    if errors:
        raise DepreciationError("; ".join(str(e) for e in errors))
    return int(asset.acquisition_cost * 100)


def _monthly_rate(rate: Decimal) -> tuple[int, int]:
    """The monthly rate as an exact fraction ``num / den`` (den > 0)."""
    if rate.is_snan():  # cannot even be hashed for the cache
        raise DepreciationError(f"rate {rate} is not a number")
    return _rate_fraction(rate)


@lru_cache(maxsize=256)
def _rate_fraction(rate: Decimal) -> tuple[int, int]:
    errors = validate_rate(rate)
    if errors:
        raise DepreciationError("; ".join(str(e) for e in errors))
    num, den = rate.as_integer_ratio()
    return num, den * _MONTHLY_PERCENT


def _round_div(num: int, den: int) -> int:
    """``num / den`` to the nearest integer, half away from zero (as ``round_ore``); den > 0."""
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def _activation_number(acquired_on: dt.date, convention: ActivationConvention) -> int:
    if convention is ActivationConvention.HALF_YEAR:
        return acquired_on.year * 12 + 6
    number = acquired_on.year * 12 + acquired_on.month - 1
    return number + 1 if convention is ActivationConvention.FOLLOWING_MONTH else number


def _months_done(asset: Asset, before_month: int) -> int:
    """How many life months fall before month number ``before_month`` (0 … life)."""
    start = _activation_number(asset.acquired_on, asset.convention)
    return min(max(before_month - start, 0), asset.depreciation_months)


def _book_ore(asset: Asset, done: int, basis: InterestBasis, rate: Decimal | None) -> int:
    """Book value in öre after the first ``done`` months of the life."""
    cost = _cost_ore(asset)
    months = asset.depreciation_months
    if basis is InterestBasis.ANNUITY:
        if rate is None:
            raise DepreciationError("the annuity plan depends on the rate; pass rate=")
        num, den = _monthly_rate(rate)
        if num:
            return _annuity_plan(cost, months, num, den)[2][done - 1] if done else cost
    q, r = divmod(cost, months)
    return cost - done * q - min(done, r)


def _book_value_interest(
    book: int, q: int, r: int, first: int, end: int, num: int, den: int
) -> int:
    """Sum of the rounded interest of life months ``first`` … ``end - 1``, straight line."""
    total = 0
    twice_den = 2 * den
    for index in range(first, end):
        total += (2 * book * num + den) // twice_den  # _round_div for book, num >= 0
        book -= q + 1 if index < r else q
    return total


def _monthly_ore(
    cost: int, months: int, num: int, den: int, basis: InterestBasis
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Depreciation and interest per life month, in öre."""
    if basis is InterestBasis.ANNUITY and num:
        plan = _annuity_plan(cost, months, num, den)
        return plan[0], plan[1]
    q, r = divmod(cost, months)
    deps = (q + 1,) * r + (q,) * (months - r)
    if basis is InterestBasis.ACQUISITION_COST:
        return deps, (_round_div(cost * num, den),) * months
    interests: list[int] = []
    book = cost
    for dep in deps:
        interests.append(_round_div(book * num, den))
        book -= dep
    return deps, tuple(interests)


@lru_cache(maxsize=4096)
def _annuity_plan(
    cost: int, months: int, num: int, den: int
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Annuity plan in öre (rate > 0): depreciation, interest and book value after, per month.

    Payment = cost · i / (1 − (1 + i)^−n) with i = num / den, exactly, then rounded to öre.
    Identical assets share one cached plan.
    """
    growth = (den + num) ** months
    payment = _round_div(cost * num * growth, den * (growth - den**months))
    while True:
        plan = _annuity_run(cost, months, num, den, payment)
        if plan is not None:
            return plan
        payment -= 1  # the book value ran out early; cannot go below round(cost · i)


def _annuity_run(
    cost: int, months: int, num: int, den: int, payment: int
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None:
    """The plan with a fixed payment, or None if the book value runs out before the last month."""
    deps: list[int] = []
    interests: list[int] = []
    books: list[int] = []
    book = cost
    twice_num, twice_den = 2 * num, 2 * den
    for _ in range(months - 1):
        interest = (twice_num * book + den) // twice_den  # _round_div for book, num >= 0
        book -= payment - interest
        if book < 0:
            return None
        deps.append(payment - interest)
        interests.append(interest)
        books.append(book)
    deps.append(book)  # the last month takes the rest, with the rounding residue
    interests.append((twice_num * book + den) // twice_den)
    books.append(0)
    return tuple(deps), tuple(interests), tuple(books)
