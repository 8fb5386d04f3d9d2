"""`make bench`: run every benchmark against a fresh database in a temporary folder."""

from __future__ import annotations

import os
import tempfile


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="samkalk-bench-") as folder:
        os.environ.setdefault("SAMKALK_VAR", folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samkalk.config.settings")
        import django

        django.setup()
        from bench import workbook_import

        workbook_import.run(folder)


if __name__ == "__main__":
    main()
