"""Template filters for amounts and figures, so templates never format numbers by hand."""

from __future__ import annotations

from decimal import Decimal

from django import template

from samkalk.core.money import from_ore
from samkalk.reports import formatting

register = template.Library()


@register.filter
def tkr(amount: Decimal) -> str:
    return formatting.tkr(amount)


@register.filter
def kronor(amount: Decimal) -> str:
    return formatting.kronor(amount)


@register.filter
def kronor_ore(amount: Decimal) -> str:
    return formatting.kronor_ore(amount)


@register.filter
def number(value: Decimal) -> str:
    return formatting.number(value)


@register.filter
def percent(value: Decimal | int) -> str:
    return formatting.percent(value)


@register.filter
def ore(amount: int) -> str:
    """An amount stored in öre (an invoice's), printed as kronor with öre: ``123450`` → ``1 234,50``."""
    return formatting.kronor_ore(from_ore(amount))
