from django.contrib import admin

from samkalk.apps.audit.admin import AuditedAdmin, ReadOnlyAdmin
from samkalk.apps.budget.models import (
    Budget,
    BudgetVersion,
    BudgetYear,
    Consumption,
    CostPoolLine,
    DirectCost,
    OverheadShare,
    StaffPost,
    Volume,
)


@admin.register(Budget)
class BudgetAdmin(AuditedAdmin):
    list_display = ["year", "status", "decision"]


@admin.register(BudgetVersion)
class BudgetVersionAdmin(ReadOnlyAdmin, AuditedAdmin):
    """Versions are frozen figures: created by the budget service, never edited."""

    list_display = ["budget", "number", "status", "decision", "created_at", "created_by"]
    list_filter = ["budget", "status"]


@admin.register(BudgetYear)
class BudgetYearAdmin(AuditedAdmin):
    list_display = ["budget", "year", "salary_increase_percent", "price_index_percent"]
    list_filter = ["budget"]


@admin.register(StaffPost)
class StaffPostAdmin(AuditedAdmin):
    list_display = ["budget", "code", "title", "fte_percent", "amount"]
    list_filter = ["budget"]
    search_fields = ["code", "title"]


@admin.register(DirectCost)
class DirectCostAdmin(AuditedAdmin):
    list_display = ["budget", "product", "year", "kind", "amount"]
    list_filter = ["budget", "year", "kind"]
    search_fields = ["product__code", "product__name"]


@admin.register(CostPoolLine)
class CostPoolLineAdmin(AuditedAdmin):
    list_display = ["budget", "cost_pool", "year", "amount"]
    list_filter = ["budget", "year"]


@admin.register(OverheadShare)
class OverheadShareAdmin(AuditedAdmin):
    list_display = ["budget", "year", "cost_pool", "product", "weight"]
    list_filter = ["budget", "year", "cost_pool"]


@admin.register(Consumption)
class ConsumptionAdmin(AuditedAdmin):
    list_display = ["budget", "year", "consumer", "provider", "percent"]
    list_filter = ["budget", "year"]


@admin.register(Volume)
class VolumeAdmin(AuditedAdmin):
    list_display = ["budget", "year", "product", "member", "quantity"]
    list_filter = ["budget", "year", "member"]
    search_fields = ["product__code", "product__name"]
