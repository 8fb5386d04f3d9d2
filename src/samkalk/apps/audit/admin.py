"""Admin integration: every admin change is audited; the audit trail itself is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction

from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.audit.services import audit_record, snapshot


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose saves and deletes write an audit row in the same transaction."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                via="admin",
                action="update" if change else "create",
                instance=obj,
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request: Any, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user,
                via="admin",
                action="delete",
                instance=obj,
                before=snapshot(obj),
                after=None,
            )
            super().delete_model(request, obj)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            befores = (
                {o.pk: snapshot(o) for o in formset.queryset if o.pk is not None}
                if formset.is_bound
                else {}
            )
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit_record(
                    actor=request.user,
                    via="admin",
                    action="delete",
                    instance=obj,
                    before=befores.get(obj.pk),
                    after=None,
                )
                obj.delete()
            for obj in instances:
                existed = obj.pk is not None
                obj.save()
                audit_record(
                    actor=request.user,
                    via="admin",
                    action="update" if existed else "create",
                    instance=obj,
                    before=befores.get(obj.pk) if existed else None,
                    after=snapshot(obj),
                )
            formset.save_m2m()

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records that are never changed once written: the audit trail, budget versions, posted
    runs and invoices (a correction is a new record, e.g. a credit note)."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "via", "action", "model", "object_repr"]
    list_filter = ["action", "model", "via"]
    search_fields = ["object_repr", "actor_label", "object_pk"]
    date_hierarchy = "at"
