"""Loans (lån) and the guarantee frame (borgensram): debt, borrowing, amortisation and interest.

The federation finances its investments with loans that its member municipalities guarantee
within a guarantee frame decided by their councils. The financing table of the budget shows, per
year, the debt on 1 January, new borrowing (for investments and for planned use of equity),
amortisation, the debt on 31 December, the frame and what is left of it. This module computes
that table from the loans and their amortisation plans; it never reads a clock.

Debt on a day means the debt at the end of that day: loans borrowed on or before the day, less
amortisations dated on or before it. The debt "at the start of 1 January" is therefore the debt
at the end of 31 December of the year before. The closing debt is computed twice, as opening +
borrowing − amortisation and directly from the loans, and the two must agree.

Interest rule (kept simple and exact, no day counts): for each loan and each month of the year,
the interest is the balance on the 1st of the month × the yearly rate / 12, rounded to whole öre
with ``round_ore``. The balance on the 1st is the debt at the end of the 1st, so

* a loan borrowed on the 1st accrues from that month; borrowed later in a month, from the next;
* an amortisation dated on the 1st counts in that month; later in a month, from the next.

The year's interest is the sum of the twelve rounded amounts over all loans.

Invalid loans (see ``validate_loan``) are left out of a projection and reported as errors, so
that the figures always add up and the user sees every problem at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, round_ore

_MONTHS = Decimal(12)
_HUNDRED = Decimal(100)


class LoanPurpose(StrEnum):
    """Lånets syfte: what the borrowing finances; the financing table shows it on two lines."""

    INVESTMENTS = "investments"  # upplåning för investeringar
    EQUITY_USE = "equity_use"  # upplåning för planerat nyttjande av eget kapital
    OTHER = "other"  # övrig upplåning, shown with the investments line


@dataclass(frozen=True, slots=True)
class Amortisation:
    """Amortering: a repayment of ``amount`` kronor (positive) on a date."""

    on: dt.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Loan:
    """Lån: ``amount`` kronor borrowed from ``lender`` on a date, with its amortisation plan.

    ``rate_percent`` is the yearly interest rate in percent (``Decimal("3.25")`` is 3.25 %).
    """

    code: str
    lender: str
    purpose: LoanPurpose
    amount: Decimal
    borrowed_on: dt.date
    rate_percent: Decimal
    amortisations: tuple[Amortisation, ...] = ()


@dataclass(frozen=True, slots=True)
class GuaranteeFrame:
    """Borgensram: the members' guarantee for the federation's debt, valid from a date on."""

    valid_from: dt.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class FinancingYear:
    """Finansieringsår: one year of the financing table, all amounts in kronor.

    ``amortisation`` is a positive number; ``closing_debt`` = ``opening_debt`` +
    ``new_borrowing`` + ``new_borrowing_equity`` − ``amortisation``.
    """

    year: int
    opening_debt: Decimal
    new_borrowing: Decimal
    new_borrowing_equity: Decimal
    amortisation: Decimal
    closing_debt: Decimal
    guarantee_frame: Decimal
    frame_left: Decimal
    interest: Decimal
    warnings: tuple[CoreError, ...] = ()


def validate_loan(loan: Loan) -> list[CoreError]:
    """Every problem with one loan: negative figures, early or too large amortisations."""
    errors: list[CoreError] = []
    if loan.amount < 0:
        errors.append(CoreError("loan.negative", f"loan {loan.code}: amount {loan.amount} < 0"))
    if loan.rate_percent < 0:
        errors.append(
            CoreError("loan.negative", f"loan {loan.code}: rate {loan.rate_percent} % < 0")
        )
    for a in loan.amortisations:
        if a.amount < 0:
            errors.append(
                CoreError(
                    "loan.negative",
                    f"loan {loan.code}: amortisation on {a.on.isoformat()} is {a.amount} < 0",
                )
            )
        if a.on < loan.borrowed_on:
            errors.append(
                CoreError(
                    "loan.amortised_before_borrowed",
                    f"loan {loan.code}: amortisation on {a.on.isoformat()} is before the loan "
                    f"was borrowed on {loan.borrowed_on.isoformat()}",
                )
            )
    repaid = sum((a.amount for a in loan.amortisations), ZERO)
    if repaid > loan.amount:
        errors.append(
            CoreError(
                "loan.over_amortised",
                f"loan {loan.code}: amortisations {repaid} exceed the amount {loan.amount}",
            )
        )
    return errors


def outstanding(loan: Loan, day: dt.date) -> Decimal:
    """The loan's debt at the end of ``day``: zero before it is borrowed."""
    if loan.borrowed_on > day:
        return ZERO
    return loan.amount - sum((a.amount for a in loan.amortisations if a.on <= day), ZERO)


