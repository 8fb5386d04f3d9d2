"""Many prepared rows into one table at once, the fastest way each database offers.

Imports write a hundred thousand audit rows and a billing run a hundred thousand invoice lines
with a million devices under them. SQLite runs one prepared statement over all the rows
(``executemany``). On PostgreSQL that is slow with Django's psycopg cursors, which bind on the
client and so quote every value in Python, one statement a row; ``COPY … FROM STDIN`` streams
the rows instead, each value written by psycopg's own dumpers. Either way it is one statement,
however many rows: a run's number of queries does not grow with its size. Values must already
be what the field's ``get_db_prep_save`` gives (as ``bulk_create`` would write them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


def insert_rows(
    connection: BaseDatabaseWrapper,
    model: type[models.Model],
    fields: Sequence[Any],  # the model's concrete fields, in the rows' order
    rows: Sequence[tuple[Any, ...]],
) -> int:
    """Insert ``rows`` (one value per field, prepared) into ``model``'s table; how many."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
            cursor.executemany(sql, rows)
    return len(rows)


def json_text(field: Any, connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """A JSON field's ``get_db_prep_save`` for ``insert_rows``, giving the JSON as text.

    On PostgreSQL the prepared value is an adapter that psycopg dumps again each time it is
    written — for a value that a hundred thousand rows share, as often. Its text is what
    ``COPY`` reads into ``jsonb`` all the same, so it is dumped here, once per value; SQLite's
    prepared value is that text already."""
    prep = field.get_db_prep_save
    if connection.vendor != "postgresql":
        return lambda value: prep(value, connection)

    def dumped(value: Any) -> Any:
        adapter = prep(value, connection)
        return (adapter.dumps or json.dumps)(adapter.obj)

    return dumped
