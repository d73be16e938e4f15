"""Reading the small ``key=value,key=value`` strings people type on the command line (a
scenario, a pool) and the same keys from TOML tables, with every bad key or value reported as
a located :class:`~remit.errors.Problem`.

Inline values are text: a number, ``yes``/``no``, or a vector of numbers separated by ``;``
(``cpr=2;4;6``). TOML values are native (numbers, booleans, arrays of numbers, strings)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from remit.errors import Problem, RemitError

INLINE = "(command line)"


def split_inline(text: str, source: str, option: str) -> dict[str, str]:
    """``"psa=250, sda=100"`` -> ``{"psa": "250", "sda": "100"}``; a part without ``=``, an
    empty key or a key given twice is an error located at the option and the part."""
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        key = key.strip().lower()
        if not eq or not key:
            problems.append(Problem(source, option, part, "key=value pairs separated by commas"))
        elif key in out:
            problems.append(Problem(source, key, part, "each key once"))
        else:
            out[key] = value.strip()
    if not out and not problems:
        problems.append(Problem(source, option, text, "key=value pairs separated by commas"))
    if problems:
        raise RemitError(problems)
    return out


@dataclass
class Reader:
    """Converts the values of one table (inline or TOML) and collects the problems, each
    located at ``source`` and ``prefix`` + the key."""

    source: str
    prefix: str
    data: Mapping[str, Any]
    problems: list[Problem]

    def where(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def bad(self, key: str, value: object, expected: str) -> None:
        self.problems.append(Problem(self.source, self.where(key), value, expected))

    def unknown(self, known: tuple[str, ...]) -> None:
        for key, value in self.data.items():
            if key not in known:
                self.bad(key, value, "one of the keys " + ", ".join(known))

    def number(
        self, key: str, default: float | None, check: Callable[[float], bool], expected: str
    ) -> float | None:
        if key not in self.data:
            return default
        raw = self.data[key]
        x = _to_float(raw)
        if x is None or not check(x):
            self.bad(key, raw, expected)
            return default
        return x

    def vector(
        self, key: str, check: Callable[[float], bool], expected: str
    ) -> tuple[float, ...] | None:
        """A number or a vector of numbers (by month; the last value holds after it)."""
        if key not in self.data:
            return None
        raw = self.data[key]
        items: list[Any]
        if isinstance(raw, str):
            items = [p.strip() for p in raw.split(";")]
        elif isinstance(raw, list):
            items = list(raw)
        else:
            items = [raw]
        values = [_to_float(v) for v in items]
        if not items or any(v is None or not check(v) for v in values):
            self.bad(key, raw, f"{expected} (or a vector of them by month)")
            return None
        return tuple(v for v in values if v is not None)

    def integer(self, key: str, default: int, lo: int, hi: int, expected: str) -> int:
        if key not in self.data:
            return default
        raw = self.data[key]
        x = _to_float(raw)
        if x is None or x != math.floor(x) or not lo <= x <= hi:
            self.bad(key, raw, expected)
            return default
        return int(x)

    def flag(self, key: str, default: bool) -> bool:
        if key not in self.data:
            return default
        raw = self.data[key]
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("yes", "y", "true", "on", "1"):
            return True
        if text in ("no", "n", "false", "off", "0"):
            return False
        self.bad(key, raw, "yes or no")
        return default

    def text(self, key: str, default: str) -> str:
        if key not in self.data:
            return default
        raw = self.data[key]
        if not isinstance(raw, str) or not raw.strip():
            self.bad(key, raw, "a non-empty text")
            return default
        return raw.strip()


def _to_float(raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        x = float(raw)
    elif isinstance(raw, str):
        try:
            x = float(raw.strip().replace("_", ""))
        except ValueError:
            return None
    else:
        try:
            x = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
    return x if math.isfinite(x) else None
