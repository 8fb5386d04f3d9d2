"""Each device's rent for a month, held to a plain Python reference built on ``month_ore``.

Random registers — a few asset types (with and without a life, billed per device or not, with
and without a pooled rent, all three activation conventions), investments that override the
life or not, devices of any cost, acquired around the month, held or not, leased from before,
on or after the 1st and ended before, on or after it, bought directly or not — are written to
the database inside a transaction that is rolled back after each example. The reference reads
nothing from the database: it applies the module's rules to the generated data and prices each
device with ``core.month_ore``. Both ways of pricing are exercised: the SQL expression
(straight-line bases, and any basis at rate 0) and the Python one (annuity at a rate above 0).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from samkalk.apps.assets.models import Asset, AssetType, Investment
from samkalk.apps.federation.models import Member, Organisation
from samkalk.core import depreciation as core
from samkalk.core.months import month_start
from samkalk.reports.device_rents import (
    RentTerms,
    device_rents,
    group_totals,
    grouped_sql,
    listed_in_python,
)

Row = tuple[int, int, bool, str, int]
Key = tuple[int, int, bool]

ORGANISATIONS = 3


@dataclass(frozen=True)
class TypeSpec:
    life: int | None
    convention: core.ActivationConvention
    billed: bool
    pooled: int | None  # öre


@dataclass(frozen=True)
class InvestmentSpec:
    asset_type: int  # index into the types
    life: int | None


@dataclass(frozen=True)
class DeviceSpec:
    asset_type: int
    investment: int | None
    cost: int  # öre
    acquired_on: dt.date
    holder: int | None  # index into the organisations
    lease_start: dt.date | None
    lease_end: dt.date | None
    direct: bool


@dataclass(frozen=True)
class Scenario:
    month: int  # year·12 + month − 1
    types: tuple[TypeSpec, ...]
    investments: tuple[InvestmentSpec, ...]
    devices: tuple[DeviceSpec, ...]

    @property
    def first(self) -> dt.date:
        return month_start(self.month)


def often(usual: st.SearchStrategy[Any], otherwise: st.SearchStrategy[Any]) -> Any:
    """``usual`` four times in five, so that most devices are held and priced."""
    return st.sampled_from([True, True, True, True, False]).flatmap(
        lambda usually: usual if usually else otherwise
    )


type_specs = st.builds(
    TypeSpec,
    life=often(st.one_of(st.integers(1, 120), st.sampled_from([1, 12, 36, 48, 120])), st.none()),
    convention=st.sampled_from(list(core.ActivationConvention)),
    billed=often(st.just(True), otherwise=st.just(False)),
    pooled=often(st.none(), otherwise=st.integers(0, 10**7)),
)


def _day_in(number: int, day: int) -> dt.date:
    first = month_start(number)
    return first.replace(day=min(day, calendar.monthrange(first.year, first.month)[1]))


def _acquired(
    month: int, k: int, convention: core.ActivationConvention, draw: st.DrawFn
) -> dt.date:
    """An acquisition date that makes ``month`` life month ``k``: exactly, except under the
    half-year convention, whose life months start only in July (exact there when the month
    billed is June or July and ``k`` fits, else the nearest year above or below)."""
    day = draw(st.integers(1, 31))
    if convention is core.ActivationConvention.ACQUISITION_MONTH:
        return _day_in(month - k, day)
    if convention is core.ActivationConvention.FOLLOWING_MONTH:
        return _day_in(month - k - 1, day)
    year = (month - 6 - k) // 12 + draw(st.sampled_from([0, 0, 1]))
    return _day_in(year * 12 + draw(st.integers(0, 11)), day)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    # June and July often: the half-year convention's first and last life months
    year = draw(st.integers(2019, 2027))
    month = year * 12 + draw(st.one_of(st.integers(0, 11), st.sampled_from([5, 6])))
    first = month_start(month)
    types = tuple(draw(st.lists(type_specs, min_size=1, max_size=4)))
    investments = tuple(
        draw(
            st.lists(
                st.builds(
                    InvestmentSpec,
                    st.integers(0, len(types) - 1),
                    st.one_of(st.none(), st.integers(1, 120)),
                ),
                max_size=3,
            )
        )
    )
    devices = []
    for _ in range(draw(st.integers(3, 14))):
        kind = draw(st.integers(0, len(types) - 1))
        investment = None
        if investments:
            investment = draw(st.one_of(st.none(), st.integers(0, len(investments) - 1)))
        life = types[kind].life
        if investment is not None and investments[investment].life is not None:
            life = investments[investment].life
        # the life month billed: anywhere, or at the start or end of this device's life
        wanted = [st.integers(-14, 125), st.sampled_from([-1, 0])]
        if life is not None:
            wanted.append(st.sampled_from([life - 1, life]))
        k = draw(st.one_of(*wanted))
        acquired = _acquired(month, k, types[kind].convention, draw)
        # mostly leased on the 1st; often on the very day the lease starts or ends
        start_days = often(st.one_of(st.integers(-900, 0), st.just(0)), st.integers(1, 60))
        end_days = often(st.one_of(st.integers(1, 900), st.just(1)), st.integers(-60, 0))
        devices.append(
            DeviceSpec(
                asset_type=kind,
                investment=investment,
                cost=draw(st.one_of(st.integers(0, 10**9), st.integers(0, 200), st.just(10**9))),
                acquired_on=acquired,
                holder=draw(often(st.integers(0, ORGANISATIONS - 1), otherwise=st.none())),
                lease_start=draw(
                    often(start_days.map(lambda d: first + dt.timedelta(d)), otherwise=st.none())
                ),
                lease_end=draw(
                    st.one_of(st.none(), end_days.map(lambda d: first + dt.timedelta(d)))
                ),
                direct=draw(often(st.just(False), otherwise=st.just(True))),
            )
        )
    return Scenario(month, types, investments, tuple(devices))


rates = st.one_of(
    st.just(Decimal(0)),
    st.decimals(min_value=0, max_value=20, places=4),
    st.sampled_from([Decimal("2.5"), Decimal("0.0001"), Decimal("20"), Decimal("3.3333")]),
)
positive_rates = st.one_of(
    st.decimals(min_value=Decimal("0.0001"), max_value=20, places=4),
    st.sampled_from([Decimal("2.5"), Decimal("0.0001"), Decimal("20")]),
)
sql_terms = st.one_of(
    st.tuples(
        rates,
        st.sampled_from([core.InterestBasis.BOOK_VALUE, core.InterestBasis.ACQUISITION_COST]),
    ),
    st.tuples(
        st.sampled_from([Decimal(0), Decimal("0.0000")]), st.just(core.InterestBasis.ANNUITY)
    ),
)
python_terms = st.tuples(positive_rates, st.just(core.InterestBasis.ANNUITY))


@dataclass(frozen=True)
class Built:
    organisations: list[int]
    types: list[int]
    assets: list[Asset]


@pytest.fixture
def organisations(db: Any) -> list[int]:
    alfa = Member.objects.create(code="alfa", name="Alfa kommun", org_number="212000-0019")
    beta = Member.objects.create(code="beta", name="Beta kommun", org_number="212000-0027")
    return [
        Organisation.objects.create(
            code=f"org-{i}", member=member, name=f"Org {i}", kind=Organisation.Kind.SCHOOL
        ).pk
        for i, member in enumerate([alfa, beta, alfa][:ORGANISATIONS])
    ]


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction (a savepoint inside the test's) undone at the end: no example sees
    another's rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def build(scenario: Scenario, organisations: list[int]) -> Built:
    kinds = [
        AssetType.objects.create(
            code=f"typ-{i}",
            name=f"Typ {i}",
            depreciation_months=spec.life,
            activation_convention=spec.convention.value,
            billed_per_device=spec.billed,
        )
        for i, spec in enumerate(scenario.types)
    ]
    investments = [
        Investment.objects.create(
            code=f"inv-{i}",
            name=f"Investering {i}",
            asset_type=kinds[spec.asset_type],
            depreciation_months=spec.life,
        )
        for i, spec in enumerate(scenario.investments)
    ]
    assets = []
    for i, spec in enumerate(scenario.devices):
        holder = None if spec.holder is None else organisations[spec.holder]
        assets.append(
            Asset.objects.create(
                tag=f"D-{i:03d}",
                asset_type=kinds[spec.asset_type],
                investment=None if spec.investment is None else investments[spec.investment],
                acquired_on=spec.acquired_on,
                acquisition_cost_ore=spec.cost,
                organisation_id=holder,
                lease_start=spec.lease_start,
                lease_end=spec.lease_end,
                direct_purchase=spec.direct,
                status=Asset.Status.LEASED if holder else Asset.Status.IN_STOCK,
            )
        )
    return Built(organisations, [k.pk for k in kinds], assets)


def terms_for(
    scenario: Scenario, built: Built, rate: Decimal, basis: core.InterestBasis
) -> RentTerms:
    num, den = core.monthly_rate(rate)
    pooled = {
        built.types[i]: spec.pooled
        for i, spec in enumerate(scenario.types)
        if spec.pooled is not None
    }
    return RentTerms(scenario.first, num, den, basis, pooled)


def reference(scenario: Scenario, built: Built, terms: RentTerms) -> list[Row]:
    """The module's rules, device by device, from the generated data alone."""
    first, month = scenario.first, scenario.month
    rows: list[Row] = []
    for spec, asset in zip(scenario.devices, built.assets, strict=True):
        kind = scenario.types[spec.asset_type]
        life = kind.life
        if spec.investment is not None and scenario.investments[spec.investment].life is not None:
            life = scenario.investments[spec.investment].life
        held = (
            spec.holder is not None
            and spec.lease_start is not None
            and spec.lease_start <= first
            and (spec.lease_end is None or spec.lease_end > first)
        )
        if not held or not kind.billed or life is None or life <= 0:
            event("left out")
            continue
        start = core.activation_number(spec.acquired_on, kind.convention)
        k = month - start
        event("life month " + ("< 0" if k < 0 else ">= life" if k >= life else str(min(k, 1))))
        event("last life month" if k == life - 1 else "not the last life month")
        if spec.direct or k < 0 or k >= life:
            event("direct" if spec.direct else "outside the life")
            rent = 0
        elif kind.pooled is not None:
            event("pooled")
            rent = kind.pooled
        else:
            event("month_ore")
            row = core.month_ore(spec.cost, life, start, month, terms.num, terms.den, terms.basis)
            assert row is not None  # inside the life
            rent = row[0] + row[1]
        org = built.organisations[spec.holder]  # type: ignore[index]
        rows.append((org, built.types[spec.asset_type], spec.direct, asset.tag, rent))
    return sorted(rows, key=lambda row: row[3])


