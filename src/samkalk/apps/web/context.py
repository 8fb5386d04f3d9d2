"""Template context shared by every page: the site's name, the user's role and the navigation.

The navigation lists only the areas the user's role may open, asked of accounts.access, so
templates show what they are given and hold no role rules of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samkalk.apps.accounts import access
from samkalk.apps.accounts.models import Role
from samkalk.apps.federation.models import Federation

DEFAULT_FEDERATION_NAME = "Samkalk"

# (label, url name, the url names that belong to the area)
AREAS = [
    (_("Start"), "web:start", {"start"}),
    (_("Budget"), "web:budget", {"budget", "staff_budget"}),
    (
        _("Members"),
        "web:member_list",
        {"member_list", "member_detail", "member_forecast", "member_devices", "member_invoices"},
    ),
    (_("Governance objects"), "web:object_list", {"object_list", "object_detail"}),
    (_("Products"), "web:product_list", {"product_list", "price_calculation"}),
    (_("Allocation keys"), "web:key_list", {"key_list", "key_detail"}),
    (_("Investments"), "web:investment_list", {"investment_list"}),
    (_("Financing"), "web:financing", {"financing"}),
    (_("Assets"), "web:asset_list", {"asset_list", "asset_detail"}),
    (_("Replacement plan"), "web:replacement_plan", {"replacement_plan"}),
    (_("Decisions"), "web:decision_list", {"decision_list"}),
]
AUDIT_AREA = (_("Audit trail"), "web:audit_list", {"audit_list"})
# A run holds every member's invoices: its area is for those who read billing (access); the
# others reach the settlement (their own members' rows) and their members' invoices.
BILLING_AREA = (
    _("Billing"),
    "web:billing_runs",
    {"billing_runs", "billing_preview", "billing_run", "settlement", "invoice"},
)
SETTLEMENT_AREA = (_("Settlement"), "web:settlement", {"settlement"})


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url: str
    current: bool


def _items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not access.has_role(user):
        return []
    match = request.resolver_match
    url_name = match.url_name if match and match.namespace == "web" else None
    billing = BILLING_AREA if access.reads_billing(user) else SETTLEMENT_AREA
    areas = [*AREAS[:3], billing, *AREAS[3:]]
    if access.can_manage_data(user):
        areas.append(AUDIT_AREA)
    items = [NavItem(str(label), reverse(name), url_name in names) for label, name, names in areas]
    member_id = getattr(getattr(user, "profile", None), "member_id", None)
    if access.role_of(user) == Role.MEMBER_READER and member_id:
        url = reverse("web:member_invoices", args=[member_id])
        items.insert(
            3, NavItem(str(_("Invoices")), url, url_name in {"member_invoices", "invoice"})
        )
    if user.is_staff:
        items.append(NavItem(str(_("Admin")), reverse("admin:index"), False))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    federation = Federation.objects.only("name").first()
    role = access.role_of(getattr(request, "user", None))
    return {
        "federation_name": federation.name if federation else DEFAULT_FEDERATION_NAME,
        "nav_items": _items(request),
        "user_role_label": Role(role).label if role else "",
    }
