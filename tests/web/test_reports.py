"""The read-only report pieces on their own: number formats, the grouping, the chart, key rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from samkalk.core.allocation import SnapshotRule
from samkalk.reports import formatting
from samkalk.reports.budget_overview import ObjectInfo, summarise
from samkalk.reports.charts import Bar, bar_chart
from samkalk.reports.keys import rule_in_words

NBSP = "\xa0"


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_amounts_in_swedish_format_rounded_for_display_only():
    assert formatting.tkr(Decimal("1234567.89")) == f"1{NBSP}235"
    assert formatting.tkr(Decimal("499.99")) == "0"
    assert formatting.tkr(Decimal("500.00")) == "1"
    assert formatting.tkr(Decimal("-1500.00")) == "-2"
    assert formatting.kronor(Decimal("800000.00")) == f"800{NBSP}000"
    assert formatting.kronor(Decimal("800000.40")) == f"800{NBSP}000,40"
    assert formatting.number(Decimal("6120.0000")) == f"6{NBSP}120"
    assert formatting.number(Decimal("12.5000")) == "12,5"
    assert formatting.percent(Decimal("60")) == f"60,0{NBSP}%"


def test_english_format_on_request():
    with translation.override("en"):
        assert formatting.tkr(Decimal("4500000.00")) == "4,500"


def test_two_objects_a_base_grant_and_the_totals_add_up_to_the_ore():
    objects = [
        ObjectInfo(1, "Skola", "primary"),
        ObjectInfo(2, "Nät", "infrastructure"),
        ObjectInfo(3, "Ekonomi", "primary"),
    ]
    sums = {(1, 2026): 101, (2, 2026): 202, (3, 2027): 5, (None, 2026): 1_000, (None, 2028): 7}
    categories = [
        ("primary", "primärobjekt"),
        ("support", "stödobjekt"),
        ("infrastructure", "förutsättningsteknik"),
    ]
    overview = summarise(objects, categories, sums, 2026, (2026, 2027, 2028), "Grundanslag")
    assert [g.category for g in overview.groups] == ["primary", "infrastructure"]
    assert overview.groups[0].subtotal == (Decimal("1.01"), Decimal("0.05"), Decimal("0.00"))
    assert overview.base_grant.amounts == (Decimal("10.00"), Decimal("0.00"), Decimal("0.07"))
    assert overview.total == (Decimal("13.03"), Decimal("0.05"), Decimal("0.07"))


def test_the_chart_scales_bars_to_the_largest_value_and_escapes_labels():
    svg = bar_chart(
        [
            Bar("A & B", Decimal(100), "100 tkr"),
            Bar("C", Decimal(50), "50 tkr", True),
            Bar("D", Decimal(-5), "-5 tkr"),
        ],
        chart_id="c",
        title="Titel <1>",
        description="Beskrivning",
    )
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert "A &amp; B" in svg and "Titel &lt;1&gt;" in svg
    assert 'width="602.0"' in svg and 'width="301.0"' in svg and 'width="0"' in svg
    assert "#6b3f8f" in svg


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (SnapshotRule(1, 1, -1), "1 januari året före"),
        (SnapshotRule(1, 1, 0), "1 januari samma år"),
        (SnapshotRule(6, 30, -2), "30 juni, 2 år före"),
        (SnapshotRule(12, 31, 1), "31 december, 1 år efter"),
    ],
)
def test_snapshot_rules_in_words(rule, words):
    assert rule_in_words(rule) == words
