"""Errors as values with a location: file, field path, row, the value found, what was expected."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
        return f"{where}: found {self.value!r}; expected {self.expected}"


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
