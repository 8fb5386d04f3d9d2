"""A small federation for the web tests: two members (Alfa and Beta) on a 60/40 key, two objects,
three products, the adopted Budget 2026 with plan 2027–2028 (two staff posts, no cost pools), four
assets and one user per role.

Budget lines (kronor), chosen so that every tkr figure on the start page is exact:

    product             object         2026          2027          2028
    skolplattform       Skolplattform  1 200 000     1 250 000     1 300 000
    natanslutning       Nätverk          800 000       820 000       840 000
    grundanslag         –              2 500 000     2 550 000     2 600 000
    total                              4 500 000     4 620 000     4 740 000

Assets (kronor; depreciation straight line, capital cost rule 2023: internal rate 3 %):

    tag      type      holder               acquired     cost     end of life (month after the last)
    A-0001   Datorer   Alfa kommunledning   2023-03-15   12 000   2027-04 (48 months from April)
    A-0002   Telefoner Alfa kommunledning   2024-11-02    9 000   2026-11 (24 from November)
    B-0001   Datorer   Beta skola           2022-06-10   15 000   2026-07 (48 from July)
    L-0001   Datorer   – (in stock)         2025-09-01   11 000   2029-10 (48 from October)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from samkalk.apps.accounts.models import Profile, Role
from samkalk.apps.assets.models import (
    ActivationConvention,
    Asset,
    AssetType,
    CapitalCostRule,
    Investment,
    InvestmentLine,
)
from samkalk.apps.audit.services import audit_record, snapshot
from samkalk.apps.budget.models import Budget, BudgetYear, DirectCost, StaffPost, Volume
from samkalk.apps.catalogue.models import PriceModel, Product, RevenueCategory
from samkalk.apps.federation.models import (
    AllocationKey,
    Decision,
    Federation,
    KeySnapshot,
    Member,
    Organisation,
)
from samkalk.apps.financing.models import GuaranteeFrame, Loan, LoanAmortisation
from samkalk.apps.governance.models import GovernanceObject

OWNER_EMAIL = "agare@example.se"
BUDGET_KRONOR = {
    "skolplattform": (1_200_000, 1_250_000, 1_300_000),
    "natanslutning": (800_000, 820_000, 840_000),
    "grundanslag": (2_500_000, 2_550_000, 2_600_000),
}

User = get_user_model()


def _user(username: str, role: str | None, member: Member | None = None, **extra) -> object:
    user = User.objects.create_user(username=username, email=extra.pop("email", ""), **extra)
    if role is not None:
        Profile.objects.create(user=user, role=role, member=member)
    return user


def _investments_and_loans(budget: Budget, beta: Member) -> None:
    """A common investment, one of Beta's own (hidden from Alfa's readers), one loan, a frame."""
    computers = AssetType.objects.create(code="dator", name="Datorer", depreciation_months=48)
    common = Investment.objects.create(
        code="datorer", name="Datorer och plattor", asset_type=computers
    )
    own = Investment.objects.create(
        code="skarmar",
        name="Skärmar",
        asset_type=computers,
        scope=Investment.Scope.MEMBER,
        member=beta,
    )
    for investment, kronor in ((common, 2_000_000), (own, 123_000)):
        InvestmentLine.objects.create(
            budget=budget, investment=investment, year=2026, amount_ore=kronor * 100
        )
    loan = Loan.objects.create(
        code="lan-1",
        lender="Kommuninvest",
        purpose="investments",
        amount_ore=3_000_000_00,
        borrowed_on=dt.date(2025, 1, 1),
        rate_percent=Decimal("3"),
    )
    LoanAmortisation.objects.create(loan=loan, due_on=dt.date(2026, 6, 30), amount_ore=1_000_000_00)
    GuaranteeFrame.objects.create(valid_from=dt.date(2025, 1, 1), amount_ore=5_000_000_00)


def _staff(budget: Budget) -> None:
    """Two posts and the year's percentages; there is no staff cost pool, so no price changes."""
    for year, increase in ((2026, 0), (2027, 3)):
        BudgetYear.objects.create(
            budget=budget,
            year=year,
            salary_increase_percent=Decimal(increase),
            holiday_pay_percent=Decimal("12"),
            pension_percent=Decimal("6"),
            insurance_percent=Decimal("0.5"),
            absence_deduction_percent=Decimal("2"),
            hired_staff_ore=100_000_00,
            other_staff_costs_ore=50_000_00,
        )
    StaffPost.objects.create(
        budget=budget, code="p1", title="Ekonom", fte_percent=100, amount_ore=45_000_00
    )
    StaffPost.objects.create(
        budget=budget, code="p2", title="IT-tekniker", fte_percent=50, amount_ore=40_000_00
    )


