"""Each leased device's rent for a month, worked out where the register is: in the database.

A national register holds a million devices. Reading each one into Python to price it costs
seconds, and a billing run needs only the sums per organisation and asset type; the device
lists are needed again only to itemise a posted line, which the database can write itself
(``INSERT … SELECT``). So the rent is an SQL expression, evaluated row by row by SQLite and by
PostgreSQL alike: the straight-line closed form of :func:`core.depreciation.month_ore` in
integer öre — life month ``k`` depreciates ``q + 1`` öre if ``k < r`` else ``q`` (cost =
q·life + r), and its interest is the book value at the start of the month (or the cost) × the
monthly rate ``num / den``, rounded half up on its own. Every figure is a non-negative integer,
so the databases' integer division is the floor the Python uses; the rate's fraction and the
month numbers are written into the statement as integer literals (never bound parameters, which
a driver may send as numerics and so divide exactly); ``%%`` is the modulo, as the statement
always has parameters.

The annuity basis has no closed form — each month's split rests on the whole plan — so under
it the devices are read and priced in Python with ``month_ore`` instead; both ways give the
same rows (a property test holds the SQL to ``month_ore`` on both databases).

Which devices: those a member organisation holds on the 1st (lease started on or before it, not
ended by it) of an asset type billed per device, with a life (the investment's, else the
type's). A direct purchase and a device outside its life pay no rent; a type with a pooled
rent charges its price inside the life.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection

from samkalk.apps.assets.models import Asset, AssetType, Investment
from samkalk.core import depreciation as core


@dataclass(frozen=True, slots=True)
class RentTerms:
    """What a month's rents rest on: the month, the monthly rate and its basis, and the pooled
    rent (öre) of each asset type (id) that has one."""

    first: dt.date
    num: int
    den: int
    basis: core.InterestBasis
    pooled: Mapping[int, int]

    @property
    def month(self) -> int:
        return self.first.year * 12 + self.first.month - 1

    @property
    def in_sql(self) -> bool:
        return self.basis is not core.InterestBasis.ANNUITY or not self.num


Total = tuple[int, int, bool, int, int, int | None]
Listed = tuple[int, int, bool, int, int, int | None, list[str], list[int]]


def group_totals(terms: RentTerms) -> list[Total]:
    """Per (organisation, asset type, direct purchase), in that order: the number of devices,
    their rents in all and the rent each when it is the same for all, else None (one query)."""
    if not terms.in_sql:
        return [row[:6] for row in listed_in_python(terms)]
    sql, params = grouped_sql(terms, lists=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [  # PostgreSQL sums bigints as numeric
            (o, t, bool(d), n, int(s), e) for o, t, d, n, s, e in cursor.fetchall()
        ]


def grouped_sql(terms: RentTerms, lists: bool) -> tuple[str, list[Any]]:
    """``SELECT`` organisation id, asset type id, direct purchase, devices, rents in all, the
    rent each or NULL — and with ``lists`` the group's inventory numbers and rents as two JSON
    lists in step — one row per group, and its parameters (straight-line terms)."""
    priced, params = priced_sql(terms)
    columns = (
        "organisation_id, asset_type_id, direct_purchase, COUNT(*), SUM(rent), "
        "CASE WHEN MIN(rent) = MAX(rent) THEN MIN(rent) END"
    )
    if lists:
        gather = "json_group_array" if connection.vendor == "sqlite" else "json_agg"
        columns += f", {gather}(tag), {gather}(rent)"
    sql = (
        f"SELECT {columns} FROM ({priced}{_fence()}) p "
        "GROUP BY organisation_id, asset_type_id, direct_purchase "
        "ORDER BY organisation_id, asset_type_id, direct_purchase"
    )
    return sql, params


def listed_in_python(terms: RentTerms) -> list[Listed]:
    """``grouped_sql``'s rows with the lists, worked out in Python from ``device_rents``."""
    found: dict[tuple[int, int, bool], tuple[list[str], list[int]]] = {}
    for org, type_id, direct, tag, rent in device_rents(terms):
        tags, rents = found.setdefault((org, type_id, direct), ([], []))
        tags.append(tag)
        rents.append(rent)
    return [
        (*key, len(tags), sum(rents), rents[0] if min(rents) == max(rents) else None, tags, rents)
        for key, (tags, rents) in sorted(found.items())
    ]


def device_rents(
    terms: RentTerms, groups: set[tuple[int, int, bool]] | None = None
) -> Iterator[tuple[int, int, bool, str, int]]:
    """(organisation id, asset type id, direct purchase, tag, rent öre) of every device, or of
    those in ``groups``, by tag."""
    if terms.in_sql:
        priced, params = priced_sql(terms)
        rows: Iterator[tuple[Any, ...]] = _fetched(f"{priced} ORDER BY tag", params)
    else:
        rows = _priced_in_python(terms)
    for org, type_id, direct, tag, rent in rows:
        if groups is None or (org, type_id, bool(direct)) in groups:
            yield org, type_id, bool(direct), tag, rent


