from django.contrib import admin

from samkalk.apps.audit.admin import AuditedAdmin
from samkalk.apps.budget.models import Budget, BudgetLine, CostPoolLine


@admin.register(Budget)
class BudgetAdmin(AuditedAdmin):
    list_display = ["year", "status", "decision"]


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedAdmin):
    list_display = ["budget", "product", "year", "amount"]
    list_filter = ["budget", "year"]
    search_fields = ["product__code", "product__name"]


@admin.register(CostPoolLine)
class CostPoolLineAdmin(AuditedAdmin):
    list_display = ["budget", "cost_pool", "year", "amount"]
    list_filter = ["budget", "year"]
