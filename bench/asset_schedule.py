"""A national-scale register: one year of monthly capital costs, the core against DuckDB SQL.

300 members lease 1 000 000 devices (``SAMKALK_BENCH_DEVICES`` for a quick run). The register is
generated deterministically (seeded, no clock) as plain columns; the benchmark then

1. maps the rows to ``core.depreciation.Asset`` and runs the engine's ``pool_year_totals`` per
   asset type for the year (depreciation, interest on book value, capital cost, book value);
2. computes the twelve MONTHLY totals per type in one integer-öre pass with the engine's rules
   (the engine has no monthly pool function), checked against the engine's yearly totals and
   against ``schedule`` for 1 000 sampled devices;
3. computes the same monthly depreciation and interest in DuckDB SQL from the same rows (loaded
   from a CSV file; load time apart) and asserts every figure equal to the öre.

It prints figures and the engine/DuckDB ratio, never pass/fail timing.
"""

from __future__ import annotations

import array
import csv
import datetime as dt
import os
import platform
import random
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

from samkalk.core.depreciation import (
    ActivationConvention,
    Asset,
    InterestBasis,
    YearTotals,
    pool_year_totals,
    schedule,
)
from samkalk.core.money import from_ore, to_ore

YEAR = 2026
RATE = Decimal("2.5")  # internränta, percent a year, on the book value
BASIS = InterestBasis.BOOK_VALUE
MEMBERS = 300
SEED = 20260101
SAMPLE = 1000


class AssetType(NamedTuple):
    code: str
    months: int  # avskrivningstid
    low_kr: int  # acquisition cost range, whole kronor (the öre are random too)
    high_kr: int
    weight: int  # share of the register, percent


TYPES = (
    AssetType("computer", 48, 7_000, 22_000, 34),
    AssetType("student_computer", 36, 3_000, 7_500, 30),
    AssetType("phone", 36, 2_500, 14_000, 21),
    AssetType("access_point", 60, 2_000, 12_000, 7),
    AssetType("switch", 60, 6_000, 90_000, 5),
    AssetType("av", 60, 5_000, 60_000, 3),
)
CONVENTIONS = (
    (ActivationConvention.FOLLOWING_MONTH, 80),
    (ActivationConvention.HALF_YEAR, 12),
    (ActivationConvention.ACQUISITION_MONTH, 8),
)
FIRST_DAY = dt.date(2020, 1, 1).toordinal()
LAST_DAY = dt.date(2026, 12, 31).toordinal()


@dataclass(frozen=True, slots=True)
class Register:
    """The generated register as columns: one entry per device, indexes into the tables above."""

    member: array.array[int]
    kind: array.array[int]  # index into TYPES
    cost_ore: array.array[int]
    acquired: array.array[int]  # date ordinal
    convention: array.array[int]  # index into CONVENTIONS

    def __len__(self) -> int:
        return len(self.kind)

    def pick(self, indexes: Sequence[int]) -> Register:
        return Register(
            *(array.array(col.typecode, (col[i] for i in indexes)) for col in self._columns())
        )

    def _columns(self) -> tuple[array.array[int], ...]:
        return (self.member, self.kind, self.cost_ore, self.acquired, self.convention)


def generate(devices: int, members: int = MEMBERS, seed: int = SEED) -> Register:
    """A deterministic register: member sizes from big cities to small municipalities."""
    rng = random.Random(seed)
    member_weights = [1 / (i + 8) for i in range(members)]  # a long tail of small members
    kind = rng.choices(range(len(TYPES)), [t.weight for t in TYPES], k=devices)
    low = [t.low_kr * 100 for t in TYPES]
    span = [(t.high_kr - t.low_kr) * 100 + 1 for t in TYPES]
    rand = rng.random
    days = LAST_DAY - FIRST_DAY + 1
    return Register(
        member=array.array("h", rng.choices(range(members), member_weights, k=devices)),
        kind=array.array("b", kind),
        cost_ore=array.array("q", (low[k] + int(rand() * span[k]) for k in kind)),
        acquired=array.array("i", (FIRST_DAY + int(rand() * days) for _ in range(devices))),
        convention=array.array(
            "b", rng.choices(range(len(CONVENTIONS)), [w for _, w in CONVENTIONS], k=devices)
        ),
    )


