"""A month's e-invoices written and checked in worker processes give what one process gives."""

from __future__ import annotations

import dataclasses
import gc
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samkalk.adapters.peppol import batch
from samkalk.adapters.peppol.tree import Violation
from samkalk.adapters.peppol.ubl import invoice_xml
from samkalk.adapters.peppol.validate import findings
from samkalk.core.invoice import Document
from tests.adapters.peppol_samples import credit_note, minimal_invoice, typical_invoice


def _documents() -> list[Document]:
    broken = dataclasses.replace(typical_invoice(), number="F-BROKEN", buyer_reference="")
    return [typical_invoice(), credit_note(), broken, minimal_invoice()] * 3


def _run(documents: list[Document], folder: Path, **options: object) -> list[list[Violation]]:
    """``write_and_check`` over ``documents`` by index, recording which process loaded what."""
    return batch.write_and_check(
        list(range(len(documents))),
        [len(d.lines) for d in documents],
        lambda keys: [documents[k] for k in keys],
        folder,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a command's process: threads another test left running (a browser test's server)
    must not make a batch stay in this process."""
    monkeypatch.setattr(batch.threading, "active_count", lambda: 1)


def test_workers_write_each_document_and_give_its_findings_in_order(
    tmp_path: Path, one_thread: None
) -> None:
    documents = _documents()
    prepared = tmp_path / "prepared"
    prepared.mkdir()
    checked = _run(
        documents,
        tmp_path,
        workers=2,
        from_lines=0,
        prepare=lambda: (prepared / str(os.getpid())).touch(),
    )
    for document in documents:
        assert (tmp_path / f"{document.number}.xml").read_bytes() == invoice_xml(document)
    assert checked == [findings(invoice_xml(d)) for d in documents]
    assert any(checked), "the broken document is reported"
    assert len(list(prepared.iterdir())) == 2, "each worker is prepared once"
    assert gc.isenabled() and gc.get_freeze_count() == 0, "this process's collector as it was"


def test_a_large_batch_runs_in_other_processes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, one_thread: None
) -> None:
    def where(document: Document, folder: Path) -> list[Violation]:
        return [Violation(document.number, str(os.getpid()))]

    monkeypatch.setattr(batch, "_write_and_check", where)
    documents = _documents()
    checked = _run(documents, tmp_path, workers=2, from_lines=0)
    assert [found[0].rule for found in checked] == [d.number for d in documents]
    pids = {found[0].where for found in checked}
    assert str(os.getpid()) not in pids


@given(st.lists(st.integers(0, 10_000), max_size=40), st.integers(1, 4))
def test_shares_take_every_document_once_and_about_as_many_lines(lines, count) -> None:
    shares = batch._shares(lines, count)
    assert sorted(i for share in shares for i in share) == list(range(len(lines)))
    assert len(shares) <= count and all(share == sorted(share) for share in shares)
    loads = [sum(lines[i] for i in share) for share in shares]
    if len(shares) == count and lines:
        assert max(loads) - min(loads) <= max(lines)


def test_a_small_batch_or_a_threaded_process_stays_in_this_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def where(document: Document, folder: Path) -> list[Violation]:
        return [Violation("PID", str(os.getpid()))]

    monkeypatch.setattr(batch, "_write_and_check", where)
    here = {str(os.getpid())}
    small = _run(_documents(), tmp_path, workers=2)
    assert {found[0].where for found in small} == here
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        threaded = _run(_documents(), tmp_path, workers=2, from_lines=0)
    finally:
        stop.set()
        other.join()
    assert {found[0].where for found in threaded} == here
