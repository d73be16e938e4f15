"""Changing one printed figure of a statement and seeing which cell ``verify`` names.

A mutation is one kind of misprint (a digit, two digits transposed, a rounding), rotating over
the cells; the result says what the report names as likely wrong among the inconsistencies the
change brought (those the statement as printed does not have already), or, when the change
shows only as a rounding note, the cells the note names.

* ``exact``: the changed cell, and it alone;
* ``together``: the changed cell with others the identities cannot tell it from (the report
  says so);
* ``elsewhere``: found, but another cell named;
* ``unnoticed``: the report is as it was (no identity reads the cell)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from remit.audit.book import Cause
from remit.audit.verify import Report, verify_result
from remit.statement.reader import NOMINAL_PLACES, Key, ReadResult, printed_places


def digit(text: str, i: int) -> str:
    pos = [k for k, ch in enumerate(text) if ch.isdigit()]
    k = pos[(i * 7) % len(pos)]
    return text[:k] + str((int(text[k]) + 1 + i % 8) % 10) + text[k + 1 :]


def transpose(text: str, i: int) -> str:
    pos = [k for k, ch in enumerate(text) if ch.isdigit()]
    pairs = [(a, b) for a, b in itertools.pairwise(pos) if text[a] != text[b]]
    if not pairs:
        return text
    a, b = pairs[i % len(pairs)]
    return text[:a] + text[b] + text[a + 1 : b] + text[a] + text[b + 1 :]


def rounding(text: str, i: int) -> str:
    """Round to fewer decimals, printed at the same width (1,234.56 -> 1,235.00)."""
    places = printed_places(text)
    if places == 0:
        return text
    body = text.strip().rstrip("%")
    keep = 0 if places <= 2 else places - 3
    v = Decimal(body.replace(",", "")).quantize(Decimal(1).scaleb(-keep), ROUND_HALF_UP)
    out = f"{v:,.{places}f}" if "," in body else f"{v:.{places}f}"
    return out + ("%" if text.strip().endswith("%") else "")


KINDS = (digit, transpose, rounding)


def mutate(text: str, i: int) -> str:
    """One kind of misprint (rotating with ``i``), inside the parentheses of a negative."""
    neg = text.startswith("(") and text.endswith(")")
    inner = text[1:-1] if neg else text
    for kind in (KINDS[i % 3], digit):
        out = kind(inner, i)
        if out != inner:
            return f"({out})" if neg else out
    raise AssertionError(text)


def _signature(c: Cause) -> tuple[str, Key, bool]:
    return (c.root.rule, c.root.key, c.rounding)


def named(report: Report, base: Report) -> tuple[set[Key], bool]:
    """What the report names as likely wrong among the causes the base report does not
    have, and whether it says the identities cannot tell those cells apart."""
    known = {_signature(c) for c in base.causes}
    new = [c for c in report.causes if _signature(c) not in known]
    real = [c for c in new if not c.rounding]
    if real:
        cells = {k for c in real for k in c.named()}
        return cells, any(len(c.likely) > 1 for c in real)
    return {f.key for c in new for f in c.findings}, False


@dataclass(frozen=True)
class Outcome:
    key: Key
    printed: str
    changed: str
    status: str
    named: frozenset[Key]
    said_together: bool


def outcome(res: ReadResult, base: Report, key: Key, i: int) -> Outcome:
    changed = mutate(res.cells[key], i)
    report = verify_result(replace(res, cells={**res.cells, key: changed}))
    cells, together = named(report, base)
    if cells == {key}:
        status = "exact"
    elif key in cells:
        status = "together"
    elif not cells and report.to_dict() == base.to_dict():
        status = "unnoticed"
    else:
        status = "elsewhere"
    return Outcome(key, res.cells[key], changed, status, frozenset(cells), together)


def numeric_cells(res: ReadResult) -> list[Key]:
    return [k for k, f in res.formats.items() if f in NOMINAL_PLACES]


def run_all(res: ReadResult) -> list[Outcome]:
    """Every numeric cell changed once, in reading order."""
    base = verify_result(res)
    return [outcome(res, base, key, i) for i, key in enumerate(numeric_cells(res))]
