"""The statement reader is linear in its input: runs of blank lines (or lines of spaces, CRLF
line ends, form feeds) anywhere in a statement cost in proportion to their length. Runs of
blank lines used to be quadratic (a ``\\s*`` spanning line ends, tried at every line of the
run): 40,000 of them inside a table took 23 s.

The test counts work rather than timing a budget: the CPU time of reading with 100,000 blank
lines against 10,000 (the best of three each). Linear work gives a ratio of 10 at most (less
when the rest of the statement weighs), quadratic near 100; the bound, 30, leaves room for
noise on a loaded machine."""

from __future__ import annotations

import contextlib
import json
import time

import pytest

from remit.audit.verify import verify_text
from remit.errors import RemitError
from tests.conftest import GOLDEN

REFERENCE = (GOLDEN / "tmst-2003-2-2003-04-25.8k.txt").read_text()
SMALL, LARGE = 10_000, 100_000
BOUND = 30


def cost(text: str) -> float:
    """CPU seconds to read and check ``text`` (the best of three runs)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        with contextlib.suppress(RemitError):
            verify_text(text, "blank")
        best = min(best, time.process_time() - t0)
    return max(best, 1e-4)


SHAPES = {
    "at the end": lambda run: REFERENCE + run,
    "inside the first table": lambda run: REFERENCE.replace("<TABLE>", "<TABLE>\n" + run, 1),
    "between tables": lambda run: REFERENCE.replace("</TABLE>", "</TABLE>\n" + run, 3),
    "alone": lambda run: run,
}
RUNS = {
    "blank lines": "\n",
    "lines of spaces": "        \n",
    "CRLF blank lines": "\r\n",
    "form feeds": "\f\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("line", sorted(RUNS))
def test_reading_is_linear_in_blank_lines(shape: str, line: str) -> None:
    make = SHAPES[shape]
    small = cost(make(RUNS[line] * SMALL))
    large = cost(make(RUNS[line] * LARGE))
    assert large / small < BOUND, (shape, line, small, large)


def test_the_reference_reads_the_same_with_blank_lines_added() -> None:
    plain = verify_text(REFERENCE, "ref")
    padded = verify_text(REFERENCE.replace("</TABLE>", "</TABLE>\n" + "\n" * 5_000, 3), "ref")
    assert _without_lines(json.loads(padded.to_json())) == _without_lines(
        json.loads(plain.to_json())
    )


def _without_lines(value: object) -> object:
    """A report's JSON without its line numbers (blank lines move them)."""
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k not in ("line", "lines")}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value
