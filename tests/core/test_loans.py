"""Loans and the guarantee frame: the financing table of a budget and its plan years."""

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.loans import (
    Amortisation,
    GuaranteeFrame,
    Loan,
    LoanPurpose,
    debt,
    frame_on,
    interest,
    monthly_interest,
    projection,
    projections,
    validate_loan,
)
from samkalk.core.money import ZERO, from_ore

KOMMUNINVEST = "Kommuninvest"
INVESTMENTS = LoanPurpose.INVESTMENTS
EQUITY_USE = LoanPurpose.EQUITY_USE
OTHER_PURPOSE = LoanPurpose.OTHER


def kr(amount: str) -> Decimal:
    """Kronor as the budget document prints them: "58 662 000"."""
    return Decimal(amount.replace(" ", ""))


def loan(code, purpose, amount, borrowed_on, rate="3.0", amortisations=()):
    return Loan(
        code=code,
        lender=KOMMUNINVEST,
        purpose=purpose,
        amount=kr(amount),
        borrowed_on=borrowed_on,
        rate_percent=Decimal(rate),
        amortisations=tuple(Amortisation(on, kr(a)) for on, a in amortisations),
    )


# --- Worked example: the published financing table of a real federation, budget 2025–2026 ------
#
# Debt on 31 December 2024: 58 662 000 kr, in two loans borrowed before 2025 with their plans.
# 2025: borrowing for investments 20 642 000, for use of equity 4 000 000, amortisation 25 827 000.
# 2026: borrowing for investments 32 865 000, for use of equity 3 000 000, amortisation 25 708 000.
# The guarantee frame is 80 000 000 kr from 1 January 2025.

LOANS_OF_THE_FEDERATION = (
    loan(
        "KI-2023",
        INVESTMENTS,
        "36 000 000",
        dt.date(2023, 3, 31),
        "3.85",
        [
            (dt.date(2023, 12, 29), "12 000 000"),
            (dt.date(2024, 12, 30), "12 000 000"),
            (dt.date(2025, 6, 30), "6 000 000"),
            (dt.date(2025, 12, 30), "6 000 000"),
        ],
    ),
    loan(
        "KI-2024",
        INVESTMENTS,
        "60 000 000",
        dt.date(2024, 3, 28),
        "3.40",
        [
            (dt.date(2024, 12, 30), "13 338 000"),
            (dt.date(2025, 12, 30), "13 827 000"),
            (dt.date(2026, 12, 30), "15 000 000"),
            (dt.date(2027, 12, 30), "17 835 000"),
        ],
    ),
    loan(
        "KI-2025-INV",
        INVESTMENTS,
        "20 642 000",
        dt.date(2025, 4, 30),
        "2.65",
        [(dt.date(2026, 12, 30), "6 708 000"), (dt.date(2027, 12, 30), "6 708 000")],
    ),
    loan(
        "KI-2025-EK",
        EQUITY_USE,
        "4 000 000",
        dt.date(2025, 9, 30),
        "2.65",
        [(dt.date(2026, 12, 30), "4 000 000")],
    ),
    loan("KI-2026-INV", INVESTMENTS, "32 865 000", dt.date(2026, 6, 30), "2.50"),
    loan("KI-2026-EK", EQUITY_USE, "3 000 000", dt.date(2026, 6, 30), "2.50"),
)
FRAME_80_MILLION = (GuaranteeFrame(dt.date(2025, 1, 1), kr("80 000 000")),)


def test_the_loans_of_the_federation_are_valid():
    assert [e for loan_ in LOANS_OF_THE_FEDERATION for e in validate_loan(loan_)] == []


def test_budget_2025_borrows_for_investments_and_equity_and_amortises():
    year, errors = projection(LOANS_OF_THE_FEDERATION, FRAME_80_MILLION, 2025)
    assert errors == []
    assert year.opening_debt == kr("58 662 000")
    assert year.new_borrowing == kr("20 642 000")
    assert year.new_borrowing_equity == kr("4 000 000")
    assert year.amortisation == kr("25 827 000")
    assert year.closing_debt == kr("57 477 000")
    assert year.frame_left == kr("22 523 000")
    assert year.warnings == ()


def test_plan_2026_ends_with_67_634_000_in_debt_and_12_366_000_left_of_the_frame():
    year, errors = projection(LOANS_OF_THE_FEDERATION, FRAME_80_MILLION, 2026)
    assert errors == []
    assert year.opening_debt == kr("57 477 000")
    assert year.new_borrowing == kr("32 865 000")
    assert year.new_borrowing_equity == kr("3 000 000")
    assert year.amortisation == kr("25 708 000")
    assert year.closing_debt == kr("67 634 000")
    assert year.guarantee_frame == kr("80 000 000")
    assert year.frame_left == kr("12 366 000")
    assert year.warnings == ()


