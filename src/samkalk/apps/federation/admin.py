from django.contrib import admin

from samkalk.apps.audit.admin import AuditedAdmin
from samkalk.apps.federation.models import (
    AllocationKey,
    Decision,
    Federation,
    KeySnapshot,
    Member,
    Organisation,
)


@admin.register(Federation)
class FederationAdmin(AuditedAdmin):
    list_display = ["name", "org_number", "peppol_id"]


@admin.register(Member)
class MemberAdmin(AuditedAdmin):
    list_display = ["code", "name", "org_number", "effective_peppol_id", "is_host"]
    search_fields = ["code", "name", "org_number"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["code", "name", "member", "kind", "buyer_reference"]
    list_filter = ["member", "kind"]
    search_fields = ["code", "name", "buyer_reference"]


@admin.register(AllocationKey)
class AllocationKeyAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "snapshot_month",
        "snapshot_day",
        "snapshot_year_offset",
    ]
    search_fields = ["code", "name"]


@admin.register(KeySnapshot)
class KeySnapshotAdmin(AuditedAdmin):
    list_display = ["key", "member", "as_of", "value"]
    list_filter = ["key", "member", "as_of"]


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ["reference", "decided_on", "paragraph", "case_number", "body", "title"]
    list_filter = ["body"]
    search_fields = ["reference", "case_number", "title", "text"]
    date_hierarchy = "decided_on"
