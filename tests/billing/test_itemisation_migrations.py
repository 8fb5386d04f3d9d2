"""Billing migrations that rewrite how invoice lines itemise their devices, forward and back.

0002 made the pairs [[tag, amount], …] columnar; 0003 moves the columnar devices into billed
groups (``BilledDeviceGroup``) and the line into {"parts": …}.
"""

from __future__ import annotations

import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps

from samkalk.apps.billing.itemisation import itemisations
from samkalk.apps.billing.models import (
    BilledDeviceGroup,
    Invoice,
    InvoiceLine,
)
from samkalk.apps.billing.services import billing_run_post, invoice_credit
from samkalk.apps.budget.models import Budget
from tests.billing.test_billing_runs import JAN, _adopt, federation  # noqa: F401 (a fixture)

columnar_0002 = importlib.import_module("samkalk.apps.billing.migrations.0002_devices_columnar")
groups_0003 = importlib.import_module("samkalk.apps.billing.migrations.0003_device_groups")


@pytest.mark.usefixtures("federation")
def test_lines_posted_with_devices_as_pairs_are_converted_both_ways():
    """Migration billing 0002 turns [[tag, amount], …] into the columnar form and back."""
    _adopt(Budget.objects.get(year=2026))
    billing_run_post(JAN, actor="test", issue_date=JAN)
    lines = InvoiceLine.objects.order_by("pk")
    mixed, same = lines[0], lines[1]
    InvoiceLine.objects.filter(pk=mixed.pk).update(devices=[["B-2", "10.00"], ["A-1", "7.50"]])
    InvoiceLine.objects.filter(pk=same.pk).update(devices=[["A-1", "45.00"], ["B-2", "45.00"]])
    InvoiceLine.objects.exclude(pk__in=[mixed.pk, same.pk]).update(devices=[])
    columnar_0002.columnar(apps, None)
    mixed.refresh_from_db()
    same.refresh_from_db()
    assert mixed.devices == {"tags": ["B-2", "A-1"], "amounts": ["10.00", "7.50"]}
    assert same.devices == {"tags": ["A-1", "B-2"], "each": "45.00"}
    assert not any(line.devices for line in lines.exclude(pk__in=[mixed.pk, same.pk]))
    columnar_0002.pairs(apps, None)
    same.refresh_from_db()
    assert same.devices == [["A-1", "45.00"], ["B-2", "45.00"]]


MIXED = {"tags": ["B-2", "A-1", "C-3"], "amounts": ["10.00", "7.50", "1234567.89"]}
EACH = {"tags": ["Z-9", "A-1"], "each": "45.00"}


def itemised(line):
    return itemisations([line]).get(line.pk, [])


def _copy(line, position, devices):
    """Another line of the same invoice, with ``devices`` as stored."""
    line.pk, line.position, line.devices = None, position, devices
    line.save()
    return line


