"""Accessible charts drawn on the server as inline SVG: no JavaScript, no chart library.

The chart is a picture of a table that the page also shows, so it is one image to assistive
technology (``role="img"`` named by its ``<title>`` and ``<desc>``, which lists every value) and
the table stays the data alternative. Each bar's label sits above the bar so long object names
never collide with it; the value is printed after the bar. Bars are scaled to the largest value;
a negative or zero value draws no bar but keeps its printed value. A bar may carry a limit (the
guarantee frame against the debt): the scale then reaches the limit and a dashed line marks it.

Three more shapes follow the same rules: a line chart (a book value month by month) with a few
labelled grid lines, stacked horizontal bars (an amount per year split by asset type) with a
legend, and a waterfall (a product's full cost built up from its parts); their colours all have
at least 3:1 contrast against white and segments are parted by a white gap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    limit: Decimal | None = None


def _bar_width(value: Decimal, largest: Decimal) -> Decimal:
    if value <= 0 or largest <= 0:
        return Decimal(0)
    return (value / largest * (WIDTH - VALUE_SPACE - PADDING)).quantize(Decimal("0.1"))


def _limit_marks(bars: Sequence[Bar], largest: Decimal) -> SafeString:
    marks = [
        (x, PADDING + index * ROW_HEIGHT + 16, BAR_HEIGHT + 8)
        for index, bar in enumerate(bars)
        if bar.limit is not None and bar.limit > 0
        for x in [_bar_width(bar.limit, largest)]
    ]
    return format_html_join(
        "\n",
        '<rect x="{}" y="{}" width="3" height="{}" class="chart-limit"></rect>',
        marks,
    )


def _rows(bars: Sequence[Bar]) -> SafeString:
    largest = max(
        (v for bar in bars for v in (bar.value, bar.limit) if v is not None), default=Decimal(0)
    )
    parts = []
    for index, bar in enumerate(bars):
        top = PADDING + index * ROW_HEIGHT
        width = _bar_width(bar.value, largest)
        text_x = max(width, _bar_width(bar.limit, largest) + 3 if bar.limit else 0) + 6
        parts.append(
            (
                top + 14,
                bar.label,
                top + 20,
                width,
                BAR_HEIGHT,
                COLOURS[bar.distinct],
                text_x,
                top + 34,
                bar.value_text,
            )
        )
    drawn = format_html_join(
        "\n",
        '<text x="0" y="{}" class="chart-label">{}</text>'
        '<rect x="0" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        parts,
    )
    return format_html("{}\n{}", drawn, _limit_marks(bars, largest))


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


def _svg(
    chart_id: str, width: int, height: int, title: str, description: str, body: SafeString
) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>\n{}\n</svg>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


# --- line chart ---------------------------------------------------------------------------

LINE_HEIGHT = 280
AXIS_SPACE = 84  # left of the plot: the grid lines' values
AXIS_BOTTOM = 28  # below the plot: the x labels
GRID_LINES = 4


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a line; ``label`` (may be empty) is printed under it on the x axis."""

    label: str
    value: Decimal


def nice_ceiling(largest: Decimal, steps: int = GRID_LINES) -> Decimal:
    """The smallest round number ≥ ``largest`` that ``steps`` equal, round steps reach."""
    if largest <= 0:
        return Decimal(steps)
    raw = largest / steps
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        step = magnitude * factor
        if step >= raw:
            ceiling = step * steps
            return Decimal(int(ceiling)) if ceiling == ceiling.to_integral_value() else ceiling
    return magnitude * 10 * steps  # pragma: no cover - factor 10 always reaches raw


def line_chart(
    points: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    description: str,
    axis_text: Callable[[Decimal], str],
) -> SafeString:
    """An inline line chart over ``points`` from left to right, on a scale from zero."""
    top = PADDING + 6
    plot_width = WIDTH - AXIS_SPACE - PADDING * 2
    plot_height = LINE_HEIGHT - top - AXIS_BOTTOM
    ceiling = nice_ceiling(max((p.value for p in points), default=Decimal(0)))
    step_x = Decimal(plot_width) / max(len(points) - 1, 1)

    def y(value: Decimal) -> Decimal:
        share = max(value, Decimal(0)) / ceiling
        return (top + plot_height - share * plot_height).quantize(Decimal("0.1"))

    def x(index: int) -> Decimal:
        return (AXIS_SPACE + step_x * index).quantize(Decimal("0.1"))

    grid = format_html_join(
        "\n",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"></line>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>',
        (
            (
                AXIS_SPACE,
                AXIS_SPACE + plot_width,
                y(v),
                y(v),
                AXIS_SPACE - 8,
                y(v) + 4,
                axis_text(v),
            )
            for v in (ceiling * i / GRID_LINES for i in range(GRID_LINES + 1))
        ),
    )
    ticks = format_html_join(
        "\n",
        '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>',
        ((x(i), LINE_HEIGHT - 8, p.label) for i, p in enumerate(points) if p.label),
    )
    line = " ".join(f"{x(i)},{y(p.value)}" for i, p in enumerate(points))
    body = format_html(
        '{}\n{}\n<polyline points="{}" class="chart-line"></polyline>', grid, ticks, line
    )
    return _svg(chart_id, WIDTH, LINE_HEIGHT, title, description, body)


