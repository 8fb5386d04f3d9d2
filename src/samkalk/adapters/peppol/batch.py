"""Write and check a month's e-invoices on every core of the machine.

A national month is about 300 documents with 125 000 lines in all, and every one is written and
checked (``validate.findings``) before any is sent; the documents are independent, so a large
batch is shared out among worker processes, largest document first. The workers are forked, so
they inherit the documents instead of receiving them pickled — which is only safe when this
process runs one thread: a web request (a server may run threads) or a small batch is done
here, in order, as before. Each process writes the files it makes (a hundred megabytes would
otherwise be pickled back), and only the findings come back.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from samkalk.adapters.peppol.tree import Violation
from samkalk.adapters.peppol.ubl import invoice_xml
from samkalk.adapters.peppol.validate import findings
from samkalk.core.invoice import Document

PARALLEL_FROM_LINES = 20_000  # below this a batch takes about a second on one core

_batch: tuple[Sequence[Document], Path] = ((), Path())  # what the forked workers inherit


def write_and_check(
    documents: Sequence[Document],
    folder: Path,
    workers: int | None = None,
    from_lines: int = PARALLEL_FROM_LINES,
) -> list[list[Violation]]:
    """Write each document's UBL to ``folder/<number>.xml``; the rules each one breaks, in the
    order of ``documents``. In worker processes when the batch has at least ``from_lines``
    lines."""
    workers = workers or os.cpu_count() or 1
    lines = sum(len(document.lines) for document in documents)
    if workers < 2 or lines < from_lines or threading.active_count() > 1:
        return [_write_and_check(document, folder) for document in documents]
    global _batch
    _batch = (documents, folder)
    try:
        order = sorted(range(len(documents)), key=lambda i: -len(documents[i].lines))
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(workers, len(documents)), mp_context=context) as pool:
            done = dict(zip(order, pool.map(_checked_at, order), strict=True))
    finally:
        _batch = ((), Path())
    return [done[i] for i in range(len(documents))]


def _checked_at(index: int) -> list[Violation]:
    documents, folder = _batch
    return _write_and_check(documents[index], folder)


def _write_and_check(document: Document, folder: Path) -> list[Violation]:
    xml = invoice_xml(document)
    (folder / f"{document.number}.xml").write_bytes(xml)
    return findings(xml)
