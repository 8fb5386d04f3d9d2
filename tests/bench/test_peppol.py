"""The Peppol benchmark's generator and run, at a size that runs in a blink."""

from bench import peppol as bench
from samkalk.adapters.peppol.ubl import invoice_xml
from samkalk.adapters.peppol.validate import violations


def test_the_invoice_is_the_same_every_time_and_passes_every_rule():
    first, again = bench.generate(25), bench.generate(25)
    assert first == again
    assert len(first.lines) == 25
    assert {line.vat_percent for line in bench.generate(200).lines} == {0, 6, 12, 25}
    assert violations(invoice_xml(first)) == []


def test_a_small_run_prints_the_figures(monkeypatch, capsys):
    monkeypatch.setenv("SAMKALK_BENCH_PEPPOL_LINES", "5,20")
    bench.run()
    out = capsys.readouterr().out
    assert "one invoice of 5, 20 lines" in out
    assert "write lines/s" in out
    assert "× the 10 s target" in out
