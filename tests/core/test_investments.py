"""The six-price-base-amount rule for unspecified investments (development pool)."""

from decimal import Decimal

from samkalk.core.investments import board_decision_required, decided_problems

PBB_2026 = Decimal(59200)


def test_two_million_in_the_pool_needs_the_board():
    assert board_decision_required(Decimal(2_000_000), PBB_2026)
    problems = decided_problems(
        year=2026, volume=Decimal(2_000_000), price_base_amount=PBB_2026, decided_by_board=False
    )
    assert [p.code for p in problems] == ["investment.board_decision_required"]
    assert "355200" in problems[0].message


def test_exactly_six_price_base_amounts_the_federation_decides_itself():
    volume = 6 * PBB_2026
    assert not board_decision_required(volume, PBB_2026)
    assert (
        decided_problems(
            year=2026, volume=volume, price_base_amount=PBB_2026, decided_by_board=False
        )
        == []
    )


def test_a_board_decision_allows_any_volume():
    assert (
        decided_problems(
            year=2026, volume=Decimal(10**9), price_base_amount=PBB_2026, decided_by_board=True
        )
        == []
    )


def test_a_missing_price_base_amount_is_a_problem_not_a_guess():
    problems = decided_problems(
        year=2031, volume=Decimal(1), price_base_amount=None, decided_by_board=True
    )
    assert [p.code for p in problems] == ["investment.no_price_base_amount"]