def aggregated(rows: list[Row]) -> list[tuple[int, int, bool, int, int, int | None]]:
    found: dict[Key, list[int]] = {}
    for org, kind, direct, _tag, rent in rows:
        found.setdefault((org, kind, direct), []).append(rent)
    return [
        (*key, len(rents), sum(rents), rents[0] if len(set(rents)) == 1 else None)
        for key, rents in sorted(found.items())
    ]


def listed(terms: RentTerms) -> dict[Key, list[tuple[str, int]]]:
    """Each group's (tag, rent) pairs as the posting lists them: the two lists in step."""
    if terms.in_sql:
        sql, params = grouped_sql(terms, lists=True)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = [
                (*row[:6], *(json.loads(v) if isinstance(v, str) else v for v in row[6:]))
                for row in cursor.fetchall()
            ]
    else:
        found = listed_in_python(terms)
    groups = {}
    for org, kind, direct, count, rent, each, tags, rents in found:
        pairs = sorted(zip(tags, rents, strict=True))
        assert (count, rent) == (len(pairs), sum(rents))
        assert each == (rents[0] if len(set(rents)) == 1 else None)
        groups[(org, kind, bool(direct))] = pairs
    return groups


def assert_typed(rows: list[Row]) -> None:
    for org, kind, direct, tag, rent in rows:
        assert (type(org), type(kind), type(direct), type(tag), type(rent)) == (
            int,
            int,
            bool,
            str,
            int,
        ), rows


