from django.contrib import admin

from samkalk.apps.assets.models import AssetType, Investment, InvestmentLine, PriceBaseAmount
from samkalk.apps.audit.admin import AuditedAdmin


@admin.register(PriceBaseAmount)
class PriceBaseAmountAdmin(AuditedAdmin):
    list_display = ["year", "amount"]


@admin.register(AssetType)
class AssetTypeAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "depreciation_months",
        "activation_convention",
        "direct_purchase_allowed",
    ]
    search_fields = ["code", "name"]


@admin.register(Investment)
class InvestmentAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "asset_type",
        "scope",
        "member",
        "financing",
        "development_pool",
    ]
    list_filter = ["scope", "financing", "development_pool", "asset_type"]
    search_fields = ["code", "name"]


@admin.register(InvestmentLine)
class InvestmentLineAdmin(AuditedAdmin):
    list_display = ["budget", "investment", "year", "amount"]
    list_filter = ["budget", "year"]
