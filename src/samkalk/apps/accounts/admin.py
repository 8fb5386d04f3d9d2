from django.contrib import admin

from samkalk.apps.accounts.models import Profile
from samkalk.apps.audit.admin import AuditedAdmin


@admin.register(Profile)
class ProfileAdmin(AuditedAdmin):
    list_display = ["user", "role", "member"]
    list_filter = ["role", "member"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["member"]