@pytest.mark.usefixtures("federation")
def test_columnar_devices_become_one_billed_group_per_line_and_come_back():
    """Migration billing 0003 moves each line's columnar devices into a group of its own
    (credit notes' into the credited invoice's run), leaves lines already in parts alone,
    and on the way back rebuilds 0002's canonical form from any parts, fees included."""
    _adopt(Budget.objects.get(year=2026))
    run = billing_run_post(JAN, actor="test", issue_date=JAN)
    alfa_grant, alfa_rent, beta_grant = InvoiceLine.objects.order_by("pk")
    assert alfa_grant.invoice_id == alfa_rent.invoice_id != beta_grant.invoice_id
    posted = dict(alfa_rent.devices)
    (posted_group,) = BilledDeviceGroup.objects.values_list("pk", flat=True)
    assert posted == {"parts": [[posted_group, None]]}
    (((rent_tag,), (rent_ore,)),) = BilledDeviceGroup.objects.values_list("tags", "amounts")
    rent = Decimal(rent_ore).scaleb(-2)  # two decimals, as the JSON writes amounts
    InvoiceLine.objects.filter(pk=alfa_grant.pk).update(devices=MIXED)
    InvoiceLine.objects.filter(pk=beta_grant.pk).update(devices=EACH)
    note = invoice_credit(alfa_grant.invoice, reason="wrong", actor="test", issue_date=JAN)
    assert note.run is None and note.credits_id == alfa_grant.invoice_id
    credit_grant, credit_rent = note.lines.order_by("position")
    assert credit_grant.devices == MIXED  # the credit note copies the old form
    InvoiceLine.objects.filter(pk=credit_rent.pk).update(devices={"parts": [[posted_group, "500"]]})
    empty = _copy(InvoiceLine.objects.get(pk=beta_grant.pk), 98, {})
    no_tags = _copy(InvoiceLine.objects.get(pk=beta_grant.pk), 99, {"tags": [], "amounts": []})
    converted = [alfa_grant, beta_grant, credit_grant]

    groups_0003.grouped(apps, None)

    for line in [*converted, alfa_rent, credit_rent, empty, no_tags]:
        line.refresh_from_db()
    assert itemised(alfa_grant) == [
        ("A-1", Decimal("7.50")),
        ("B-2", Decimal("10.00")),
        ("C-3", Decimal("1234567.89")),
    ]
    assert itemised(credit_grant) == itemised(alfa_grant)
    assert itemised(beta_grant) == [("A-1", Decimal("45.00")), ("Z-9", Decimal("45.00"))]
    assert alfa_rent.devices == posted  # already in parts: left as it was
    assert itemised(alfa_rent) == [(rent_tag, rent)]
    assert credit_rent.devices == {"parts": [[posted_group, "500"]]}
    assert empty.devices == {} and no_tags.devices == {}
    ore = {
        alfa_grant.pk: {("A-1", 750), ("B-2", 1000), ("C-3", 123456789)},
        credit_grant.pk: {("A-1", 750), ("B-2", 1000), ("C-3", 123456789)},
        beta_grant.pk: {("A-1", 4500), ("Z-9", 4500)},
    }
    new = BilledDeviceGroup.objects.exclude(pk=posted_group)
    assert new.count() == len(converted)
    for line in converted:
        ((group, fee),) = line.devices["parts"]
        assert fee is None
        made = new.get(pk=group)
        invoice = Invoice.objects.get(pk=line.invoice_id)
        assert made.run_id == run.pk
        assert made.month == line.period_start
        assert made.organisation_id == invoice.organisation_id
        assert made.asset_type_id is None and made.direct_purchase is False
        assert sorted(zip(made.tags, made.amounts, strict=True)) == sorted(ore[line.pk])
        amounts = [amount for _, amount in ore[line.pk]]
        assert (made.count, made.rent_ore) == (len(amounts), sum(amounts))
        assert made.each_ore == (amounts[0] if len(set(amounts)) == 1 else None)
    # the invoice's line and its credit note's: same run, month and organisation, two groups
    assert alfa_grant.devices != credit_grant.devices
    assert sum(group.count for group in new) == 3 + 3 + 2

    groups_0003.columnar(apps, None)

    for line in [*converted, alfa_rent, credit_rent, empty, no_tags]:
        line.refresh_from_db()
    back = {"tags": ["A-1", "B-2", "C-3"], "amounts": ["7.50", "10.00", "1234567.89"]}
    assert alfa_grant.devices == back and credit_grant.devices == back
    assert beta_grant.devices == {"tags": ["A-1", "Z-9"], "each": "45.00"}
    assert alfa_rent.devices == {"tags": [rent_tag], "each": str(rent)}
    assert credit_rent.devices == {"tags": [rent_tag], "each": "500.00"}
    assert empty.devices == {} and no_tags.devices == {}


@pytest.mark.django_db
def test_device_lists_are_compressed_with_lz4_on_postgresql_and_set_back_on_the_way_down():
    """Migration billing 0004: a group's lists use LZ4 where the server has it."""
    from django.db import connection

    lz4 = importlib.import_module("samkalk.apps.billing.migrations.0004_device_lists_lz4")
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL compresses a column by a method of its choosing")

    def methods() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attcompression FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attname IN ('tags', 'amounts')",
                [BilledDeviceGroup._meta.db_table],
            )
            return {row[0] for row in cursor.fetchall()}

    editor = SimpleNamespace(connection=connection)  # what the migration reads of its editor
    assert methods() == {"l"}
    lz4.default(apps, editor)
    assert methods() == {""}, "the server's default again"
    lz4.lz4(apps, editor)
    assert methods() == {"l"}
