"""Allocation keys (fördelningsnycklar): which snapshot a year uses, and the shares it gives.

A key holds values per member as of dates (users, inhabitants, devices, fixed percentages). A
year uses the snapshot that its rule names, e.g. "1 January of the year before": the newest
snapshot on or before that date. Splitting an amount by a key goes through ``money.apportion``
so the members' parts add up to the whole to the öre.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, apportion

PERCENT_TOTAL = Decimal(100)


@dataclass(frozen=True, slots=True)
class SnapshotRule:
    """Regel för nyckelns mätdatum: the month and day of the snapshot, and the year offset.

    ``SnapshotRule(1, 1, -1)`` is "1 January of the year before".
    """

    month: int = 1
    day: int = 1
    year_offset: int = -1

    def date_for(self, year: int) -> dt.date:
        """The snapshot date this rule gives for ``year``."""
        return dt.date(year + self.year_offset, self.month, self.day)


@dataclass(frozen=True, slots=True)
class KeyValue:
    """Nyckelvärde: one member's value of a key as of a date."""

    member: str
    as_of: dt.date
    value: Decimal


def values_for_year(
    values: Sequence[KeyValue], rule: SnapshotRule, year: int
) -> tuple[dict[str, Decimal], list[CoreError]]:
    """Each member's value from the newest snapshot on or before the rule's date for ``year``."""
    cutoff = rule.date_for(year)
    chosen: dict[str, KeyValue] = {}
    for kv in values:
        if kv.as_of <= cutoff and (kv.member not in chosen or kv.as_of > chosen[kv.member].as_of):
            chosen[kv.member] = kv
    errors: list[CoreError] = []
    if not chosen:
        errors.append(
            CoreError("key.no_snapshot", f"no key values on or before {cutoff.isoformat()}")
        )
    return {member: kv.value for member, kv in sorted(chosen.items())}, errors


def shares(values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each member's share of the key's total as an exact fraction (not rounded)."""
    total = sum(values.values(), ZERO)
    if total == 0:
        return {member: ZERO for member in values}
    return {member: value / total for member, value in values.items()}


def split_by_key(amount: Decimal, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Split ``amount`` between members in proportion to their key values, to the öre."""
    members = sorted(values)
    parts = apportion(amount, [values[m] for m in members])
    return dict(zip(members, parts, strict=True))


def percent_total_error(total: Decimal) -> str | None:
    """A message when fixed percentages do not add up to 100 %, else None."""
    if total != PERCENT_TOTAL:
        return f"the percentages add up to {total} %, not 100 %"
    return None
