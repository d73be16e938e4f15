"""Errors as values with a location: file, field path, row, the value found, what was expected."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

REQUEST = "(request)"
"""The ``file`` of a problem with an argument a caller passed (a date, a restatement's reason):
the use cases name their arguments so; each front end says where they came from (the command
line says ``(command line)``) and how its user spells them."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it."""

    file: str
    path: str
    value: object
    expected: str
    row: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.path:
            where += f": {self.path}"
        return f"{where}: found {shown(self.value)}; expected {self.expected}"


def shown(value: object, limit: int = 120) -> str:
    """repr() of a value as found in an input, cut to ``limit`` characters; safe for any value
    (an integer too long to print, a value whose repr fails)."""
    try:
        text = plain(value) if isinstance(value, Decimal | date) else repr(value)
    except ValueError:
        text = f"<{type(value).__name__} too large to print>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def plain(value: Decimal | date) -> str:
    """A number as written (``0.0034``, ``0.00``; never ``0E-8`` or ``Decimal(...)``), a date as
    YYYY-MM-DD."""
    if isinstance(value, date):
        return value.isoformat()
    return f"{value:f}" if value.is_finite() else str(value)


class RemitError(Exception):
    """Raised when an input is wrong. Carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(
        cls, file: str, path: str, value: object, expected: str, row: int | None = None
    ) -> RemitError:
        return cls([Problem(file, path, value, expected, row)])
