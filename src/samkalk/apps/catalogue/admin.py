from typing import Any

from django import forms
from django.contrib import admin

from samkalk.apps.audit.admin import AuditedAdmin
from samkalk.apps.catalogue.models import CostPool, PricingGuideline, Product, ProductPrice
from samkalk.core.price_rules import price_change_problems


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
    list_display = ["code", "name", "kind", "basis"]


@admin.register(PricingGuideline)
class PricingGuidelineAdmin(AuditedAdmin):
    list_display = ["code", "name", "decision", "object_owner_may_decide"]


class ProductPriceForm(forms.ModelForm):  # type: ignore[type-arg]
    """Refuses a price change during the year without the decision the guideline requires."""

    class Meta:
        model = ProductPrice
        fields = ["product", "valid_from", "amount_ore", "guideline", "decision"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        valid_from, guideline = cleaned.get("valid_from"), cleaned.get("guideline")
        if valid_from is None or guideline is None:
            return cleaned
        decision = cleaned.get("decision")
        problems = price_change_problems(
            valid_from,
            decision.body if decision is not None else None,
            guideline.object_owner_may_decide,
        )
        if problems:
            raise forms.ValidationError([p.message for p in problems])
        return cleaned


@admin.register(ProductPrice)
class ProductPriceAdmin(AuditedAdmin):
    form = ProductPriceForm
    list_display = ["product", "valid_from", "amount", "guideline", "decision"]
    list_filter = ["guideline"]
    search_fields = ["product__code", "product__name"]
