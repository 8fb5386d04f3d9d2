"""A month's e-invoices written and checked by worker processes that read their own invoices.

Worker processes open their own database connections, so they run only where those see what
the run committed: not inside a transaction and not on an in-memory database (as the test
database is on SQLite, where the export stays in its own process)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.db import connection

from samkalk.adapters.peppol import batch
from samkalk.adapters.peppol.validate import violations
from samkalk.apps.billing import exports
from samkalk.apps.billing.services import billing_run_post
from samkalk.apps.workbook.services import workbook_import
from tests.workbook.sample import write_sample

JAN = dt.date(2026, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_workers_read_their_own_invoices_where_the_database_is_shared(tmp_path, monkeypatch):
    report = workbook_import(write_sample(tmp_path / "sample"), actor="test")
    assert report.ok, report.errors
    run = billing_run_post(JAN, actor="test", issue_date=JAN)
    prepared = tmp_path / "prepared"
    prepared.mkdir()
    own = exports._own_connections

    def prepare() -> None:
        (prepared / str(os.getpid())).touch()
        own()

    def everywhere(*args, **options):
        options["from_lines"] = 0  # the sample month is small
        return write(*args, **options)

    write = batch.write_and_check
    monkeypatch.setattr(exports, "_own_connections", prepare)
    monkeypatch.setattr(exports, "write_and_check", everywhere)
    monkeypatch.setattr(batch.threading, "active_count", lambda: 1)
    result = exports.export_peppol(JAN, tmp_path / "peppol")
    assert not result.errors
    numbers = sorted(run.invoices.values_list("number", flat=True))
    assert sorted(path.stem for path in result.files) == numbers
    for path in result.files:
        assert violations(path.read_bytes()) == [], path.name
    workers = {path.name for path in prepared.iterdir()}
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        assert workers == set()
    else:
        assert workers and str(os.getpid()) not in workers
    with connection.cursor() as cursor:  # the workers left this process's connection working
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
