"""Write and check a month's e-invoices on every core of the machine.

A national month is about 300 documents with 125 000 lines in all, and every one is written and
checked (``validate.findings``) before any is sent; the documents are independent, so a large
batch is shared out among worker processes, one a core: in shares of about as many lines, a
few for each worker, each taken by the next worker free. Each worker loads its own documents
(the caller's ``load``: reading them is a fair part of the work), writes the files it makes
and sends back only the findings. The workers are forked — safe only when this process runs
one thread: a web request (a server may run threads) or a small batch is done here, in order,
as before. ``prepare`` runs first in each worker (to open its own database connection, say).
Documents are loaded, written and checked with the cycle collector paused
(``samkalk.collection``), and what the workers inherit is frozen out of their collections.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from samkalk.adapters.peppol.tree import Violation
from samkalk.adapters.peppol.ubl import invoice_xml
from samkalk.adapters.peppol.validate import findings
from samkalk.collection import collection_paused
from samkalk.core.invoice import Document

PARALLEL_FROM_LINES = 20_000  # below this a batch takes about a second on one core
# Each worker takes the next share when it is done with one: with a few shares each, a worker
# that happens to run slower (a core shared with the database server, say) ends the batch at
# most one small share later than the others, not half a batch.
SHARES_PER_WORKER = 8

Load = Callable[[Sequence[int]], Sequence[Document]]  # the documents of these keys, in order
_batch: tuple[Load, Path] | None = None  # what the forked workers inherit


def write_and_check(
    keys: Sequence[int],
    lines: Sequence[int],
    load: Load,
    folder: Path,
    workers: int | None = None,
    from_lines: int = PARALLEL_FROM_LINES,
    prepare: Callable[[], None] | None = None,
) -> list[list[Violation]]:
    """Write the UBL of each document ``load`` gives for ``keys`` (with ``lines`` lines each)
    to ``folder/<number>.xml``; the rules each one breaks, in the order of ``keys``. In worker
    processes when the batch has at least ``from_lines`` lines."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or sum(lines) < from_lines or threading.active_count() > 1:
        with collection_paused():
            return [_write_and_check(document, folder) for document in load(keys)]
    global _batch
    _batch = (load, folder)
    gc.freeze()  # the workers' collectors pass over what they inherit: no page copied for it
    try:
        shares = _shares(lines, min(workers * SHARES_PER_WORKER, len(keys)))
        context = multiprocessing.get_context("fork")
        pool_size = min(workers, len(shares))
        with ProcessPoolExecutor(pool_size, mp_context=context, initializer=prepare) as pool:
            done = pool.map(_checked, [[keys[i] for i in share] for share in shares])
            found = {
                i: f
                for share, share_found in zip(shares, done, strict=True)
                for i, f in zip(share, share_found, strict=True)
            }
    finally:
        _batch = None
        gc.unfreeze()
    return [found[i] for i in range(len(keys))]


def _shares(lines: Sequence[int], count: int) -> list[list[int]]:
    """Indexes shared out in ``count`` shares of about as many lines, largest first."""
    shares: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for i in sorted(range(len(lines)), key=lambda i: -lines[i]):
        least = loads.index(min(loads))
        shares[least].append(i)
        loads[least] += lines[i]
    return [sorted(share) for share in shares if share]


def _checked(keys: list[int]) -> list[list[Violation]]:
    assert _batch is not None
    load, folder = _batch
    with collection_paused():
        return [_write_and_check(document, folder) for document in load(keys)]


def _write_and_check(document: Document, folder: Path) -> list[Violation]:
    xml = invoice_xml(document)
    (folder / f"{document.number}.xml").write_bytes(xml)
    return findings(xml)