def test_the_budget_and_plan_years_chain_and_cost_interest():
    y2025, y2026 = projections(LOANS_OF_THE_FEDERATION, FRAME_80_MILLION, 2025, 2)
    assert (y2025.year, y2026.year) == (2025, 2026)
    assert y2026.opening_debt == y2025.closing_debt
    assert y2025.interest > 0
    assert y2026.interest > 0


# --- The guarantee frame -----------------------------------------------------------------------


def test_borrowing_beyond_the_frame_warns_with_year_debt_and_frame():
    frames = (GuaranteeFrame(dt.date(2025, 1, 1), kr("60 000 000")),)
    year, errors = projection(LOANS_OF_THE_FEDERATION, frames, 2026)
    assert errors == []
    assert year.frame_left == kr("-7 634 000")
    assert [w.code for w in year.warnings] == ["financing.frame_exceeded"]
    message = year.warnings[0].message
    assert "2026" in message
    assert "67634000" in message
    assert "60000000" in message


def test_a_debt_exactly_at_the_frame_is_not_a_warning():
    frames = (GuaranteeFrame(dt.date(2025, 1, 1), kr("67 634 000")),)
    year, _ = projection(LOANS_OF_THE_FEDERATION, frames, 2026)
    assert year.frame_left == ZERO
    assert year.warnings == ()


def test_the_frame_is_the_one_valid_on_31_december():
    frames = (
        GuaranteeFrame(dt.date(2020, 1, 1), kr("50 000 000")),
        GuaranteeFrame(dt.date(2026, 7, 1), kr("90 000 000")),  # raised mid-year by the councils
        GuaranteeFrame(dt.date(2025, 1, 1), kr("80 000 000")),
        GuaranteeFrame(dt.date(2027, 1, 1), kr("100 000 000")),  # not yet valid in 2026
    )
    assert frame_on(frames, dt.date(2025, 12, 31)) == frames[2]
    year, _ = projection(LOANS_OF_THE_FEDERATION, frames, 2026)
    assert year.guarantee_frame == kr("90 000 000")
    assert year.frame_left == kr("22 366 000")


def test_no_frame_is_an_error_value_and_counts_as_zero():
    frames = (GuaranteeFrame(dt.date(2027, 1, 1), kr("80 000 000")),)
    year, errors = projection(LOANS_OF_THE_FEDERATION, frames, 2026)
    assert [e.code for e in errors] == ["financing.no_frame"]
    assert year.guarantee_frame == ZERO
    assert year.frame_left == -kr("67 634 000")
    assert year.warnings == ()  # the missing frame is already reported as an error


# --- Interest: monthly, on the balance on the 1st, rounded per loan and month ------------------


def test_a_loan_borrowed_on_1_january_and_half_repaid_on_1_july():
    one_loan = loan(
        "A", INVESTMENTS, "1 200 000", dt.date(2025, 1, 1), "3", [(dt.date(2025, 7, 1), "600 000")]
    )
    months = monthly_interest(one_loan, 2025)
    assert months == (Decimal("3000.00"),) * 6 + (Decimal("1500.00"),) * 6
    assert interest([one_loan], 2025) == kr("27 000")


def test_borrowing_mid_month_accrues_from_the_next_month_and_so_does_amortisation():
    one_loan = loan(
        "B",
        INVESTMENTS,
        "1 200 000",
        dt.date(2025, 3, 15),
        "3",
        [(dt.date(2025, 9, 15), "1 200 000")],
    )
    months = monthly_interest(one_loan, 2025)
    # Interest for April to September (six months), nothing before or after.
    assert months == (ZERO,) * 3 + (Decimal("3000.00"),) * 6 + (ZERO,) * 3
    assert interest([one_loan], 2025) == kr("18 000")


def test_interest_is_rounded_to_the_ore_each_month():
    # 100 000 kr at 1 %: 83.333… kr a month, 83.33 after rounding, 999.96 for the year.
    one_loan = loan("C", INVESTMENTS, "100 000", dt.date(2024, 12, 1), "1")
    assert set(monthly_interest(one_loan, 2025)) == {Decimal("83.33")}
    assert interest([one_loan], 2025) == Decimal("999.96")


def test_an_interest_free_loan_costs_nothing():
    one_loan = loan("D", OTHER_PURPOSE, "500 000", dt.date(2025, 1, 1), "0")
    assert interest([one_loan], 2025) == ZERO


def test_other_borrowing_is_shown_with_the_investments():
    loans = (loan("E", OTHER_PURPOSE, "250 000", dt.date(2025, 5, 5)),)
    year, _ = projection(loans, FRAME_80_MILLION, 2025)
    assert year.new_borrowing == kr("250 000")
    assert year.new_borrowing_equity == ZERO


# --- Validation as data ------------------------------------------------------------------------


