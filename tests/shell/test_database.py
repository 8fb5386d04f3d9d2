"""The tests run on the database DATABASE_URL names (CI runs them on SQLite and PostgreSQL)."""

import os

from django.db import connection


def test_the_configured_database_is_the_one_in_use(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_the_embedded_database_is_opened_in_wal_mode(settings, tmp_path):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return  # PostgreSQL has no journal mode to set
    import sqlite3

    database = sqlite3.connect(tmp_path / "wal.sqlite3")
    database.executescript(options["init_command"])
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert options["transaction_mode"] == "IMMEDIATE"
