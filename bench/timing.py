"""Timing shared by the benchmarks: the best of a few runs, wall and CPU apart."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(runs: int, action: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result and the best wall and CPU seconds of ``runs`` runs."""
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = action()
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return result, best_wall, best_cpu
