"""`make bench`: run every benchmark against a fresh database in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="samkalk-bench-") as folder:
        os.environ.setdefault("SAMKALK_VAR", folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samkalk.config.settings")
        # Measure as in production: DEBUG keeps every query's SQL in memory (SAMKALK_DEBUG=1
        # to measure with it).
        os.environ.setdefault("SAMKALK_DEBUG", "0")
        import django

        django.setup()
        from bench import asset_register, billing, workbook_import

        workbook_import.run(folder)
        asset_register.run(folder)
        # A smaller billing run than the national one (1 000 000 devices, 100 000
        # subscriptions; set SAMKALK_BENCH_DEVICES and SAMKALK_BENCH_SUBSCRIPTIONS for it)
        # keeps make bench within minutes; bench.peppol times the UBL writer and checker alone.
        sized = "SAMKALK_BENCH_DEVICES" in os.environ
        billing.run(folder, None if sized else 100_000, None if sized else 10_000)
        # In a fresh interpreter, so that each benchmark's peak memory (ru_maxrss) is its own.
        for command in (("bench.asset_schedule", folder), ("bench.pricing",), ("bench.peppol",)):
            subprocess.run(
                [sys.executable, "-m", *command],
                check=True,
                cwd=Path(__file__).resolve().parent.parent,
            )


if __name__ == "__main__":
    main()
