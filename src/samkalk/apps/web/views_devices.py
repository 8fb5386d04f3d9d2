"""A member's devices: what it holds, what each costs this month, when each is due for replacement.

Read-only, like ``views``: the member is looked up through ``access.visible_members`` (another
member's page is a 404 for a member reader), and the figures come from
``reports.member_devices``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from samkalk.apps.accounts import access
from samkalk.apps.web.guards import role_required
from samkalk.apps.web.views_assets import rate_label
from samkalk.core.months import add_months
from samkalk.reports.member_devices import member_devices

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_param(request: HttpRequest) -> dt.date:
    """``?month=YYYY-MM`` as its first day; the current month without it; 404 if malformed."""
    raw = request.GET.get("month", "")
    if not raw:
        return timezone.localdate().replace(day=1)
    match = _MONTH.fullmatch(raw)
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        raise Http404
    return dt.date(int(match[1]), int(match[2]), 1)


def _shift(month: dt.date, months: int) -> str:
    return f"{add_months(month, months):%Y-%m}"


@role_required
def member_devices_page(request: HttpRequest, member_id: int) -> HttpResponse:
    """Medlemmens enheter: the devices the member's organisations hold and their monthly rent."""
    member = get_object_or_404(access.visible_members(request.user), pk=member_id)
    month = month_param(request)
    devices = member_devices(member, month)
    return render(
        request,
        "web/member_devices.html",
        {
            "member": member,
            "devices": devices,
            "month_value": _shift(month, 0),
            "previous_month": _shift(month, -1),
            "next_month": _shift(month, 1),
            "rate_label": rate_label(devices.rate),
            # the rate label already says when the year has no rule
            "errors": [e for e in devices.errors if e.code != "capital_cost.no_rule"],
            "uncharged": sum(1 for row in devices.rows if not row.charged),
        },
    )
