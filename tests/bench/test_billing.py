"""The billing benchmark at a tiny size: the generator, the run's steps and DuckDB's totals."""

from bench import billing as bench


def test_the_federation_and_register_are_the_same_every_time():
    assert bench.records(members=5) == bench.records(members=5)
    first = list(bench.devices(500, members=5))
    assert first == list(bench.devices(500, members=5))
    assert {row[1] for row in first} == set(range(len(bench.TYPES)))
    assert any(row[-1] for row in first)  # some direct purchases
    assert len(bench.usage(100, members=5)) == 100


def test_the_number_of_queries_does_not_grow_with_the_register(transactional_db, tmp_path):
    small, large = bench.count_queries(tmp_path, (60, 600), 80, members=5)
    assert small == large


def test_a_small_run_prints_the_figures_and_agrees_with_duckdb(transactional_db, tmp_path, capsys):
    bench.run(str(tmp_path), devices_n=400, subscriptions=120, members=6)  # asserts DuckDB = run
    out = capsys.readouterr().out
    assert "6 members, 400 devices, 120 subscriptions" in out
    for step in ("fetch: run_input", "compute: bill_month", "post:", "Peppol UBL", "SIE 4I"):
        assert step in out
    assert "bill_month / DuckDB SQL" in out
    assert "the machine's pace: a fixed piece of work took" in out
