"""Fixtures for workbook tests: a loaded sample federation and a fingerprint of the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.workbook.records import load_records
from samkalk.apps.workbook.services import workbook_import
from tests.workbook.sample import write_sample


def fingerprint() -> tuple[Any, int]:
    """Every stored record plus the number of audit rows: equal means nothing was written."""
    return load_records(), AuditEntry.objects.count()


@pytest.fixture
def loaded(db: Any, tmp_path: Path) -> Path:
    folder = write_sample(tmp_path / "valid")
    report = workbook_import(folder, actor="test")
    assert report.ok, report.errors
    return folder