def to_assets(register: Register) -> list[list[Asset]]:
    """The selector step: rows → core ``Asset`` (Decimal kronor, dates), one list per type."""
    dates = {day: dt.date.fromordinal(day) for day in range(FIRST_DAY, LAST_DAY + 1)}
    conventions = [c for c, _ in CONVENTIONS]
    pools: list[list[Asset]] = [[] for _ in TYPES]
    months = [t.months for t in TYPES]
    for kind, ore, day, conv in zip(
        register.kind, register.cost_ore, register.acquired, register.convention, strict=True
    ):
        pools[kind].append(Asset(from_ore(ore), dates[day], months[kind], conventions[conv]))
    return pools


@lru_cache(maxsize=1)
def _activation_tables() -> list[list[int]]:
    """Per convention and day ordinal (from FIRST_DAY): the first month's number (year·12 + m)."""
    tables: list[list[int]] = [[] for _ in CONVENTIONS]
    for day in range(FIRST_DAY, LAST_DAY + 1):
        date = dt.date.fromordinal(day)
        month = date.year * 12 + date.month - 1
        for index, (conv, _) in enumerate(CONVENTIONS):
            if conv is ActivationConvention.HALF_YEAR:
                tables[index].append(date.year * 12 + 6)
            elif conv is ActivationConvention.FOLLOWING_MONTH:
                tables[index].append(month + 1)
            else:
                tables[index].append(month)
    return tables


class Monthly(NamedTuple):
    depreciation: list[list[int]]  # [type][month 0–11], öre
    interest: list[list[int]]
    book_value_end: list[int]  # [type], öre on 31 December


def monthly_totals(register: Register, year: int, rate: Decimal) -> Monthly:
    """Twelve months of depreciation and interest per type, in whole öre, in one pass.

    The engine's rules: the cost ``q·n + r`` öre gives ``q + 1`` in the first ``r`` life months
    and ``q`` after; each month's interest is the opening book value × rate / 1200, rounded half
    up to öre on its own. Depreciation goes through difference arrays (O(1) a device).
    """
    num, den = rate.as_integer_ratio()
    den *= 1200
    twice_num, twice_den = 2 * num, 2 * den
    base = year * 12
    starts = _activation_tables()
    diffs = [[0] * 13 for _ in TYPES]
    interest = [[0] * 12 for _ in TYPES]
    book_end = [0] * len(TYPES)
    lives = [t.months for t in TYPES]
    for kind, cost, day, conv in zip(
        register.kind, register.cost_ore, register.acquired, register.convention, strict=True
    ):
        start = starts[conv][day - FIRST_DAY]
        n = lives[kind]
        first = base - start  # life months done before 1 January
        end = first + 12
        first = 0 if first < 0 else n if first > n else first
        end = 0 if end < 0 else n if end > n else end
        q, r = divmod(cost, n)
        book_end[kind] += cost - end * q - (end if end < r else r)
        if first == end:
            continue
        shift = start - base  # life month k falls in month k + shift of the year
        diff = diffs[kind]
        diff[first + shift] += q
        diff[end + shift] -= q
        if first < r:
            diff[first + shift] += 1
            diff[(r if r < end else end) + shift] -= 1
        book = cost - first * q - (first if first < r else r)
        months = interest[kind]
        for k in range(first, end):
            months[k + shift] += (twice_num * book + den) // twice_den
            book -= q + 1 if k < r else q
    depreciation = []
    for diff in diffs:
        running, row = 0, []
        for step in diff[:12]:
            running += step
            row.append(running)
        depreciation.append(row)
    return Monthly(depreciation, interest, book_end)


def check_sample(register: Register, year: int, rate: Decimal, size: int = SAMPLE) -> int:
    """``monthly_totals`` of single devices against the engine's ``schedule``, month by month."""
    rng = random.Random(SEED + 1)
    indexes = rng.sample(range(len(register)), min(size, len(register)))
    for index in indexes:
        one = register.pick([index])
        (asset,) = next(pool for pool in to_assets(one) if pool)
        kind = one.kind[0]
        expected_dep, expected_int = [0] * 12, [0] * 12
        for row in schedule(asset, rate, BASIS):
            if row.month.year == year:
                expected_dep[row.month.month - 1] = to_ore(row.depreciation)
                expected_int[row.month.month - 1] = to_ore(row.interest)
        got = monthly_totals(one, year, rate)
        assert got.depreciation[kind] == expected_dep, (index, asset, got, expected_dep)
        assert got.interest[kind] == expected_int, (index, asset, got, expected_int)
    return len(indexes)


