"""A small federation with devices, for the asset and financing reports.

Two members, Alfa (its school holds devices) and Beta (its administration does); two asset
types, computers (48 months from the month after acquisition) and phones (24 months from the
month of acquisition); the capital cost rule of 2026: an internal rate of 2.5 % on book value.
At 2.5 % the monthly interest is the book value at the start of the month / 480.

    tag     type     cost kr   acquired     holder        status                    2026
    D-1     dator     12 000   2026-03-15   Alfa skola    leased      Apr 2026 – Mar 2030
    D-2     dator      9 000   2025-06-10   Beta adm.     leased      Jul 2025 – Jun 2029
    D-3     dator      9 600   2025-01-20   Alfa skola    scrapped 2026-05-10 (Feb 2025 – )
    D-4     dator     14 400   2026-03-02   Alfa skola    leased      Apr 2026 – Mar 2030
    T-1     telefon    6 000   2026-02-01   Beta adm.     leased, direct purchase (left out)
    T-2     telefon    4 800   2026-09-30   –             in stock    Sep 2026 – Aug 2028
    T-3     telefon    3 600   2024-01-15   Alfa skola    returned    Jan 2024 – Dec 2025
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from samkalk.apps.assets.models import (
    ActivationConvention,
    Asset,
    AssetType,
    CapitalCostRule,
    Investment,
    InvestmentLine,
)
from samkalk.apps.budget.models import Budget
from samkalk.apps.federation.models import Decision, Member, Organisation
from samkalk.apps.financing.models import GuaranteeFrame, Loan, LoanAmortisation

S = Asset.Status


def kronor(amount: int) -> int:
    """Whole kronor → öre, as the models store amounts."""
    return amount * 100


@pytest.fixture
def federation(db: Any) -> SimpleNamespace:
    alfa = Member.objects.create(code="alfa", name="Alfa kommun", org_number="212000-0019")
    beta = Member.objects.create(code="beta", name="Beta kommun", org_number="212000-0027")
    school = Organisation.objects.create(
        code="alfa-skola", member=alfa, name="Alfa skola", kind=Organisation.Kind.SCHOOL
    )
    office = Organisation.objects.create(
        code="beta-adm",
        member=beta,
        name="Beta administration",
        kind=Organisation.Kind.ADMINISTRATION,
    )
    computers = AssetType.objects.create(
        code="dator",
        name="Datorer",
        depreciation_months=48,
        activation_convention=ActivationConvention.FOLLOWING_MONTH,
    )
    phones = AssetType.objects.create(
        code="telefon",
        name="Mobiltelefoner",
        depreciation_months=24,
        activation_convention=ActivationConvention.ACQUISITION_MONTH,
        direct_purchase_allowed=True,
    )
    CapitalCostRule.objects.create(
        year=2026,
        rate_source=CapitalCostRule.RateSource.INTERNAL,
        internal_rate_percent=Decimal("2.5"),
    )
    ns = SimpleNamespace(
        alfa=alfa, beta=beta, school=school, office=office, computers=computers, phones=phones
    )
    device(ns.computers, "D-1", 12_000, dt.date(2026, 3, 15), school, S.LEASED)
    device(ns.computers, "D-2", 9_000, dt.date(2025, 6, 10), office, S.LEASED)
    device(
        ns.computers,
        "D-3",
        9_600,
        dt.date(2025, 1, 20),
        school,
        S.SCRAPPED,
        disposed_on=dt.date(2026, 5, 10),
    )
    device(ns.computers, "D-4", 14_400, dt.date(2026, 3, 2), school, S.LEASED)
    device(ns.phones, "T-1", 6_000, dt.date(2026, 2, 1), office, S.LEASED, direct_purchase=True)
    device(ns.phones, "T-2", 4_800, dt.date(2026, 9, 30), None, S.IN_STOCK)
    device(ns.phones, "T-3", 3_600, dt.date(2024, 1, 15), school, S.RETURNED)
    return ns


def device(
    asset_type: AssetType,
    tag: str,
    cost_kronor: int,
    acquired_on: dt.date,
    holder: Organisation | None,
    status: str,
    **extra: Any,
) -> Asset:
    return Asset.objects.create(
        tag=tag,
        asset_type=asset_type,
        acquired_on=acquired_on,
        acquisition_cost_ore=kronor(cost_kronor),
        organisation=holder,
        status=status,
        **extra,
    )


@pytest.fixture
def investment_plans(federation: SimpleNamespace) -> SimpleNamespace:
    """Budget 2026 (adopted) plans computers and phones; the older 2025 and the newer draft
    2027 plan other amounts, which the comparison must not use.

        budget 2026     2026      2027     2028      2029      2030
        datorer       20 000                       15 000    30 000
        telefoner      5 000
    """
    decision = Decision.objects.create(
        reference="DIR 2025-11-20 § 4",
        case_number="2025/12",
        decided_on=dt.date(2025, 11, 20),
        body=Decision.Body.BOARD,
        title="Budget 2026",
    )
    older = Budget.objects.create(year=2025, status=Budget.Status.ADOPTED, decision=decision)
    adopted = Budget.objects.create(year=2026, status=Budget.Status.ADOPTED, decision=decision)
    draft = Budget.objects.create(year=2027, status=Budget.Status.DRAFT)
    computers = Investment.objects.create(
        code="datorer", name="Datorer och plattor", asset_type=federation.computers
    )
    phones = Investment.objects.create(
        code="telefoner", name="Telefoner", asset_type=federation.phones
    )
    for budget, investment, year, amount in [
        (adopted, computers, 2026, 20_000),
        (adopted, computers, 2029, 15_000),
        (adopted, computers, 2030, 30_000),
        (adopted, phones, 2026, 5_000),
        (older, computers, 2026, 99_000),
        (draft, computers, 2029, 77_000),
    ]:
        InvestmentLine.objects.create(
            budget=budget, investment=investment, year=year, amount_ore=kronor(amount)
        )
    return SimpleNamespace(adopted=adopted, older=older, draft=draft)


@pytest.fixture
def loans(db: Any) -> None:
    """Two loans and a frame of 20 Mkr.

    L-1: 10 000 000 kr from 1 January 2025 at 3 %, 500 000 kr amortised on 30 June 2026.
    L-2:  2 000 000 kr borrowed 15 March 2026 at 4 % (accrues from April).
    """
    first = Loan.objects.create(
        code="L-1",
        lender="Kommuninvest",
        purpose=Loan.Purpose.INVESTMENTS,
        amount_ore=kronor(10_000_000),
        borrowed_on=dt.date(2025, 1, 1),
        rate_percent=Decimal("3"),
    )
    LoanAmortisation.objects.create(
        loan=first, due_on=dt.date(2026, 6, 30), amount_ore=kronor(500_000)
    )
    Loan.objects.create(
        code="L-2",
        lender="Kommuninvest",
        purpose=Loan.Purpose.INVESTMENTS,
        amount_ore=kronor(2_000_000),
        borrowed_on=dt.date(2026, 3, 15),
        rate_percent=Decimal("4"),
    )
    GuaranteeFrame.objects.create(valid_from=dt.date(2024, 1, 1), amount_ore=kronor(20_000_000))