PATHS = pytest.mark.parametrize(
    ("in_sql", "rate_and_basis"),
    [(True, sql_terms), (False, python_terms)],
    ids=["sql", "python-annuity"],
)
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def priced(
    scenario: Scenario,
    organisations: list[int],
    in_sql: bool,
    rate_and_basis: st.SearchStrategy[tuple[Decimal, core.InterestBasis]],
    data: st.DataObject,
) -> Iterator[tuple[Built, RentTerms]]:
    """The scenario's rows, rolled back afterwards, and its terms at a drawn rate and basis,
    priced the way (SQL or Python) the test is for."""
    rate, basis = data.draw(rate_and_basis, label="rate, basis")
    with rolled_back():
        built = build(scenario, organisations)
        terms = terms_for(scenario, built, rate, basis)
        assert terms.in_sql is in_sql
        yield built, terms


@PATHS
@EXAMPLES
@given(scenario=scenarios(), data=st.data())
def test_each_device_pays_what_month_ore_says(
    organisations: list[int],
    in_sql: bool,
    rate_and_basis: st.SearchStrategy[tuple[Decimal, core.InterestBasis]],
    scenario: Scenario,
    data: st.DataObject,
) -> None:
    with priced(scenario, organisations, in_sql, rate_and_basis, data) as (built, terms):
        got = list(device_rents(terms))
        assert got == reference(scenario, built, terms)
        assert_typed(got)


