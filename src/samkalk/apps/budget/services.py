"""Budget state changes: saving a version of the computed budget, and adopting it.

A version freezes what the budget computes at that moment (the summary the board sees), so a
proposal and the adopted budget can be compared later even though the inputs go on changing.
Adoption needs a board decision. Each call is one transaction with its audit row.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from samkalk.apps.audit.services import actor_label, audit_record, snapshot
from samkalk.apps.budget.models import Budget, BudgetVersion
from samkalk.apps.federation.models import Decision
from samkalk.cli_output import json_ready
from samkalk.core.errors import CoreError


class BudgetError(ValueError):
    def __init__(self, error: CoreError) -> None:
        super().__init__(error.message)
        self.error = error


def budget_version_create(
    budget: Budget,
    *,
    status: str,
    actor: Any,
    decision: Decision | None = None,
    note: str = "",
    via: str = "web",
) -> BudgetVersion:
    """Freeze the budget's computed figures as its next version with ``status``."""
    from samkalk.reports.budget_report import budget_summary

    if status not in Budget.Status.values:
        raise BudgetError(CoreError("budget.status", f"unknown status {status!r}"))
    if status == Budget.Status.ADOPTED and (
        decision is None or decision.body != Decision.Body.BOARD
    ):
        raise BudgetError(
            CoreError(
                "budget.decision_required",
                "adopting a budget refers to the board decision that adopted it",
            )
        )
    from samkalk.apps.billing.selectors import billing_basis
    from samkalk.reports.pricing import price_budget

    priced = price_budget(budget)
    basis, _ = billing_basis(priced[0])
    figures = json_ready(budget_summary(budget, priced)) | {"billing": basis.as_json()}
    with transaction.atomic():
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        before = snapshot(locked)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = BudgetVersion.objects.create(
            budget=locked,
            number=number,
            status=status,
            decision=decision,
            note=note,
            created_at=timezone.now(),
            created_by=actor_label(actor),
            figures=figures,
        )
        locked.status = status
        if decision is not None:
            locked.decision = decision
        locked.save(update_fields=["status", "decision"])
        audit_record(
            actor=actor,
            via=via,
            action="update",
            instance=locked,
            before=before,
            after=snapshot(locked) | {"version": number},
        )
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=version,
            before=None,
            after=snapshot(version),
        )
    return version
