"""Writing audit rows: the only way changes are recorded.

``snapshot`` turns a model instance into plain JSON values (money stays integer öre, dates ISO)
so the before/after pictures compare exactly. ``audit_record`` is called by every write service
inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.bulk import insert_rows


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values as JSON-ready data (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key:
            continue
        data[field.attname] = _plain(getattr(instance, field.attname))
    return data


def picture(attnames: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """What ``snapshot`` gives, from the field attnames and values already at hand."""
    return {name: _plain(value) for name, value in zip(attnames, values, strict=True)}


def actor_label(actor: Any) -> str:
    """Who acted, as the records name them: the user name, or the label a command passes."""
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return str(actor or "system")


def audit_record(
    *,
    actor: Any,
    via: str,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Write one audit row for a change to ``instance``."""
    return AuditEntry.objects.create(
        **_entry_fields(actor, via, action, instance, before, after, at)
    )


Picture = dict[str, Any] | None
Change = tuple[str, models.Model, Picture, Picture]  # action, instance, before, after


def audit_record_many(*, actor: Any, via: str, changes: Iterable[Change]) -> int:
    """Write audit rows for many changes at once (an import); returns how many.

    The rows are the ones ``audit_record`` writes, inserted all at once (``insert_rows``): an
    import of 100 000 records writes 100 000 audit rows in about a second. Values go through
    each field's own ``get_db_prep_save``, as in ``bulk_create``; what is the same on every row
    (time, actor, via) is prepared once.
    """
    common = _entry_fields(actor, via, "", None, None, None, timezone.now())
    meta = AuditEntry._meta
    connection = connections[router.db_for_write(AuditEntry)]
    names = ("at", "actor", "actor_label", "via", "action", "model", "object_pk", "object_repr")
    fields: list[Any] = [meta.get_field(name) for name in (*names, "before", "after")]
    user = common["actor"]
    fixed = (
        fields[0].get_db_prep_save(common["at"], connection),
        None if user is None else user.pk,
        common["actor_label"],
        common["via"],
    )
    before_field, after_field = fields[-2], fields[-1]
    labels: dict[type[models.Model], str] = {}
    rows = []
    for action, inst, before, after in changes:
        model = type(inst)
        if model not in labels:
            labels[model] = inst._meta.label_lower
        rows.append(
            (
                *fixed,
                action,
                labels[model],
                str(inst.pk),
                str(inst)[:300],
                before_field.get_db_prep_save(before, connection),
                after_field.get_db_prep_save(after, connection),
            )
        )
    return insert_rows(connection, AuditEntry, fields, rows)


def _entry_fields(
    actor: Any,
    via: str,
    action: str,
    instance: models.Model | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: dt.datetime | None,
) -> dict[str, Any]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label(actor)
    common = {
        "at": at or timezone.now(),
        "actor": user,
        "actor_label": label[:200],
        "via": via[:200],
    }
    if instance is None:
        return common
    return {
        **common,
        "action": action,
        "model": instance._meta.label_lower,
        "object_pk": str(instance.pk),
        "object_repr": str(instance)[:300],
        "before": before,
        "after": after,
    }
