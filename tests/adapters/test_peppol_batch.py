"""A month's e-invoices written and checked in worker processes give what one process gives."""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path

import pytest

from samkalk.adapters.peppol import batch
from samkalk.adapters.peppol.tree import Violation
from samkalk.adapters.peppol.ubl import invoice_xml
from samkalk.adapters.peppol.validate import findings
from samkalk.core.invoice import Document
from tests.adapters.peppol_samples import credit_note, minimal_invoice, typical_invoice


def _documents() -> list[Document]:
    broken = dataclasses.replace(typical_invoice(), number="F-BROKEN", buyer_reference="")
    return [typical_invoice(), credit_note(), broken, minimal_invoice()] * 3


def test_workers_write_each_document_and_give_its_findings_in_order(tmp_path: Path) -> None:
    documents = _documents()
    checked = batch.write_and_check(documents, tmp_path, workers=2, from_lines=0)
    for document in documents:
        assert (tmp_path / f"{document.number}.xml").read_bytes() == invoice_xml(document)
    assert checked == [findings(invoice_xml(d)) for d in documents]
    assert any(checked), "the broken document is reported"


def test_a_large_batch_runs_in_other_processes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def where(document: Document, folder: Path) -> list[Violation]:
        return [Violation(document.number, str(os.getpid()))]

    monkeypatch.setattr(batch, "_write_and_check", where)
    # as in a command's process: threads another test left running must not make it stay here
    monkeypatch.setattr(batch.threading, "active_count", lambda: 1)
    documents = _documents()
    checked = batch.write_and_check(documents, tmp_path, workers=2, from_lines=0)
    assert [found[0].rule for found in checked] == [d.number for d in documents]
    pids = {found[0].where for found in checked}
    assert str(os.getpid()) not in pids


def test_a_small_batch_or_a_threaded_process_stays_in_this_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def where(document: Document, folder: Path) -> list[Violation]:
        return [Violation("PID", str(os.getpid()))]

    monkeypatch.setattr(batch, "_write_and_check", where)
    here = {str(os.getpid())}
    small = batch.write_and_check(_documents(), tmp_path, workers=2)
    assert {found[0].where for found in small} == here
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        threaded = batch.write_and_check(_documents(), tmp_path, workers=2, from_lines=0)
    finally:
        stop.set()
        other.join()
    assert {found[0].where for found in threaded} == here