# --- stacked bars ---------------------------------------------------------------------------

# Twelve distinct colours, each ≥ 3:1 against white, so a chart of up to twelve series never
# repeats a colour in its legend.
PALETTE = (
    "#1d5a8c",
    "#a34f00",
    "#2c7a3f",
    "#6b3f8f",
    "#a4121b",
    "#4a5560",
    "#00727a",
    "#7a5c00",
    "#b0306e",
    "#3a3f9e",
    "#5b6b00",
    "#8c2d04",
)
LEGEND_ROW = 24


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a stacked bar: which series (e.g. an asset type) and how much."""

    series: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class StackedBar:
    """One stacked bar: its label, its parts in order, and the total as printed."""

    label: str
    segments: tuple[Segment, ...]
    total_text: str


def _legend(series: Sequence[str], colours: dict[str, str]) -> tuple[SafeString, int]:
    """The legend's swatches and names, wrapped in rows; and the height they take."""
    items, x, row = [], 0, 0
    for name in series:
        width = 28 + len(name) * 8
        if x and x + width > WIDTH:
            x, row = 0, row + 1
        items.append((x, PADDING + row * LEGEND_ROW, colours[name], x + 20, name))
        x += width + 16
    drawn = format_html_join(
        "\n",
        '<rect x="{}" y="{}" width="14" height="14" fill="{}" rx="2"></rect>'
        '<text x="{}" y="{}" class="chart-label">{}</text>',
        ((x0, y0, colour, tx, y0 + 12, name) for x0, y0, colour, tx, name in items),
    )
    return drawn, PADDING + (row + 1) * LEGEND_ROW if series else 0


def stacked_bar_chart(
    bars: Sequence[StackedBar], *, chart_id: str, title: str, description: str
) -> SafeString:
    """Inline horizontal stacked bars, one per label, scaled to the largest total."""
    series = list(dict.fromkeys(s.series for bar in bars for s in bar.segments))
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    legend, legend_height = _legend(series, colours)
    totals = [sum((max(s.value, Decimal(0)) for s in bar.segments), Decimal(0)) for bar in bars]
    largest = max(totals, default=Decimal(0))
    parts = []
    for index, bar in enumerate(bars):
        top = legend_height + PADDING + index * ROW_HEIGHT
        x = Decimal(0)
        for segment in bar.segments:
            width = _bar_width(segment.value, largest)
            if width:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                        'class="chart-segment"></rect>',
                        x,
                        top + 20,
                        width,
                        BAR_HEIGHT,
                        colours[segment.series],
                    )
                )
            x += width
        parts.append(
            format_html(
                '<text x="0" y="{}" class="chart-label">{}</text>'
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                top + 14,
                bar.label,
                x + 6,
                top + 34,
                bar.total_text,
            )
        )
    body = format_html("{}\n{}", legend, SafeString("\n".join(parts)))
    height = legend_height + PADDING * 2 + ROW_HEIGHT * len(bars)
    return _svg(chart_id, WIDTH, height, title, description, body)


# --- waterfall ------------------------------------------------------------------------------

WATERFALL_COLOURS = {"up": PALETTE[0], "down": PALETTE[4], "total": PALETTE[3]}


@dataclass(frozen=True, slots=True)
class Step:
    """One row of a waterfall: a part added (or, negative, taken away), or a total from zero."""

    label: str
    value: Decimal
    value_text: str
    total: bool = False


def waterfall_chart(
    steps: Sequence[Step], *, chart_id: str, title: str, description: str
) -> SafeString:
    """Horizontal waterfall: each part starts where the running sum ended; totals start at zero.

    Parts that take away are drawn in a second colour and their printed value carries the minus
    sign, so colour is never the only cue.
    """
    running, spans = Decimal(0), []
    for step in steps:
        if step.total:
            spans.append((Decimal(0), step.value, "total"))
            continue
        start, running = running, running + step.value
        spans.append(
            (min(start, running), max(start, running), "up" if step.value >= 0 else "down")
        )
    largest = max((end for _, end, _ in spans), default=Decimal(0))
    parts = []
    for index, (step, (low, high, kind)) in enumerate(zip(steps, spans, strict=True)):
        top = PADDING + index * ROW_HEIGHT
        x = _bar_width(max(low, Decimal(0)), largest)
        width = _bar_width(high, largest) - x
        parts.append(
            (
                top + 14,
                step.label,
                x,
                top + 20,
                max(width, Decimal(0)),
                BAR_HEIGHT,
                WATERFALL_COLOURS[kind],
                x + max(width, Decimal(0)) + 6,
                top + 34,
                step.value_text,
            )
        )
    body = format_html_join(
        "\n",
        '<text x="0" y="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        parts,
    )
    height = PADDING * 2 + ROW_HEIGHT * len(steps)
    return _svg(chart_id, WIDTH, height, title, description, body)
