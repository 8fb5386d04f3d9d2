"""Object-level access: the one place that says who may see and change what.

Views and commands never filter by role themselves; they ask here. Rules:
- administrators and economists see and change all data;
- board readers see all data and change nothing (except the staff budget's salaries, which are
  personal data and only for administrators and economists);
- object owners see federation-wide data and change their own governance objects;
- billing (the runs, their previews and exports) is the federation's accounts: administrators and
  economists work it, board readers read it; a run holds every member's invoices, so member
  readers and object owners do not read it (they read invoices member by member, below);
- member readers see federation-wide data (the catalogue, the adopted budget, decisions, common
  investments, loans) and, of member-specific data (members, key values, one member's
  investments, the assets its organisations hold), only their own member's.
A user without a profile (or an inactive one) sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from samkalk.apps.accounts.models import Role
from samkalk.apps.assets.models import Asset, Investment
from samkalk.apps.billing.models import Invoice
from samkalk.apps.federation.models import Member
from samkalk.apps.governance.models import GovernanceObject

FULL_ACCESS = {Role.ADMINISTRATOR, Role.ECONOMIST}
READ_ALL = FULL_ACCESS | {Role.BOARD_READER, Role.OBJECT_OWNER}


def role_of(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    profile = getattr(user, "profile", None)
    if profile is None:
        return Role.ADMINISTRATOR if user.is_superuser else None
    return str(profile.role)


def has_role(user: Any) -> bool:
    return role_of(user) is not None


def can_manage_data(user: Any) -> bool:
    """Import, export and edit all federation data."""
    return role_of(user) in FULL_ACCESS


def visible_members(user: Any) -> QuerySet[Member]:
    role = role_of(user)
    if role in READ_ALL:
        return Member.objects.all()
    if role == Role.MEMBER_READER:
        return Member.objects.filter(pk=user.profile.member_id)
    return Member.objects.none()


def reads_all_members(user: Any) -> bool:
    """Sees every member's figures (so also figures summed over all members)."""
    return role_of(user) in READ_ALL


def can_read_salaries(user: Any) -> bool:
    """Reads the staff budget's posts and salaries: personal data, so only the federation's own
    staff who read every member (administrators and economists), not board readers or owners."""
    return role_of(user) in FULL_ACCESS


def reads_billing(user: Any) -> bool:
    """Reads the billing runs, a month's preview, the year's whole settlement and the ledger file:
    the federation's own staff and the board (who read the accounts, as they read the budget)."""
    return role_of(user) in FULL_ACCESS | {Role.BOARD_READER}


def visible_invoices(user: Any) -> QuerySet[Invoice]:
    """The invoices and credit notes of the members the user may see."""
    return Invoice.objects.filter(member__in=visible_members(user))


def can_view_member(user: Any, member: Member) -> bool:
    return visible_members(user).filter(pk=member.pk).exists()


def visible_investments(user: Any) -> QuerySet[Investment]:
    """Common investments, and of one member's investments only those the user may see."""
    members = visible_members(user)
    if role_of(user) is None:
        return Investment.objects.none()
    return Investment.objects.filter(Q(member__isnull=True) | Q(member__in=members))


def visible_assets(user: Any) -> QuerySet[Asset]:
    """All assets for readers of all data; for a member reader those its organisations hold.

    An asset in stock (no holder) belongs to no member, so a member reader does not see it.
    """
    role = role_of(user)
    if role in READ_ALL:
        return Asset.objects.all()
    if role == Role.MEMBER_READER:
        return Asset.objects.filter(organisation__member_id=user.profile.member_id)
    return Asset.objects.none()


def editable_objects(user: Any) -> QuerySet[GovernanceObject]:
    role = role_of(user)
    if role in FULL_ACCESS:
        return GovernanceObject.objects.all()
    if role == Role.OBJECT_OWNER and user.email:
        return GovernanceObject.objects.filter(owner_email__iexact=user.email)
    return GovernanceObject.objects.none()