def write_csv(register: Register, path: Path) -> None:
    conventions = [c.value for c, _ in CONVENTIONS]
    codes = [t.code for t in TYPES]
    iso = {day: dt.date.fromordinal(day).isoformat() for day in range(FIRST_DAY, LAST_DAY + 1)}
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("member", "asset_type", "cost_ore", "acquired_on", "convention"))
        writer.writerows(
            (f"m{m:03d}", codes[k], c, iso[d], conventions[v])
            for m, k, c, d, v in zip(*register._columns(), strict=True)
        )


def duckdb_load(con: Any, path: Path) -> None:
    con.execute(
        "CREATE TABLE device AS SELECT * FROM read_csv(?, header = true, columns = {"
        "'member': 'VARCHAR', 'asset_type': 'VARCHAR', 'cost_ore': 'BIGINT', "
        "'acquired_on': 'DATE', 'convention': 'VARCHAR'})",
        [str(path)],
    )
    con.execute("CREATE TABLE asset_type (asset_type VARCHAR, months BIGINT)")
    con.executemany("INSERT INTO asset_type VALUES (?, ?)", [(t.code, t.months) for t in TYPES])


# Life month k of a device counts in the year's month m when k = year·12 + m − activation.
MONTHLY_SQL = """
WITH life AS (
    SELECT d.asset_type, t.months AS n, d.cost_ore,
           d.cost_ore // t.months AS q, d.cost_ore % t.months AS r,
           CASE d.convention
               WHEN 'half_year' THEN year(d.acquired_on) * 12 + 6
               WHEN 'following_month' THEN year(d.acquired_on) * 12 + month(d.acquired_on)
               ELSE year(d.acquired_on) * 12 + month(d.acquired_on) - 1
           END AS activation
    FROM device d JOIN asset_type t USING (asset_type)
), month_rows AS (
    SELECT l.*, g.m AS month, $year * 12 + g.m - l.activation AS k
    FROM life l CROSS JOIN range(12) g(m)
)
SELECT asset_type, month,
       sum(q + CASE WHEN k < r THEN 1 ELSE 0 END) AS depreciation,
       sum((2 * $num * (cost_ore - k * q - least(k, r)) + $den) // (2 * $den)) AS interest
FROM month_rows
WHERE k >= 0 AND k < n
GROUP BY asset_type, month
"""


def duckdb_monthly(con: Any, year: int, rate: Decimal) -> Monthly:
    num, den = rate.as_integer_ratio()
    rows = con.execute(MONTHLY_SQL, {"year": year, "num": num, "den": den * 1200}).fetchall()
    index = {t.code: i for i, t in enumerate(TYPES)}
    depreciation = [[0] * 12 for _ in TYPES]
    interest = [[0] * 12 for _ in TYPES]
    for code, month, dep, intr in rows:
        depreciation[index[code]][month] = int(dep)
        interest[index[code]][month] = int(intr)
    return Monthly(depreciation, interest, [])


def _peak_mb() -> float:
    """This process's peak RSS: VmHWM, since ru_maxrss survives exec and reports the parent's."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return _maxrss_mb()


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _timed(label: str, action: Callable[[], Any]) -> tuple[Any, float, float]:
    """Wall seconds (the figure) and process CPU seconds (all threads; steadier on a busy box)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(f"  {label:<50} {seconds:7.2f} s  cpu {cpu:6.2f} s  peak RSS {_peak_mb():5.0f} MB")
    return result, seconds, cpu


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _kr(ore: int) -> str:
    return f"{ore / 100:,.2f}".replace(",", " ") if ore < 10**15 else str(from_ore(ore))


def _print_tables(count: list[int], years: list[Any], monthly: Monthly) -> None:
    print(f"\n  Year {YEAR} per asset type (kronor; engine = monthly pass = DuckDB, to the öre):")
    head = (
        "type",
        "devices",
        "dev-months",
        "depreciation",
        "interest",
        "capital cost",
        "book 31/12",
    )
    print("  {:<17}{:>9}{:>11}{:>18}{:>16}{:>18}{:>18}".format(*head))
    sums = [0, 0, 0, 0, 0, 0]
    for i, (kind, totals) in enumerate(zip(TYPES, years, strict=True)):
        row = [count[i], totals.months] + [
            to_ore(x)
            for x in (
                totals.depreciation,
                totals.interest,
                totals.capital_cost,
                totals.book_value_end,
            )
        ]
        sums = [a + b for a, b in zip(sums, row, strict=True)]
        print(f"  {kind.code:<17}{row[0]:>9}{row[1]:>11}" + _money_cells(row[2:]))
    print(f"  {'all':<17}{sums[0]:>9}{sums[1]:>11}" + _money_cells(sums[2:]))
    print(f"\n  Capital cost per month {YEAR} (depreciation + interest, kronor):")
    print("  {:<6}".format("month") + "".join(f"{t.code:>17}" for t in TYPES) + f"{'all':>17}")
    for m in range(12):
        cells = [monthly.depreciation[i][m] + monthly.interest[i][m] for i in range(len(TYPES))]
        print(f"  {m + 1:<6}" + "".join(f"{_kr(c):>17}" for c in cells) + f"{_kr(sum(cells)):>17}")


