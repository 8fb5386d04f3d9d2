"""The staff budget: posts and parameters → the staff cost pool, as the budget prints it."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.money import ZERO, from_ore, round_ore
from samkalk.core.staff import Post, StaffParameters, index_posts, staff_budget

KR = Decimal

# 37 posts, 21 921 000 kr a year before the absence deduction.
POSTS_2026 = (
    *[Post("IT-tekniker", KR(100), KR(46_000))] * 18,
    *[Post("Systemförvaltare", KR(100), KR(52_000))] * 10,
    *[Post("Projektledare", KR(80), KR(58_000))] * 5,
    Post("Förbundsdirektör", KR(100), KR(95_000)),
    *[Post("Ekonom", KR(100), KR(49_500))] * 2,
    Post("IT-strateg", KR(100), KR(52_750)),
)
PARAMETERS_2026 = StaffParameters(
    holiday_pay_percent=KR("1.38"),
    pension_percent=KR("9.905"),
    insurance_percent=KR("0.204"),
    absence_deduction_percent=KR("3.8"),
    hired_staff=KR("1029000.00"),
)


def _tkr(amount):
    """Thousands of kronor, as the budget document prints them."""
    return round_ore(amount / 1000).to_integral_value()


def test_the_published_staff_budget_2026():
    budget, errors = staff_budget(POSTS_2026, PARAMETERS_2026)
    assert errors == ()
    assert budget.gross_salaries == KR("21921000.00")
    assert budget.absence_deduction == KR("832998.00")  # 3.8 %
    assert budget.salaries == KR("21088002.00")
    assert budget.holiday_pay == KR("291014.43")  # 1.38 % of salaries
    # 31.42 % of salaries + holiday pay: 21 379 016.43 × 0.3142 = 6 717 286.962…
    assert budget.employer_contributions == KR("6717286.96")
    assert budget.pension == KR("2088766.60")  # 9.905 %: 2 088 766.598…
    assert budget.insurance == KR("43019.52")  # 0.204 %: 43 019.524…
    assert budget.salary_costs == KR("30228089.51")
    assert budget.total == KR("31257089.51")
    # The document in thousands of kronor:
    printed = [
        budget.salaries,
        budget.holiday_pay,
        budget.employer_contributions,
        budget.pension,
        budget.insurance,
        budget.salary_costs,
        budget.hired_staff,
        budget.total,
    ]
    assert [_tkr(x) for x in printed] == [21_088, 291, 6_717, 2_089, 43, 30_228, 1_029, 31_257]


def test_a_part_time_post_earns_its_share_of_twelve_months():
    budget, _ = staff_budget((Post("Projektledare", KR(80), KR(58_000)),), StaffParameters())
    assert budget.posts[0].annual_salary == KR("556800.00")
    assert budget.posts[0].title == "Projektledare"


def test_invalid_posts_are_reported_and_left_out():
    posts = (
        Post("IT-tekniker", KR(120), KR(46_000)),
        Post("IT-tekniker", KR(100), KR(-1)),
        Post("Ekonom", KR(100), KR(40_000)),
        Post("Ekonom", KR(50), KR(40_000)),  # the same title twice is fine
    )
    budget, errors = staff_budget(posts, StaffParameters(employer_contribution_percent=ZERO))
    assert [e.code for e in errors] == ["staff.fte_range", "staff.negative_salary"]
    assert "post 1" in errors[0].message
    assert [p.annual_salary for p in budget.posts] == [KR(480_000), KR(240_000)]
    assert budget.total == KR(720_000)


def test_a_percentage_outside_0_100_is_reported_and_counts_as_zero():
    budget, errors = staff_budget(
        (Post("Ekonom", KR(100), KR(40_000)),),
        StaffParameters(pension_percent=KR(150), insurance_percent=KR(-1)),
    )
    assert [e.code for e in errors] == ["staff.percent_range", "staff.percent_range"]
    assert (budget.pension, budget.insurance) == (ZERO, ZERO)


def test_a_year_later_salaries_are_raised_by_the_salary_increase():
    raised = index_posts(
        (Post("Ekonom", KR(100), KR(46_000)), Post("Tekniker", KR(50), KR("33333.33"))),
        KR("3.5"),
    )
    assert raised == (
        Post("Ekonom", KR(100), KR("47610.00")),
        Post("Tekniker", KR(50), KR("34500.00")),  # 34 499.996 55 → to the öre
    )


percent = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 100)
posts = st.lists(
    st.builds(
        Post,
        st.sampled_from(["IT-tekniker", "Ekonom", "Strateg"]),
        percent,
        st.integers(min_value=0, max_value=10**7).map(from_ore),
    ),
    max_size=20,
).map(tuple)


@given(posts, percent, percent, percent, percent, percent)
def test_the_staff_table_adds_up_as_printed(posts, holiday, employer, pension, insurance, absence):
    parameters = StaffParameters(
        holiday_pay_percent=holiday,
        employer_contribution_percent=employer,
        pension_percent=pension,
        insurance_percent=insurance,
        absence_deduction_percent=absence,
        hired_staff=KR("1029000.00"),
        other_costs=KR("12345.67"),
    )
    budget, errors = staff_budget(posts, parameters)
    assert errors == ()
    assert budget.gross_salaries == sum((p.annual_salary for p in budget.posts), ZERO)
    assert budget.salaries == budget.gross_salaries - budget.absence_deduction
    assert budget.salary_costs == (
        budget.salaries
        + budget.holiday_pay
        + budget.employer_contributions
        + budget.pension
        + budget.insurance
    )
    assert budget.total == budget.salary_costs + KR("1041345.67")
    for amount in (budget.holiday_pay, budget.employer_contributions, budget.absence_deduction):
        assert amount == round_ore(amount)
    assert abs(budget.pension - budget.salaries * pension / 100) <= KR("0.005")
