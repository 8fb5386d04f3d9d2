"""Loans and the guarantee frame → the financing table per year (a fetch → compute selector).

Loads every loan with its amortisations and every guarantee frame in three queries, maps them
to the core's dataclasses and lets ``core.loans`` compute the years; nothing is rounded here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from samkalk.apps.financing.models import GuaranteeFrame, Loan, LoanAmortisation
from samkalk.core import loans as core
from samkalk.core.errors import CoreError
from samkalk.core.money import from_ore


@dataclass(frozen=True, slots=True)
class Financing:
    years: tuple[core.FinancingYear, ...]
    errors: tuple[CoreError, ...]
    loans: tuple[core.Loan, ...]


def fetch_loans() -> tuple[core.Loan, ...]:
    plans: dict[int, list[core.Amortisation]] = defaultdict(list)
    for row in LoanAmortisation.objects.order_by("due_on"):
        plans[row.loan_id].append(core.Amortisation(row.due_on, from_ore(row.amount_ore)))
    return tuple(
        core.Loan(
            code=loan.code,
            lender=loan.lender,
            purpose=core.LoanPurpose(loan.purpose),
            amount=from_ore(loan.amount_ore),
            borrowed_on=loan.borrowed_on,
            rate_percent=loan.rate_percent,
            amortisations=tuple(plans[loan.pk]),
        )
        for loan in Loan.objects.order_by("borrowed_on", "code")
    )


def fetch_frames() -> tuple[core.GuaranteeFrame, ...]:
    return tuple(
        core.GuaranteeFrame(f.valid_from, from_ore(f.amount_ore))
        for f in GuaranteeFrame.objects.order_by("valid_from")
    )


def financing(first_year: int, years: int) -> Financing:
    """The financing table for ``years`` years from ``first_year``, with every problem found."""
    loans, frames = fetch_loans(), fetch_frames()
    rows: list[core.FinancingYear] = []
    errors: list[CoreError] = []
    for year in range(first_year, first_year + years):
        row, problems = core.projection(loans, frames, year)
        rows.append(row)
        errors.extend(p for p in problems if p not in errors)
    return Financing(tuple(rows), tuple(errors), loans)
