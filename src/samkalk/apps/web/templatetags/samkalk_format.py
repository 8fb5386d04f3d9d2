"""Template filters for amounts and figures, so templates never format numbers by hand."""

from __future__ import annotations

from decimal import Decimal

from django import template

from samkalk.core.money import from_ore
from samkalk.reports import formatting
from samkalk.reports.invoice_pdf import source_label

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
    """An amount stored in öre (an invoice's) as kronor with öre: ``123450`` → ``1 234,50``."""
    return formatting.kronor_ore(from_ore(amount))


@register.filter
def line_source(source: str) -> str:
    """What an invoice line rests on, in words: ``"usage"`` → ``"usage"`` / ``"avrop"``."""
    return source_label(str(source))


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str | None:
    """``mapping[key]`` in a template, or None (then ``|default`` applies)."""
    return mapping.get(key)
