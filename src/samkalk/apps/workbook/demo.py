"""The demo federation: its workbook (loaded through the ordinary import) and its users.

The users are created from whatever the loaded workbook holds — the first member by name for
the member reader, the first governance object with an owner's e-mail for the object owner —
so the same command works for any federation's workbook placed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from samkalk.apps.accounts.models import Profile, Role
from samkalk.apps.audit.services import audit_record, snapshot
from samkalk.apps.budget.models import Budget
from samkalk.apps.federation.models import Member
from samkalk.apps.governance.models import GovernanceObject
from samkalk.core.months import add_months

DEMO_WORKBOOK = Path(__file__).resolve().parent.parent.parent / "demo" / "demoforbundet"
DATA_APPS = ("federation", "governance", "catalogue", "budget", "assets", "financing", "billing")


@dataclass(frozen=True, slots=True)
class DemoLogin:
    role: str
    username: str
    password: str


@transaction.atomic
def demo_users_ensure() -> list[DemoLogin]:
    """Create (or reset) one demo user per role; returns their logins."""
    first_member = Member.objects.order_by("name").first()
    owned = GovernanceObject.objects.exclude(owner_email="").order_by("code").first()
    specs = [
        (Role.ADMINISTRATOR, "admin", "", None),
        (Role.ECONOMIST, "ekonom", "", None),
        (Role.OBJECT_OWNER, "objektagare", owned.owner_email if owned else "", None),
        (Role.MEMBER_READER, "medlem", "", first_member),
        (Role.BOARD_READER, "direktion", "", None),
    ]
    logins = []
    for role, username, email, member in specs:
        if role == Role.MEMBER_READER and member is None:
            continue
        password = f"demo-{username}"
        logins.append(DemoLogin(str(role), username, password))
        _demo_user(role, username, email, member, password)
    return logins


def _demo_user(role: str, username: str, email: str, member: Member | None, password: str) -> None:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    user.email = email
    user.is_staff = role in (Role.ADMINISTRATOR, Role.ECONOMIST)
    user.is_superuser = role == Role.ADMINISTRATOR
    user.set_password(password)
    user.save()
    if role == Role.ECONOMIST:
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=DATA_APPS))
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"role": role, "member": member})
    before = snapshot(profile)
    profile.role, profile.member = role, member
    profile.save()
    audit_record(
        actor="samkalk demo",
        via="demo users",
        action="create" if created else "update",
        instance=profile,
        before=None if created else before,
        after=snapshot(profile),
    )


def demo_billing_ensure(today: dt.date) -> list[dt.date]:
    """Post the monthly runs of the adopted budget's year that ended before ``today``.

    So the demo shows invoices, exports and a settlement to compare with; a month already
    posted is left as it is. Returns the months posted now.
    """
    from samkalk.apps.billing.models import BillingRun
    from samkalk.apps.billing.services import billing_run_post
    from samkalk.apps.budget.services import budget_version_create

    budget = Budget.objects.filter(status=Budget.Status.ADOPTED).order_by("-year").first()
    if budget is None:
        return []
    if not budget.versions.filter(status=Budget.Status.ADOPTED).exists():
        budget_version_create(
            budget,
            status=Budget.Status.ADOPTED,
            actor="samkalk demo",
            decision=budget.decision,
            note="Budgeten som direktionen antog",
            via="demo",
        )
    posted = []
    for number in range(1, 13):
        month = dt.date(budget.year, number, 1)
        end = add_months(month, 1)
        if end > today:
            break
        if BillingRun.objects.filter(kind=BillingRun.Kind.MONTH, period=month).exists():
            continue
        billing_run_post(month, actor="samkalk demo", via="demo", issue_date=end)
        posted.append(month)
    return posted