def debt(loans: Iterable[Loan], day: dt.date) -> Decimal:
    """Låneskuld: the total debt at the end of ``day``."""
    return sum((outstanding(loan, day) for loan in loans), ZERO)


def monthly_interest(loan: Loan, year: int) -> tuple[Decimal, ...]:
    """The loan's interest for each of the twelve months of ``year``, each rounded to öre."""
    monthly_rate = loan.rate_percent / _HUNDRED / _MONTHS
    return tuple(
        round_ore(outstanding(loan, dt.date(year, month, 1)) * monthly_rate)
        for month in range(1, 13)
    )


def interest(loans: Iterable[Loan], year: int) -> Decimal:
    """Räntekostnad: the year's interest on all loans, by the monthly rule in the docstring."""
    return sum((sum(monthly_interest(loan, year), ZERO) for loan in loans), ZERO)


def frame_on(frames: Iterable[GuaranteeFrame], day: dt.date) -> GuaranteeFrame | None:
    """The frame valid on ``day``: the latest ``valid_from`` on or before it.

    If two frames share that date, the later one in ``frames`` wins (a later decision replaces
    an earlier one).
    """
    chosen: GuaranteeFrame | None = None
    for frame in frames:
        if frame.valid_from <= day and (chosen is None or frame.valid_from >= chosen.valid_from):
            chosen = frame
    return chosen


def _borrowed_in(loans: Iterable[Loan], year: int, purposes: set[LoanPurpose]) -> Decimal:
    return sum(
        (
            loan.amount
            for loan in loans
            if loan.borrowed_on.year == year and loan.purpose in purposes
        ),
        ZERO,
    )


def _amortised_in(loans: Iterable[Loan], year: int) -> Decimal:
    return sum((a.amount for loan in loans for a in loan.amortisations if a.on.year == year), ZERO)


def _valid_loans(loans: Sequence[Loan]) -> tuple[list[Loan], list[CoreError]]:
    valid: list[Loan] = []
    errors: list[CoreError] = []
    for loan in loans:
        problems = validate_loan(loan)
        if problems:
            errors.extend(problems)
            errors.append(
                CoreError("loan.left_out", f"loan {loan.code} is left out of the projection")
            )
        else:
            valid.append(loan)
    return valid, errors


def projection(
    loans: Sequence[Loan], frames: Sequence[GuaranteeFrame], year: int
) -> tuple[FinancingYear, list[CoreError]]:
    """The financing table for ``year``, and every problem found on the way."""
    valid, errors = _valid_loans(loans)
    new_year, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    opening = debt(valid, new_year - dt.timedelta(days=1))
    borrowing = _borrowed_in(valid, year, {LoanPurpose.INVESTMENTS, LoanPurpose.OTHER})
    borrowing_equity = _borrowed_in(valid, year, {LoanPurpose.EQUITY_USE})
    amortisation = _amortised_in(valid, year)
    closing = opening + borrowing + borrowing_equity - amortisation
    assert closing == debt(valid, last_day), "closing debt must equal the debt on 31 December"
    frame = frame_on(frames, last_day)
    warnings: list[CoreError] = []
    if frame is None:
        errors.append(
            CoreError("financing.no_frame", f"{year}: no guarantee frame valid on {last_day}")
        )
    elif closing > frame.amount:
        warnings.append(
            CoreError(
                "financing.frame_exceeded",
                f"{year}: the closing debt {closing} kr exceeds the guarantee frame "
                f"{frame.amount} kr",
            )
        )
    frame_amount = frame.amount if frame is not None else ZERO
    result = FinancingYear(
        year=year,
        opening_debt=opening,
        new_borrowing=borrowing,
        new_borrowing_equity=borrowing_equity,
        amortisation=amortisation,
        closing_debt=closing,
        guarantee_frame=frame_amount,
        frame_left=frame_amount - closing,
        interest=interest(valid, year),
        warnings=tuple(warnings),
    )
    return result, errors


def projections(
    loans: Sequence[Loan], frames: Sequence[GuaranteeFrame], first_year: int, years: int
) -> tuple[FinancingYear, ...]:
    """``years`` consecutive financing years from ``first_year`` (a budget and its plan years).

    Errors are not returned here; call ``projection`` (or ``validate_loan``) to get them.
    """
    return tuple(projection(loans, frames, first_year + i)[0] for i in range(years))