def test_amortising_more_than_the_loan_is_an_error():
    bad = loan(
        "X",
        INVESTMENTS,
        "1 000 000",
        dt.date(2025, 1, 15),
        "3",
        [(dt.date(2025, 6, 30), "600 000"), (dt.date(2025, 12, 30), "600 000")],
    )
    assert [e.code for e in validate_loan(bad)] == ["loan.over_amortised"]


def test_amortising_before_the_loan_is_borrowed_is_an_error():
    bad = loan(
        "Y", INVESTMENTS, "1 000 000", dt.date(2025, 1, 15), "3", [(dt.date(2024, 12, 30), "1")]
    )
    assert [e.code for e in validate_loan(bad)] == ["loan.amortised_before_borrowed"]


def test_negative_amount_rate_or_amortisation_are_errors():
    bad = loan("Z", INVESTMENTS, "-1", dt.date(2025, 1, 15), "-0.5", [(dt.date(2025, 2, 1), "-1")])
    assert [e.code for e in validate_loan(bad)] == ["loan.negative"] * 3


def test_an_invalid_loan_is_left_out_of_the_projection_and_reported():
    bad = loan(
        "Y", INVESTMENTS, "1 000 000", dt.date(2025, 1, 15), "3", [(dt.date(2024, 12, 30), "1")]
    )
    year, errors = projection((*LOANS_OF_THE_FEDERATION, bad), FRAME_80_MILLION, 2025)
    assert [e.code for e in errors] == ["loan.amortised_before_borrowed", "loan.left_out"]
    assert year.new_borrowing == kr("20 642 000")


# --- Properties for random loan books ----------------------------------------------------------

DAYS = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2032, 12, 31))
YEARS = st.integers(min_value=2017, max_value=2033)


RATES = st.decimals(min_value=0, max_value=10, places=2)


@st.composite
def loans_(draw, rates=RATES):
    """A valid loan: amortisations after borrowing that never repay more than was borrowed."""
    amount_ore = draw(st.integers(min_value=0, max_value=10**10))
    borrowed_on = draw(DAYS)
    amortisations = []
    left = amount_ore
    for on in sorted(draw(st.lists(DAYS.filter(lambda d: d >= borrowed_on), max_size=6))):
        if left == 0:
            break
        part = draw(st.integers(min_value=1, max_value=left))
        amortisations.append(Amortisation(on, from_ore(part)))
        left -= part
    return Loan(
        code=draw(st.text(min_size=1, max_size=6)),
        lender=KOMMUNINVEST,
        purpose=draw(st.sampled_from(LoanPurpose)),
        amount=from_ore(amount_ore),
        borrowed_on=borrowed_on,
        rate_percent=draw(rates),
        amortisations=tuple(amortisations),
    )


LOAN_BOOKS = st.lists(loans_(), max_size=8)
FRAMES = st.lists(
    st.builds(GuaranteeFrame, DAYS, st.integers(min_value=0, max_value=10**12).map(from_ore)),
    max_size=3,
)


@given(LOAN_BOOKS)
def test_generated_loans_are_valid(loans):
    assert [e for loan_ in loans for e in validate_loan(loan_)] == []


@given(LOAN_BOOKS, FRAMES, YEARS)
def test_closing_debt_is_opening_plus_borrowing_less_amortisation(loans, frames, year):
    result, _ = projection(loans, frames, year)
    assert result.closing_debt == (
        result.opening_debt
        + result.new_borrowing
        + result.new_borrowing_equity
        - result.amortisation
    )
    # …and equals the debt on 31 December counted loan by loan.
    counted = sum(
        (
            loan_.amount - sum((a.amount for a in loan_.amortisations if a.on.year <= year), ZERO)
            for loan_ in loans
            if loan_.borrowed_on.year <= year
        ),
        ZERO,
    )
    assert result.closing_debt == counted == debt(loans, dt.date(year, 12, 31))
    assert result.frame_left == result.guarantee_frame - result.closing_debt
    assert result.closing_debt >= 0


@given(LOAN_BOOKS, FRAMES, YEARS, st.integers(min_value=1, max_value=6))
def test_each_year_opens_with_the_debt_the_year_before_closed_with(loans, frames, first, years):
    table = projections(loans, frames, first, years)
    assert [y.year for y in table] == list(range(first, first + years))
    for before, after in itertools.pairwise(table):
        assert after.opening_debt == before.closing_debt


@given(st.lists(loans_(rates=st.just(Decimal(0))), max_size=8), YEARS)
def test_interest_is_zero_at_rate_zero(loans, year):
    assert interest(loans, year) == ZERO


@given(LOAN_BOOKS, YEARS)
def test_interest_is_never_negative(loans, year):
    assert interest(loans, year) >= 0
    for loan_ in loans:
        assert all(month >= 0 for month in monthly_interest(loan_, year))