@PATHS
@EXAMPLES
@given(scenario=scenarios(), data=st.data())
def test_group_totals_sum_the_devices_and_groups_select_exactly_theirs(
    organisations: list[int],
    in_sql: bool,
    rate_and_basis: st.SearchStrategy[tuple[Decimal, core.InterestBasis]],
    scenario: Scenario,
    data: st.DataObject,
) -> None:
    """``group_totals`` sums each group's devices, typed ``tuple[int, int, bool, int, int,
    int | None]`` on both databases (a SUM of a bigint is a numeric on PostgreSQL); the listed
    groups hold the very devices; ``device_rents`` of some groups gives exactly theirs."""
    with priced(scenario, organisations, in_sql, rate_and_basis, data) as (built, terms):
        rows = list(device_rents(terms))
        totals = group_totals(terms)
        assert totals == aggregated(rows)
        assert totals == aggregated(reference(scenario, built, terms))
        for total in totals:
            assert tuple(type(v) for v in total[:5]) == (int, int, bool, int, int), total
            assert total[5] is None or type(total[5]) is int, total
        by_group: dict[Key, list[tuple[str, int]]] = {}
        for org, kind, direct, tag, rent in rows:
            by_group.setdefault((org, kind, direct), []).append((tag, rent))
        assert listed(terms) == by_group
        # groups with devices and groups without (every organisation × type × direct)
        candidates = sorted(
            {(org, kind, direct) for org, kind, direct, _t, _r in rows}
            | {(o, t, d) for o in organisations for t in built.types for d in (False, True)}
        )
        groups = data.draw(st.sets(st.sampled_from(candidates)), label="groups")
        chosen = list(device_rents(terms, groups))
        assert chosen == [row for row in rows if row[:3] in groups]
        assert_typed(chosen)
