from typing import Any

from django import forms
from django.contrib import admin

from samkalk.apps.assets.models import (
    Asset,
    AssetType,
    CapitalCostRule,
    Investment,
    InvestmentLine,
    PriceBaseAmount,
)
from samkalk.apps.assets.selectors import investment_decided_problems
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


class InvestmentForm(forms.ModelForm):  # type: ignore[type-arg]
    """Refuses to mark unspecified investments decided beyond what the deciding body may."""

    class Meta:
        model = Investment
        fields = [
            "code",
            "name",
            "asset_type",
            "depreciation_months",
            "scope",
            "member",
            "allocation_key",
            "financing",
            "development_pool",
            "decided",
            "decision",
            "description",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        candidate = self.instance
        for field in ("development_pool", "decided", "decision"):
            if field in cleaned:
                setattr(candidate, field, cleaned[field])
        problems = investment_decided_problems(candidate)
        if problems:
            raise forms.ValidationError([p.message for p in problems])
        return cleaned


@admin.register(Investment)
class InvestmentAdmin(AuditedAdmin):
    form = InvestmentForm
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


@admin.register(CapitalCostRule)
class CapitalCostRuleAdmin(AuditedAdmin):
    list_display = ["year", "rate_source", "internal_rate_percent", "interest_basis"]


@admin.register(Asset)
class AssetAdmin(AuditedAdmin):
    list_display = [
        "tag",
        "asset_type",
        "model",
        "organisation",
        "acquired_on",
        "acquisition_cost",
        "status",
    ]
    list_filter = ["status", "asset_type", "direct_purchase"]
    search_fields = ["tag", "serial_number", "model", "purchase"]
    date_hierarchy = "acquired_on"
    raw_id_fields = ["organisation", "investment", "decision"]
    list_select_related = ["asset_type", "organisation__member"]
