"""The devices behind a posted run's device lines: written with the run, read to explain a line.

The run's lines sum the devices per organisation and asset type (``core.billing.DeviceGroup``);
posting also writes those groups and every device in them with its rent (``BilledDeviceGroup``,
``BilledDevice``), so a posted line is explained device by device as it was billed, whatever
the register says later. The devices are written by the database itself — ``INSERT … SELECT``
over the rent expression of ``reports.device_rents`` — since a national run has a million of
them; under the annuity basis they are priced in Python and inserted in one statement. The
written rows are then counted and summed per group against what the run billed, so a register
changed between the sums and the write stops the run instead of explaining it wrongly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import Count, Sum

from samkalk.apps.billing.models import BilledDevice, BilledDeviceGroup, BillingRun, InvoiceLine
from samkalk.apps.bulk import insert_rows
from samkalk.core import billing as core
from samkalk.core.errors import CoreError
from samkalk.core.money import from_ore, to_ore
from samkalk.reports.device_rents import device_rents, priced_sql
from samkalk.reports.member_devices import month_rent_terms, parse_group_key

CHUNK = 900  # ids per IN (…): well inside every SQLite build's limit on parameters


class ItemisationError(ValueError):
    def __init__(self, error: CoreError) -> None:
        super().__init__(error.message)
        self.error = error


def store_device_groups(run: BillingRun, drafts: Iterable[core.DraftInvoice]) -> dict[str, int]:
    """Write the device groups the drafts' lines bill, and their devices; their ids by key."""
    groups = {
        group.key: group
        for draft in drafts
        for line in draft.lines
        for group, _ in line.devices.parts
    }
    connection = connections[router.db_for_write(BilledDeviceGroup)]
    meta = BilledDeviceGroup._meta
    fields: list[Any] = [
        meta.get_field(name)
        for name in ("run", "month", "organisation", "asset_type", "direct_purchase")
    ]
    prepare = fields[1].get_db_prep_save
    keys = {key: parse_group_key(key) for key in groups}
    months = {month: prepare(month, connection) for month, *_ in keys.values()}
    insert_rows(  # one statement however many groups, as the lines are written
        connection,
        BilledDeviceGroup,
        fields,
        [(run.pk, months[month], *rest) for month, *rest in keys.values()],
    )
    written = BilledDeviceGroup.objects.filter(run=run).values_list(
        "pk", "month", "organisation", "asset_type", "direct_purchase"
    )
    found = {(month, org, kind, direct): pk for pk, month, org, kind, direct in written}
    ids = {key: found[parsed] for key, parsed in keys.items()}
    for month in sorted(months):
        _insert_devices(run, month, ids)
    _check(run, groups, ids)
    return ids


def _insert_devices(run: BillingRun, month: dt.date, ids: dict[str, int]) -> None:
    connection = connections[router.db_for_write(BilledDevice)]
    terms = month_rent_terms(month)
    meta = BilledDevice._meta
    fields: list[Any] = [meta.get_field(name) for name in ("group", "tag", "amount_ore")]
    if terms.in_sql:
        quote = connection.ops.quote_name
        priced, params = priced_sql(terms)
        columns = ", ".join(quote(field.column) for field in fields)
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "
            f"SELECT g.id, p.tag, p.rent FROM ({priced}) p "
            f"JOIN {quote(BilledDeviceGroup._meta.db_table)} g "
            "ON g.organisation_id = p.organisation_id AND g.asset_type_id = p.asset_type_id "
            "AND g.direct_purchase = p.direct_purchase WHERE g.run_id = %s AND g.month = %s "
            "ORDER BY g.id, p.tag"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, run.pk, month])
        return
    wanted = {}
    for key, pk in ids.items():
        day, organisation, asset_type, direct = parse_group_key(key)
        if day == month:
            wanted[(organisation, asset_type, direct)] = pk
    rows = [
        (wanted[(org, type_id, direct)], tag, rent)
        for org, type_id, direct, tag, rent in device_rents(terms, set(wanted))
    ]
    insert_rows(connection, BilledDevice, fields, rows)


def _check(run: BillingRun, groups: dict[str, core.DeviceGroup], ids: dict[str, int]) -> None:
    """Each written group has the devices and the rents the run billed, or the run stops."""
    written = {
        pk: (count, ore)
        for pk, count, ore in BilledDevice.objects.filter(group__run=run)
        .values("group")
        .annotate(count=Count("pk"), ore=Sum("amount_ore"))
        .values_list("group", "count", "ore")
    }
    for key, group in groups.items():
        if written.get(ids[key]) != (group.count, to_ore(group.rent)):
            raise ItemisationError(
                CoreError(
                    "billing.register_changed",
                    f"the devices of {group.organisation} changed while the run was computed; "
                    "run it again",
                )
            )


def itemisations(lines: Iterable[InvoiceLine]) -> dict[int, list[tuple[str, Decimal]]]:
    """Each device line's devices, (inventory number, amount) by number, by line id: one
    query per 900 groups, whatever the number of lines."""
    parts = {line.pk: line.stored_parts() for line in lines}
    groups = sorted({int(group) for found in parts.values() for group, _ in found})
    listed: dict[str, list[tuple[str, Decimal]]] = {str(group): [] for group in groups}
    kronor: dict[int, Decimal] = {}
    for start in range(0, len(groups), CHUNK):
        rows = BilledDevice.objects.filter(group__in=groups[start : start + CHUNK])
        for group, tag, ore in rows.values_list("group", "tag", "amount_ore"):
            amount = kronor.get(ore)
            if amount is None:
                amount = kronor[ore] = from_ore(ore)
            listed[str(group)].append((tag, amount))
    return {pk: core.itemise(found, listed) for pk, found in parts.items() if found}


def itemised(line: InvoiceLine) -> list[tuple[str, Decimal]]:
    """One line's devices, (inventory number, amount) by number."""
    return itemisations([line]).get(line.pk, [])
