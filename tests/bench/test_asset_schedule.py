"""The asset-schedule benchmark's own arithmetic: generator, monthly pass, DuckDB SQL, engine."""

import array
import datetime as dt

import duckdb

from bench import asset_schedule as bench
from samkalk.core.depreciation import pool_year_totals
from samkalk.core.money import to_ore


def _one_laptop(cost_ore, acquired_on, convention=0):
    return bench.Register(
        member=array.array("h", [0]),
        kind=array.array("b", [0]),  # computer, 48 months
        cost_ore=array.array("q", [cost_ore]),
        acquired=array.array("i", [acquired_on.toordinal()]),
        convention=array.array("b", [convention]),  # following month
    )


def test_laptop_bought_15_march_2026_first_april_carries_the_extra_ore():
    monthly = bench.monthly_totals(_one_laptop(1_200_001, dt.date(2026, 3, 15)), 2026, bench.RATE)
    assert monthly.depreciation[0] == [0, 0, 0, 25_001] + [25_000] * 8
    # 12 000.01 kr × 2.5 % / 12 = 25.000 02 kr → 25.00 in April, then on the falling book value
    assert monthly.interest[0][:4] == [0, 0, 0, 2_500]
    assert monthly.interest[0][4] == 2_448  # 11 750.00 kr × 2.5 % / 12 = 24.479 kr
    assert monthly.book_value_end[0] == 1_200_001 - 25_001 - 8 * 25_000


def test_the_register_is_the_same_every_time_and_in_range():
    first, again = bench.generate(2_000), bench.generate(2_000)
    assert first == again
    assert set(first.member) <= set(range(bench.MEMBERS))
    for kind, cost in zip(first.kind, first.cost_ore, strict=True):
        kind_ = bench.TYPES[kind]
        assert kind_.low_kr * 100 <= cost <= kind_.high_kr * 100
    assert bench.FIRST_DAY <= min(first.acquired) <= max(first.acquired) <= bench.LAST_DAY


def test_engine_monthly_pass_and_duckdb_agree_to_the_ore(tmp_path):
    register = bench.generate(3_000, seed=7)
    monthly = bench.monthly_totals(register, 2026, bench.RATE)
    for pool, dep, interest, book in zip(
        bench.to_assets(register),
        monthly.depreciation,
        monthly.interest,
        monthly.book_value_end,
        strict=True,
    ):
        totals = pool_year_totals(pool, bench.RATE, bench.BASIS, 2026)
        assert (sum(dep), sum(interest), book) == (
            to_ore(totals.depreciation),
            to_ore(totals.interest),
            to_ore(totals.book_value_end),
        )
    path = tmp_path / "devices.csv"
    bench.write_csv(register, path)
    with duckdb.connect() as con:
        bench.duckdb_load(con, path)
        sql = bench.duckdb_monthly(con, 2026, bench.RATE)
    assert sql.depreciation == monthly.depreciation
    assert sql.interest == monthly.interest


def test_single_devices_match_the_engines_schedule():
    assert bench.check_sample(bench.generate(3_000, seed=11), 2026, bench.RATE, size=300) == 300


def test_a_small_run_prints_the_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAMKALK_BENCH_DEVICES", "2000")
    bench.run(str(tmp_path))
    out = capsys.readouterr().out
    assert "engine year totals / DuckDB SQL" in out
    assert "2 000 devices" in out
