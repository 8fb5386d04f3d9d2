"""Writing audit rows: the only way changes are recorded.

``snapshot`` turns a model instance into plain JSON values (money stays integer öre, dates ISO)
so the before/after pictures compare exactly. ``audit_record`` is called by every write service
inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from samkalk.apps.audit.models import AuditEntry


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
    """Write audit rows for many changes at once (an import); returns how many."""
    at = timezone.now()
    rows = [
        AuditEntry(**_entry_fields(actor, via, action, inst, before, after, at))
        for action, inst, before, after in changes
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _entry_fields(
    actor: Any,
    via: str,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: dt.datetime | None,
) -> dict[str, Any]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor.get_username() if user is not None else str(actor or "system")
    return {
        "at": at or timezone.now(),
        "actor": user,
        "actor_label": label[:200],
        "via": via[:200],
        "action": action,
        "model": instance._meta.label_lower,
        "object_pk": str(instance.pk),
        "object_repr": str(instance)[:300],
        "before": before,
        "after": after,
    }
