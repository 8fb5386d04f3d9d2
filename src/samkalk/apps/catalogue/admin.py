from django.contrib import admin

from samkalk.apps.audit.admin import AuditedAdmin
from samkalk.apps.catalogue.models import CostPool, OverheadShare, Product


@admin.register(Product)
class ProductAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "governance_object",
        "category",
        "price_model",
        "unit",
        "vat_rate",
    ]
    list_filter = ["category", "price_model", "governance_object"]
    search_fields = ["code", "name"]


@admin.register(CostPool)
class CostPoolAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind"]


@admin.register(OverheadShare)
class OverheadShareAdmin(AuditedAdmin):
    list_display = ["budget_year", "cost_pool", "product", "share_percent"]
    list_filter = ["budget_year", "cost_pool"]
