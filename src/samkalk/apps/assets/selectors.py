"""Reads for the investment rules: the development pool's volume per year from stored lines."""

from __future__ import annotations

from django.db.models import Sum

from samkalk.apps.assets.models import Investment, InvestmentLine, PriceBaseAmount
from samkalk.core.errors import CoreError
from samkalk.core.investments import decided_problems
from samkalk.core.money import from_ore


def investment_decided_problems(investment: Investment) -> list[CoreError]:
    """Why ``investment`` may not be marked decided as it stands (empty when it may)."""
    if not (investment.development_pool and investment.decided) or investment.pk is None:
        return []
    years = InvestmentLine.objects.filter(investment=investment).values_list("year", flat=True)
    by_board = investment.decision is not None and investment.decision.body == "board"
    problems: list[CoreError] = []
    for year in sorted(set(years)):
        total = InvestmentLine.objects.filter(
            year=year, investment__development_pool=True
        ).aggregate(t=Sum("amount_ore"))["t"]
        pba = PriceBaseAmount.objects.filter(year=year).first()
        problems += decided_problems(
            year=year,
            volume=from_ore(total or 0),
            price_base_amount=pba.amount if pba else None,
            decided_by_board=by_board,
        )
    return problems
