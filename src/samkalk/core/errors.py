"""Errors as data: every problem with its stable code, a message and where it came from.

Importers and computations collect these instead of raising at the first problem, so a user
sees every problem in a file at once (the beancount way).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value came from: file, sheet, row (1-based, as the spreadsheet shows) and column."""

    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class CoreError:
    """One problem: ``code`` is stable (for tests and translations), ``message`` is for people."""

    code: str
    message: str
    source: Source = Source()

    def __str__(self) -> str:
        where = str(self.source)
        return (
            f"{where}: {self.message} [{self.code}]" if where else f"{self.message} [{self.code}]"
        )
