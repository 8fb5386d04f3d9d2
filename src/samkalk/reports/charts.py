"""Accessible bar charts drawn on the server as inline SVG: no JavaScript, no chart library.

The chart is a picture of a table that the page also shows, so it is one image to assistive
technology (``role="img"`` named by its ``<title>`` and ``<desc>``, which lists every value) and
the table stays the data alternative. Each bar's label sits above the bar so long object names
never collide with it; the value is printed after the bar. Bars are scaled to the largest value;
a negative or zero value draws no bar but keeps its printed value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 720
ROW_HEIGHT = 46
BAR_HEIGHT = 18
VALUE_SPACE = 110
PADDING = 8
COLOURS = {False: "#1d5a8c", True: "#6b3f8f"}  # both ≥ 7:1 against white


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value, the value as printed, and whether it stands apart."""

    label: str
    value: Decimal
    value_text: str
    distinct: bool = False


def _bar_width(value: Decimal, largest: Decimal) -> Decimal:
    if value <= 0 or largest <= 0:
        return Decimal(0)
    return (value / largest * (WIDTH - VALUE_SPACE - PADDING)).quantize(Decimal("0.1"))


def _rows(bars: Sequence[Bar]) -> SafeString:
    largest = max((bar.value for bar in bars), default=Decimal(0))
    parts = []
    for index, bar in enumerate(bars):
        top = PADDING + index * ROW_HEIGHT
        width = _bar_width(bar.value, largest)
        parts.append(
            (
                top + 14,
                bar.label,
                top + 20,
                width,
                BAR_HEIGHT,
                COLOURS[bar.distinct],
                width + 6,
                top + 34,
                bar.value_text,
            )
        )
    return format_html_join(
        "\n",
        '<text x="0" y="{}" class="chart-label">{}</text>'
        '<rect x="0" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        parts,
    )


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, description: str) -> SafeString:
    """An inline horizontal bar chart; ``chart_id`` makes the title and desc ids unique."""
    height = PADDING * 2 + ROW_HEIGHT * len(bars)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>\n{}\n</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        _rows(bars),
    )