def _fetched(sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(10_000):
            yield from rows


def _names() -> dict[str, str]:
    q = connection.ops.quote_name
    asset, kind, investment = (m._meta for m in (Asset, AssetType, Investment))
    return {
        "asset": q(asset.db_table),
        "type": q(kind.db_table),
        "investment": q(investment.db_table),
    }


def _held(names: dict[str, str]) -> str:
    """FROM and WHERE of the devices held on the 1st (the date twice as a parameter).

    The register is read whole, in table order: SQLite would otherwise follow the index of the
    organisation (to group by it, or to join the run's groups), jumping about the table, which
    takes ten times as long; PostgreSQL chooses its own hash joins and aggregates."""
    life = "COALESCE(i.depreciation_months, t.depreciation_months)"
    whole = " NOT INDEXED" if connection.vendor == "sqlite" else ""
    return (
        f"FROM {names['asset']} a{whole} JOIN {names['type']} t ON t.id = a.asset_type_id "
        f"LEFT JOIN {names['investment']} i ON i.id = a.investment_id "
        "WHERE a.organisation_id IS NOT NULL AND a.lease_start <= %s "
        "AND (a.lease_end IS NULL OR a.lease_end > %s) "
        f"AND t.billed_per_device AND {life} > 0"
    )


def _fence() -> str:
    """Ends a subquery so that it is not merged into the query around it: merged, its columns'
    expressions are copied into every place that uses them and worked out again there (the
    month of life five times a device, the rent three times to sum it) — twice the time."""
    return " LIMIT -1 OFFSET 0" if connection.vendor == "sqlite" else " OFFSET 0"


def _year_month() -> tuple[str, str]:
    """The acquisition date's year and month as integers, in the database's own functions
    (Django's extraction calls back into Python on SQLite, a call per row)."""
    if connection.vendor == "sqlite":
        return (
            "CAST(substr(a.acquired_on, 1, 4) AS INTEGER)",
            "CAST(substr(a.acquired_on, 6, 2) AS INTEGER)",
        )
    return (
        "CAST(EXTRACT(YEAR FROM a.acquired_on) AS INTEGER)",
        "CAST(EXTRACT(MONTH FROM a.acquired_on) AS INTEGER)",
    )


def priced_sql(terms: RentTerms) -> tuple[str, list[Any]]:
    """``SELECT organisation_id, asset_type_id, direct_purchase, tag, rent`` of the devices
    held, and its parameters: for straight-line terms (``in_sql``), to select from."""
    year, month = _year_month()
    half, following = (
        f"'{core.ActivationConvention.HALF_YEAR.value}'",
        f"'{core.ActivationConvention.FOLLOWING_MONTH.value}'",
    )
    start = (
        f"CASE t.activation_convention WHEN {half} THEN {year} * 12 + 6 "
        f"WHEN {following} THEN {year} * 12 + {month} ELSE {year} * 12 + {month} - 1 END"
    )
    pooled = "CAST(NULL AS BIGINT)"  # typed: PostgreSQL takes a bare NULL of a subquery as text
    if terms.pooled:
        cases = " ".join(f"WHEN {int(t)} THEN {int(o)}" for t, o in sorted(terms.pooled.items()))
        pooled = f"CASE a.asset_type_id {cases} ELSE NULL END"
    least = "MIN" if connection.vendor == "sqlite" else "LEAST"
    num, den = int(terms.num), int(terms.den)
    if not num:
        interest = "0"
    elif terms.basis is core.InterestBasis.ACQUISITION_COST:
        interest = f"(2 * d.cost * {num} + {den}) / {2 * den}"
    else:
        before = f"(d.cost - d.k * (d.cost / d.life) - {least}(d.k, d.cost %% d.life))"
        interest = f"(2 * {before} * {num} + {den}) / {2 * den}"
    inner = (
        "SELECT a.organisation_id, a.asset_type_id, a.direct_purchase, a.tag, "
        "a.acquisition_cost_ore AS cost, "
        "COALESCE(i.depreciation_months, t.depreciation_months) AS life, "
        f"{int(terms.month)} - ({start}) AS k, {pooled} AS pooled "
        f"{_held(_names())}"
    )
    sql = (
        "SELECT d.organisation_id, d.asset_type_id, d.direct_purchase, d.tag, "
        "CASE WHEN d.direct_purchase OR d.k < 0 OR d.k >= d.life THEN 0 "
        "WHEN d.pooled IS NOT NULL THEN d.pooled "
        "ELSE d.cost / d.life + CASE WHEN d.k < d.cost %% d.life THEN 1 ELSE 0 END "
        f"+ {interest} END AS rent FROM ({inner}{_fence()}) d"
    )
    return sql, [terms.first, terms.first]


def _priced_in_python(terms: RentTerms) -> Iterator[tuple[int, int, bool, str, int]]:
    """The same rows as ``priced_sql``'s, priced with ``month_ore`` (any basis), by tag."""
    sql = (
        "SELECT a.organisation_id, a.asset_type_id, a.direct_purchase, a.tag, "
        "a.acquisition_cost_ore, COALESCE(i.depreciation_months, t.depreciation_months), "
        f"a.acquired_on, t.activation_convention {_held(_names())} ORDER BY a.tag"
    )
    starts: dict[tuple[Any, str], int] = {}
    for org, type_id, direct, tag, cost, life, acquired, convention in _fetched(
        sql, [terms.first, terms.first]
    ):
        rent = 0
        row = None
        if not direct:
            start = starts.get((acquired, convention))
            if start is None:
                day = acquired if isinstance(acquired, dt.date) else dt.date.fromisoformat(acquired)
                start = starts[(acquired, convention)] = core.activation_number(
                    day, core.ActivationConvention(convention)
                )
            row = core.month_ore(cost, life, start, terms.month, terms.num, terms.den, terms.basis)
        if row is not None:
            rent = terms.pooled.get(type_id, row[0] + row[1])
        yield org, type_id, bool(direct), tag, rent
