"""The sizes remit reads, and the checks that hold every input to them.

An input beyond one of these limits is refused with a located :class:`~remit.errors.RemitError`
(file, field path, what was found, the limit) before anything is computed or written. The README
("Limits") lists them for people.

* a deal spec or remittance file (TOML): at most :data:`MAX_INPUT_BYTES`;
* tables and arrays nested at most :data:`MAX_DEPTH` deep;
* one string (a rule's ``basis``, a name) at most :data:`MAX_STRING` characters;
* every number below :data:`MAX_MAGNITUDE` in absolute value (a quadrillion: an amount, a
  count, a denomination), with at most :data:`MAX_DIGITS` significant digits (what the exact
  arithmetic keeps without rounding);
* what the store keeps: a deal id of at most :data:`MAX_DEAL_ID` characters (the investor
  site's limit too), a user name of at most :data:`MAX_USER` characters;
* a synthetic tape: at most :data:`MAX_LOANS` loans and :data:`MAX_MONTHS` months.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from remit.errors import Problem, RemitError

MAX_INPUT_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_STRING = 10_000
MAX_MAGNITUDE = Decimal(10) ** 15
MAX_DIGITS = 20
MAX_DEAL_ID = 64
MAX_USER = 200
MAX_LOANS = 10_000_000
MAX_MONTHS = 600
#: problems reported from one input at most (the rest are counted)
MAX_PROBLEMS = 50


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """An input file's bytes, refusing a missing or unreadable file, a directory, and a file
    larger than ``limit`` (read no further than the limit)."""
    name = str(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise RemitError.one(name, "", "(missing)", "an existing file") from None
    except IsADirectoryError:
        raise RemitError.one(name, "", "a directory", "a file") from None
    except OSError as exc:
        raise RemitError.one(
            name, "", exc.strerror or type(exc).__name__, "a readable file"
        ) from None
    if len(data) > limit:
        raise RemitError.one(
            name, "", f"more than {limit:,d} bytes", f"a file of at most {size_text(limit)}"
        )
    return data


def size_text(n: int) -> str:
    """A byte count for a message: '16 MiB'."""
    return f"{n // 2**20} MiB" if n % 2**20 == 0 else f"{n:,d} bytes"


def _number_problem(value: int | Decimal) -> str | None:
    """What is wrong with a number read from an input, or None."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None  # nan and inf: the field's own validation names them
        if abs(value) >= MAX_MAGNITUDE:
            return f"a number below 10^{MAX_MAGNITUDE.adjusted()} in absolute value"
        if len(value.normalize().as_tuple().digits) > MAX_DIGITS:
            return f"a number of at most {MAX_DIGITS} significant digits"
        return None
    if abs(value) >= MAX_MAGNITUDE:
        return f"a number below 10^{MAX_MAGNITUDE.adjusted()} in absolute value"
    return None


def _walk(data: Any) -> Iterator[tuple[str, Any, int]]:
    """(field path, value, depth) of every value under ``data``, without recursion."""
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        yield path, value, depth
        if isinstance(value, dict):
            for k, v in reversed(list(value.items())):
                stack.append((f"{path}.{k}" if path else str(k), v, depth + 1))
        elif isinstance(value, list):
            for i in range(len(value) - 1, -1, -1):
                stack.append((f"{path}[{i}]", value[i], depth + 1))


def _problem(path: str, value: Any, depth: int) -> tuple[object, str] | None:
    """(what was found, what was expected) for a value beyond a limit, or None."""
    if depth > MAX_DEPTH:
        return "(nested deeper)", f"tables and arrays nested at most {MAX_DEPTH} deep"
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            return f"{len(value):,d} characters", f"a text of at most {MAX_STRING:,d} characters"
        return None
    if isinstance(value, bool | date | datetime | time | dict | list):
        return None
    if isinstance(value, int | Decimal):
        expected = _number_problem(value)
        return (value, expected) if expected else None
    return None


def check_data(data: dict[str, Any], source: str) -> None:
    """Refuse parsed input (TOML) beyond the limits: every problem located by its field path
    (the first :data:`MAX_PROBLEMS`)."""
    problems: list[Problem] = []
    for path, value, depth in _walk(data):
        found = _problem(path, value, depth)
        if found is None:
            continue
        problems.append(Problem(source, path, found[0], found[1]))
        if len(problems) >= MAX_PROBLEMS or depth > MAX_DEPTH:
            break
    if problems:
        raise RemitError(problems)
