"""The web pages' URLs. Ids that belong to one member are named ``member_id`` (and an asset, which
a member's organisation may hold, ``asset_id``; an invoice, ``invoice_id``; an organisation,
``organisation_id``): the access tests look for those names to check
that a member reader cannot open another member's records."""

from django.urls import path

from samkalk.apps.web import (
    views,
    views_assets,
    views_billing,
    views_budget,
    views_catalogue,
    views_devices,
)

app_name = "web"

urlpatterns = [
    path("", views.start, name="start"),
    path("medlemmar/", views.member_list, name="member_list"),
    path("medlemmar/<int:member_id>/", views.member_detail, name="member_detail"),
    path(
        "medlemmar/<int:member_id>/enheter/",
        views_devices.member_devices_page,
        name="member_devices",
    ),
    path(
        "medlemmar/<int:member_id>/prognos/",
        views_budget.member_forecast_page,
        name="member_forecast",
    ),
    path(
        "medlemmar/<int:member_id>/fakturor/",
        views_billing.member_invoices_page,
        name="member_invoices",
    ),
    path(
        "medlemmar/<int:member_id>/verifikationer.se",
        views_billing.member_sie,
        name="member_sie",
    ),
    path("fakturering/", views_billing.billing_runs_page, name="billing_runs"),
    path(
        "fakturering/forhandsgranska/",
        views_billing.billing_preview_page,
        name="billing_preview",
    ),
    path("fakturering/avrakning/", views_billing.settlement_page, name="settlement"),
    path("fakturering/<int:run_id>/", views_billing.billing_run_page, name="billing_run"),
    path(
        "fakturering/<int:run_id>/verifikationer.se",
        views_billing.billing_run_sie,
        name="billing_run_sie",
    ),
    path(
        "fakturering/<int:run_id>/specifikation/<int:organisation_id>.xlsx",
        views_billing.billing_run_xlsx,
        name="billing_run_xlsx",
    ),
    path("fakturor/<int:invoice_id>/", views_billing.invoice_page, name="invoice"),
    path("fakturor/<int:invoice_id>/peppol.xml", views_billing.invoice_peppol, name="invoice_xml"),
    path(
        "fakturor/<int:invoice_id>/specifikation.pdf",
        views_billing.invoice_pdf_page,
        name="invoice_pdf",
    ),
    path("objekt/", views.object_list, name="object_list"),
    path("objekt/<int:object_id>/", views.object_detail, name="object_detail"),
    path("produkter/", views_catalogue.product_list, name="product_list"),
    path("produkter/prislista.xlsx", views_catalogue.price_list_xlsx, name="price_list_xlsx"),
    path(
        "produkter/<int:product_id>/kalkyl/",
        views_catalogue.price_calculation_page,
        name="price_calculation",
    ),
    path("budget/", views_budget.budget_page, name="budget"),
    path("budget/budget.xlsx", views_budget.budget_xlsx, name="budget_xlsx"),
    path("budget/personal/", views_budget.staff_budget_page, name="staff_budget"),
    path("nycklar/", views.key_list, name="key_list"),
    path("nycklar/<int:key_id>/", views.key_detail, name="key_detail"),
    path("investeringar/", views.investment_list, name="investment_list"),
    path("finansiering/", views.financing_overview, name="financing"),
    path("tillgangar/", views_assets.asset_list, name="asset_list"),
    path("tillgangar/<int:asset_id>/", views_assets.asset_detail, name="asset_detail"),
    path("utbytesplan/", views_assets.replacement_plan_overview, name="replacement_plan"),
    path("beslut/", views.decision_list, name="decision_list"),
    path("andringslogg/", views.audit_list, name="audit_list"),
]
