"""An allocation key as people read it: its snapshot rule in words, its values and shares per date.

Read-only. Shares are computed against the total of every member at a date, but the caller says
which members' own rows may be shown, so a member reader sees their own value and share and the
total, never another member's value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.utils.dates import MONTHS
from django.utils.translation import gettext, ngettext

from samkalk.apps.federation.models import AllocationKey, KeySnapshot, Member
from samkalk.core.allocation import KeyValue, SnapshotRule, values_for_year
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, percent


@dataclass(frozen=True, slots=True)
class KeyValueRow:
    """Nyckelvärde as shown: a member's value at a date and its share of the total, in percent."""

    member_id: int
    member_name: str
    value: Decimal
    share: Decimal
    illustrative: bool


@dataclass(frozen=True, slots=True)
class KeyDate:
    """All values of a key as of one date that the reader may see, and the total of all members."""

    as_of: dt.date
    rows: tuple[KeyValueRow, ...]
    total: Decimal
    illustrative: bool


def rule_in_words(rule: SnapshotRule) -> str:
    """``SnapshotRule(1, 1, -1)`` → "1 januari året före" (in the active language)."""
    day_month = f"{rule.day} {MONTHS[rule.month]}"
    if rule.year_offset == 0:
        return gettext("%(date)s of the same year") % {"date": day_month}
    if rule.year_offset == -1:
        return gettext("%(date)s of the year before") % {"date": day_month}
    years = abs(rule.year_offset)
    if rule.year_offset < 0:
        text = ngettext(
            "%(date)s, %(years)d year before", "%(date)s, %(years)d years before", years
        )
    else:
        text = ngettext("%(date)s, %(years)d year after", "%(date)s, %(years)d years after", years)
    return text % {"date": day_month, "years": years}


def key_dates(key: AllocationKey, visible_member_ids: Collection[int]) -> tuple[KeyDate, ...]:
    """The key's snapshots per date, newest first, with only the visible members' rows."""
    by_date: dict[dt.date, list[KeySnapshot]] = {}
    for snapshot in key.snapshots.select_related("member").order_by("-as_of", "member__name"):
        by_date.setdefault(snapshot.as_of, []).append(snapshot)
    dates = []
    for as_of, snapshots in by_date.items():
        total = sum((s.value for s in snapshots), ZERO)
        rows = tuple(
            KeyValueRow(
                s.member_id, s.member.name, s.value, percent(s.value, total), s.illustrative
            )
            for s in snapshots
            if s.member_id in visible_member_ids
        )
        dates.append(KeyDate(as_of, rows, total, any(s.illustrative for s in snapshots)))
    return tuple(dates)


def key_values_for_year(
    year: int, keys: Collection[int] | None = None
) -> dict[int, tuple[dict[str, Decimal], list[CoreError]]]:
    """Per key id: each member's value its snapshot rule picks for ``year`` (member code →
    value), and the problems found, named by the key's code. ``keys`` None: every key."""
    members = dict(Member.objects.values_list("pk", "code"))
    found = AllocationKey.objects.prefetch_related("snapshots")
    if keys is not None:
        found = found.filter(pk__in=set(keys))
    result = {}
    for key in found:
        values = [KeyValue(members[s.member_id], s.as_of, s.value) for s in key.snapshots.all()]
        chosen, problems = values_for_year(values, key.snapshot_rule, year)
        result[key.pk] = (chosen, [CoreError(p.code, f"{key.code}: {p.message}") for p in problems])
    return result
