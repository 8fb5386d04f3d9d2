"""Numbers as people read them: grouped thousands in the active language's format.

Display only. Amounts stay exact Decimal kronor everywhere else; here they are rounded to what a
page shows (whole tkr on overview pages), never stored or summed again. Django's number_format
cuts off extra decimals instead of rounding, so every helper quantizes first.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

_THOUSAND = Decimal(1000)


def _grouped(value: Decimal | int, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    return number_format(
        Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP), decimals, force_grouping=True
    )


def tkr(amount: Decimal) -> str:
    """Kronor → whole thousands of kronor, e.g. ``Decimal('1234567.89')`` → ``'1 235'``."""
    return _grouped(amount / _THOUSAND, 0)


def kronor(amount: Decimal) -> str:
    """Kronor, with öre only when there are any: ``'800 000'`` or ``'800 000,40'``."""
    return _grouped(amount, 0 if amount == amount.to_integral_value() else 2)


def kronor_ore(amount: Decimal) -> str:
    """A unit price: kronor always with öre, ``Decimal('800')`` → ``'800,00'``."""
    return _grouped(amount, 2)


def number(value: Decimal) -> str:
    """A key value or rate without trailing zeros: ``6120.0000`` → ``'6 120'``."""
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _grouped(value, decimals)


def percent(value: Decimal | int) -> str:
    """A percentage with one decimal: ``Decimal('60')`` → ``'60,0 %'``."""
    return _grouped(value, 1) + "\xa0%"
