"""The devices a run bills: summed and listed when it is posted, read again to explain a line.

Posting a month first writes its device groups (``BilledDeviceGroup``): for each month the run
bills devices for, one statement sums every device's rent per organisation, asset type and
direct purchase and lists the devices with their rents in the group's row
(``reports.device_rents``; under the annuity basis the devices are priced in Python and the
groups inserted in one statement). The run then bills those very groups
(``reports.member_devices.device_charges`` with the run), so what a line bills and how it is
itemised come from one reading of the register, and a posted line is explained as it was
billed, whatever the register says later.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connections, router

from samkalk.apps.billing.models import BilledDeviceGroup, BillingRun, Invoice, InvoiceLine
from samkalk.apps.bulk import insert_rows, json_text
from samkalk.core import billing as core
from samkalk.core.money import from_ore
from samkalk.reports.device_rents import grouped_sql, listed_in_python
from samkalk.reports.member_devices import group_key, month_rent_terms

CHUNK = 900  # ids per IN (…): well inside every SQLite build's limit on parameters
_COLUMNS = (
    "run", "month", "organisation", "asset_type", "direct_purchase", "count", "rent_ore",
    "each_ore", "tags", "amounts",
)  # fmt: skip


def store_device_groups(run: BillingRun, months: Iterable[dt.date]) -> dict[str, int]:
    """Write the run's device groups of each of ``months``; their ids by ``group_key``."""
    connection = connections[router.db_for_write(BilledDeviceGroup)]
    meta = BilledDeviceGroup._meta
    fields: list[Any] = [meta.get_field(name) for name in _COLUMNS]
    quote = connection.ops.quote_name
    for month in months:
        terms, day = month_rent_terms(month), fields[1].get_db_prep_save(month, connection)
        if terms.in_sql:
            select, params = grouped_sql(terms, lists=True)  # its columns in _COLUMNS' order
            columns = ", ".join(quote(field.column) for field in fields)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT %s, %s, g.* "
                    f"FROM ({select}) g",
                    [run.pk, day, *params],
                )
            continue
        lists = json_text(fields[-1], connection)
        rows = [
            (run.pk, day, *group, lists(tags), lists(amounts))
            for *group, tags, amounts in listed_in_python(terms)
        ]
        insert_rows(connection, BilledDeviceGroup, fields, rows)
    written = BilledDeviceGroup.objects.filter(run=run).values_list(
        "pk", "month", "organisation", "asset_type", "direct_purchase"
    )
    return {group_key(month, org, kind, direct): pk for pk, month, org, kind, direct in written}


def itemisations(lines: Iterable[InvoiceLine]) -> dict[int, list[tuple[str, Decimal]]]:
    """Each device line's devices, (inventory number, amount) by number, by line id: one
    query per 900 groups, whatever the number of lines."""
    parts = {line.pk: line.stored_parts() for line in lines}
    groups = sorted({int(group) for found in parts.values() for group, _ in found})
    listed: dict[str, list[tuple[str, Decimal]]] = {}
    kronor = functools.cache(from_ore)  # a group's devices share a few rents
    for start in range(0, len(groups), CHUNK):
        rows = BilledDeviceGroup.objects.filter(pk__in=groups[start : start + CHUNK])
        for group, tags, amounts in rows.values_list("pk", "tags", "amounts"):
            listed[str(group)] = list(zip(tags, map(kronor, amounts), strict=True))
    return {pk: core.itemise(found, listed) for pk, found in parts.items() if found}


def itemised_lines(invoice: Invoice) -> list[tuple[InvoiceLine, list[tuple[str, Decimal]]]]:
    """The invoice's lines in order, each with its devices (none for other lines)."""
    lines = list(invoice.lines.select_related("product").order_by("position"))
    devices = itemisations(lines)
    return [(line, devices.get(line.pk, [])) for line in lines]
