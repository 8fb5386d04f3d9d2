"""A month's e-invoices written and checked in worker processes give what one process gives."""

from __future__ import annotations

import dataclasses
import os
import threading

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


def test_workers_give_each_document_its_own_xml_and_findings_in_order() -> None:
    documents = _documents()
    checked = batch.write_and_check(documents, workers=2, from_lines=0)
    assert [xml for xml, _ in checked] == [invoice_xml(d) for d in documents]
    assert [found for _, found in checked] == [findings(invoice_xml(d)) for d in documents]
    assert any(found for _, found in checked), "the broken document is reported"


def test_a_large_batch_runs_in_other_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    def where(document: Document) -> batch.Checked:
        return document.number.encode(), [Violation("PID", str(os.getpid()))]

    monkeypatch.setattr(batch, "_write_and_check", where)
    documents = _documents()
    checked = batch.write_and_check(documents, workers=2, from_lines=0)
    assert [xml.decode() for xml, _ in checked] == [d.number for d in documents]
    pids = {found[0].where for _, found in checked}
    assert str(os.getpid()) not in pids


def test_a_small_batch_or_a_threaded_process_stays_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def where(document: Document) -> batch.Checked:
        return b"", [Violation("PID", str(os.getpid()))]

    monkeypatch.setattr(batch, "_write_and_check", where)
    here = {str(os.getpid())}
    small = batch.write_and_check(_documents(), workers=2)
    assert {found[0].where for _, found in small} == here
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        threaded = batch.write_and_check(_documents(), workers=2, from_lines=0)
    finally:
        stop.set()
        other.join()
    assert {found[0].where for _, found in threaded} == here