def _assets(alfa_org: Organisation, beta_org: Organisation) -> dict[str, Asset]:
    """Two of Alfa's devices, one of Beta's (hidden from Alfa's readers) and one in stock."""
    computers = AssetType.objects.get(code="dator")
    phones = AssetType.objects.create(
        code="telefon",
        name="Telefoner",
        depreciation_months=24,
        activation_convention=ActivationConvention.ACQUISITION_MONTH,
    )
    CapitalCostRule.objects.create(year=2023, internal_rate_percent=Decimal("3"))
    leased = Asset.Status.LEASED
    rows = {
        "alfa": ("A-0001", computers, "Latitude 5440", "SN-7781", alfa_org, "2023-03-15", 12_000),
        "alfa-phone": ("A-0002", phones, "iPhone 15", "SN-4410", alfa_org, "2024-11-02", 9_000),
        "beta": ("B-0001", computers, "ThinkPad T14", "SN-9902", beta_org, "2022-06-10", 15_000),
        "stock": ("L-0001", computers, "Latitude 5450", "SN-1200", None, "2025-09-01", 11_000),
    }
    return {
        key: Asset.objects.create(
            tag=tag,
            asset_type=asset_type,
            model=model,
            serial_number=serial,
            organisation=org,
            acquired_on=dt.date.fromisoformat(acquired),
            acquisition_cost_ore=kronor * 100,
            status=leased if org else Asset.Status.IN_STOCK,
        )
        for key, (tag, asset_type, model, serial, org, acquired, kronor) in rows.items()
    }


@pytest.fixture
def federation(db) -> SimpleNamespace:
    Federation.objects.create(
        name="IT-förbundet Test", org_number="212000-0308", peppol_id="0007:2120000308"
    )
    alfa = Member.objects.create(code="alfa", name="Alfa", org_number="212000-0100", is_host=True)
    beta = Member.objects.create(code="beta", name="Beta", org_number="212000-0209")
    alfa_org = Organisation.objects.create(
        code="alfa-kl",
        member=alfa,
        name="Alfa kommunledning",
        kind=Organisation.Kind.ADMINISTRATION,
    )
    beta_org = Organisation.objects.create(
        code="beta-skola", member=beta, name="Beta skola", kind=Organisation.Kind.SCHOOL
    )
    users_key = AllocationKey.objects.create(
        code="anvandare", name="Användare", unit=AllocationKey.Unit.COUNT
    )
    for as_of, alfa_value, beta_value in (
        (dt.date(2024, 1, 1), 6000, 4000),
        (dt.date(2025, 1, 1), 6120, 4080),
    ):
        KeySnapshot.objects.create(
            key=users_key, member=alfa, as_of=as_of, value=Decimal(alfa_value)
        )
        KeySnapshot.objects.create(
            key=users_key, member=beta, as_of=as_of, value=Decimal(beta_value)
        )
    platform = GovernanceObject.objects.create(
        code="skolplattform",
        name="Skolplattform",
        category=GovernanceObject.Category.PRIMARY,
        scope="Lärplattform och elevregister.",
        owner_name="Olle Ägare",
        owner_email=OWNER_EMAIL,
    )
    network = GovernanceObject.objects.create(
        code="natverk", name="Nätverk", category=GovernanceObject.Category.INFRASTRUCTURE
    )
    products = {
        "skolplattform": Product.objects.create(
            code="skolplattform",
            name="Skolplattform licens",
            governance_object=platform,
            category=RevenueCategory.ALLOCATED_SYSTEM,
            price_model=PriceModel.ALLOCATED,
            allocation_key=users_key,
            description="Licenser och support.",
        ),
        "natanslutning": Product.objects.create(
            code="natanslutning",
            name="Nätanslutning",
            governance_object=network,
            category=RevenueCategory.USAGE_BASED,
            price_model=PriceModel.PER_UNIT,
            unit="anslutning-månad",
        ),
        "grundanslag": Product.objects.create(
            code="grundanslag",
            name="Grundanslag",
            category=RevenueCategory.BASE_GRANT,
            price_model=PriceModel.ALLOCATED,
            allocation_key=users_key,
        ),
    }
    decision = Decision.objects.create(
        reference="DIR 2025-02-27 § 7",
        case_number="DIR 2025/12",
        decided_on=dt.date(2025, 2, 27),
        paragraph="7",
        body=Decision.Body.BOARD,
        title="Budget 2026 och plan 2027–2028",
        text="Direktionen fastställer budget 2026.",
    )
    budget = Budget.objects.create(year=2026, status=Budget.Status.ADOPTED, decision=decision)
    for code, amounts in BUDGET_KRONOR.items():
        for year, kronor in zip((2026, 2027, 2028), amounts, strict=True):
            DirectCost.objects.create(
                budget=budget, product=products[code], year=year, amount_ore=kronor * 100
            )
    for member, connections in ((alfa, 600), (beta, 400)):
        Volume.objects.create(
            budget=budget,
            product=products["natanslutning"],
            member=member,
            year=2026,
            quantity=connections,
        )
    _staff(budget)
    _investments_and_loans(budget, beta)
    assets = _assets(alfa_org, beta_org)
    audit_record(
        actor="test",
        via="conftest",
        action="create",
        instance=budget,
        before=None,
        after=snapshot(budget),
    )
    users = {
        Role.ADMINISTRATOR: _user("admin", Role.ADMINISTRATOR, is_staff=True),
        Role.ECONOMIST: _user("ekonom", Role.ECONOMIST),
        Role.OBJECT_OWNER: _user("agare", Role.OBJECT_OWNER, email=OWNER_EMAIL),
        Role.MEMBER_READER: _user("alfaläsare", Role.MEMBER_READER, member=alfa),
        Role.BOARD_READER: _user("ledamot", Role.BOARD_READER),
    }
    return SimpleNamespace(
        alfa=alfa,
        beta=beta,
        users_key=users_key,
        platform=platform,
        network=network,
        products=products,
        decision=decision,
        budget=budget,
        users=users,
        assets=assets,
        no_role=_user("utan-roll", None),
    )


FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.fixture
def billed(federation) -> SimpleNamespace:
    """The federation billed for February and March 2026, through the billing services.

    Each member's organisation receives its invoices; both called off network connections
    (Alfa 600 in February, 610 in March; Beta 400 each month); computers and phones are rented
    device by device (Alfa holds two, Beta one, leased since 2025). The year has actual costs
    (and 50 000 kr that Alfa bears alone), so the settlement of 2026 can be computed. The
    federation has a bankgiro, which an e-invoice must name.
    """
    from samkalk.apps.billing.models import ActualCost, Usage
    from samkalk.apps.billing.services import billing_run_post

    organisations = {o.member.code: o for o in Organisation.objects.select_related("member")}
    Federation.objects.update(bankgiro="5050-1055")  # an e-invoice names where to pay
    Organisation.objects.update(receives_member_invoices=True)
    rent = Product.objects.create(
        code="datorhyra",
        name="Datorhyra",
        category=RevenueCategory.USAGE_BASED,
        price_model=PriceModel.AT_COST,
    )
    AssetType.objects.update(rent_product=rent)
    Asset.objects.exclude(organisation=None).update(lease_start=dt.date(2025, 1, 1))
    network = federation.products["natanslutning"]
    for month, alfa, beta in ((FEBRUARY, 600, 400), (MARCH, 610, 400)):
        for code, quantity in (("alfa", alfa), ("beta", beta)):
            Usage.objects.create(
                organisation=organisations[code], product=network, month=month, quantity=quantity
            )
    runs = {
        month: billing_run_post(month, actor="test", via="conftest", issue_date=issued)
        for month, issued in ((FEBRUARY, dt.date(2026, 3, 2)), (MARCH, dt.date(2026, 4, 1)))
    }
    for code, kronor in (("skolplattform", 210_000), ("grundanslag", 330_000)):
        ActualCost.objects.create(
            year=2026, product=federation.products[code], amount_ore=kronor * 100
        )
    ActualCost.objects.create(
        year=2026,
        product=federation.products["grundanslag"],
        member=federation.alfa,
        amount_ore=50_000_00,
    )
    march = runs[MARCH]
    invoices = {i.member.code: i for i in march.invoices.select_related("member")}
    federation.runs = runs
    federation.march = march
    federation.invoices = invoices
    federation.organisations = organisations
    return federation
