"""Python's cycle collector paused over bulk work that makes no cycles.

A national billing run builds a hundred thousand invoice lines, and its e-invoice check as many
line facts; each of those objects is tracked by the cycle collector, which walks the young
ones every 700 new objects and, as they pile up, the whole heap again and again. None of them
is part of a reference cycle — reference counting frees every one — so that walking found
nothing and cost half of computing the run (measured in ``bench/billing.py``). Inside
``collection_paused()`` the collector does not run; whatever cycles are made are collected as
usual once it runs again.

The collector is one per process, and a web server's threads may pause it at once: it is
switched off by the first to pause and on again by the last to finish, and only if it was on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_resume = False  # whether the collector was on when the first pause began


@contextmanager
def collection_paused() -> Iterator[None]:
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
