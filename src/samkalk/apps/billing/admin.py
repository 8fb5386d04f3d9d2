from typing import Any

from django.contrib import admin

from samkalk.apps.audit.admin import AuditedAdmin, ReadOnlyAdmin
from samkalk.apps.billing.models import (
    ActualCost,
    BillingRun,
    Invoice,
    InvoiceLine,
    PassThroughCost,
    Usage,
)


@admin.register(Usage)
class UsageAdmin(AuditedAdmin):
    list_display = ["month", "organisation", "product", "quantity"]
    list_filter = ["month"]
    search_fields = ["organisation__code", "product__code"]


@admin.register(PassThroughCost)
class PassThroughCostAdmin(AuditedAdmin):
    list_display = ["code", "incurred_on", "organisation", "product", "amount"]
    search_fields = ["code", "description"]


@admin.register(ActualCost)
class ActualCostAdmin(AuditedAdmin):
    list_display = ["year", "product", "cost_pool", "member", "amount"]
    list_filter = ["year"]


@admin.register(BillingRun)
class BillingRunAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ["kind", "period", "posted_at", "posted_by", "total_ore"]


class InvoiceLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = ("position", "product", "source", "quantity", "unit_price_ore", "amount_ore")
    readonly_fields = fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ["number", "kind", "organisation", "issue_date", "total_ore"]
    list_filter = ["kind", "run"]
    search_fields = ["number", "organisation__code"]
    inlines = [InvoiceLineInline]
