from django.contrib import admin

from samkalk.apps.audit.admin import AuditedAdmin
from samkalk.apps.governance.models import GovernanceObject


@admin.register(GovernanceObject)
class GovernanceObjectAdmin(AuditedAdmin):
    list_display = ["code", "name", "category", "owner_name"]
    list_filter = ["category"]
    search_fields = ["code", "name", "owner_name"]