def _money_cells(values: list[int]) -> str:
    widths = (18, 16, 18, 18)
    return "".join(f"{_kr(v):>{w}}" for v, w in zip(values, widths, strict=True))


def _year_totals(pools: list[list[Asset]]) -> list[YearTotals]:
    return [pool_year_totals(pool, RATE, BASIS, YEAR) for pool in pools]


def run(folder: str) -> None:
    import duckdb

    devices = int(os.environ.get("SAMKALK_BENCH_DEVICES", "1000000"))
    con = duckdb.connect()
    print(
        f"Asset schedule — {devices:_} devices over {MEMBERS} members, year {YEAR}, "
        f"{RATE} % interest on book value".replace("_", " ")
    )
    print(
        f"  machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )
    print(
        f"  load average {_load()}; the engine is one Python thread, DuckDB uses "
        f"{con.execute('SELECT current_setting(?)', ['threads']).fetchone()[0]} threads"
    )
    register, *_ = _timed("generate the register (columns)", lambda: generate(devices))
    pools, *t_map = _timed("map rows to core Assets (Decimal, date)", lambda: to_assets(register))
    years, *t_year = _timed("engine: pool_year_totals per type", partial(_year_totals, pools))
    count = [len(pool) for pool in pools]
    del pools
    monthly, *t_month = _timed(
        "monthly pass: 12 months × types (integer öre)",
        lambda: monthly_totals(register, YEAR, RATE),
    )
    for i, totals in enumerate(years):
        assert sum(monthly.depreciation[i]) == to_ore(totals.depreciation), TYPES[i]
        assert sum(monthly.interest[i]) == to_ore(totals.interest), TYPES[i]
        assert monthly.book_value_end[i] == to_ore(totals.book_value_end), TYPES[i]
    sampled, *_ = _timed(
        f"check {SAMPLE} devices against schedule()", lambda: check_sample(register, YEAR, RATE)
    )

    csv_path = Path(folder) / "devices.csv"
    _, *t_csv = _timed("DuckDB: write the CSV", lambda: write_csv(register, csv_path))
    _, *t_load = _timed("DuckDB: load the CSV into a table", lambda: duckdb_load(con, csv_path))
    sql, *t_sql = _timed(
        "DuckDB: SQL monthly depreciation + interest", lambda: duckdb_monthly(con, YEAR, RATE)
    )
    con.close()
    csv_path.unlink()
    assert sql.depreciation == monthly.depreciation, "DuckDB depreciation differs from engine"
    assert sql.interest == monthly.interest, "DuckDB interest differs from the engine's rule"

    engine = [a + b + c for a, b, c in zip(t_map, t_year, t_month, strict=True)]
    duck = [a + b + c for a, b, c in zip(t_csv, t_load, t_sql, strict=True)]
    print(
        f"  {'engine: mapping + year totals + monthly pass':<50} {engine[0]:7.2f} s  "
        f"cpu {engine[1]:6.2f} s"
    )
    print(f"  {'ratios (wall; cpu = all threads)':<50} {'wall':>7}    {'cpu':>7}")
    for label, mine, theirs in (
        ("engine year totals / DuckDB SQL", t_year, t_sql),
        ("engine map+year+monthly / DuckDB SQL", engine, t_sql),
        ("engine map+year+monthly / DuckDB CSV+load+SQL", engine, duck),
    ):
        print(f"  {label:<50} {mine[0] / theirs[0]:6.1f} ×  {mine[1] / theirs[1]:6.1f} ×")
    print(
        f"  peak memory: VmHWM {_peak_mb():.0f} MB (this process); "
        f"ru_maxrss {_maxrss_mb():.0f} MB (may hold a parent's peak: it survives exec)"
    )
    print("  tracemalloc off: tracing 10⁶+ allocations would distort the times")
    print(f"  load average after {_load()}")
    print(
        f"  checks: year totals = sum of months = DuckDB for every type and month; "
        f"{sampled} devices = schedule()"
    )
    _print_tables(count, years, monthly)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="samkalk-bench-") as tmp:
        run(sys.argv[1] if len(sys.argv) > 1 else tmp)
