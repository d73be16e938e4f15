"""Accepted differences: a CSV of known, explained differences an auditor has looked at (the
format of ``tests/golden/tmst-2003-2-2003-04-25.inconsistencies.csv``), one row per cell:

    section,row,column,published,ours,why

``published`` is the figure as the statement prints it; ``ours`` the figure it should be (what
``verify`` expects, or what remit's own statement prints for ``diff``); ``why`` the explanation.
A difference found is accepted when a row names its cell with the same printed figure and,
where ``ours`` is given, the same figure it should be (a different misprint of an accepted cell
is a new difference). A row that matches no difference found any more is stale: reported, not
an error."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remit.errors import Problem, RemitError
from remit.statement.formats import parse_number
from remit.statement.reader import Key

COLUMNS = ("section", "row", "column", "published", "ours", "why")
#: the interest tables' balance columns, by their current and former keys
ALIASES = {"beginning_notional": "beginning_balance", "ending_notional": "ending_balance"}
MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Accepted:
    """One accepted difference (``line``: its row in the file, the header being row 1)."""

    section: str
    row: str
    column: str
    published: str
    ours: str
    why: str
    line: int

    @property
    def key(self) -> Key:
        return (self.section, self.row, ALIASES.get(self.column, self.column))

    def matches(self, published: str | None, ours: str | None) -> bool:
        if published is None or not _same(self.published, published):
            return False
        return not self.ours or ours is None or _same(self.ours, ours)

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "row": self.row,
            "column": self.column,
            "published": self.published,
            "ours": self.ours,
            "why": self.why,
            "line": self.line,
        }


def _same(a: str, b: str) -> bool:
    x, y = parse_number(a), parse_number(b)
    if x is not None and y is not None:
        return x == y
    return " ".join(a.split()) == " ".join(b.split())


def read_accepted(path: Path) -> list[Accepted]:
    """The rows of an accepted-differences file; RemitError (the file, the row, what is
    wrong) when it is missing, not a CSV with the columns, or a row lacks a cell."""
    name = str(path)
    if not path.is_file():
        raise RemitError.one(
            name, "", "no such file", f"a CSV of accepted differences ({', '.join(COLUMNS)})"
        )
    data = path.read_bytes()[: MAX_BYTES + 1]
    if len(data) > MAX_BYTES:
        raise RemitError.one(name, "", "a file over 4 MB", "a CSV of accepted differences")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RemitError.one(name, "", "bytes that are not UTF-8", "a UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS[:4] if c not in header]
    if missing:
        raise RemitError.one(
            name,
            "header",
            ",".join(header) or "(empty)",
            f"a header with the columns {', '.join(COLUMNS)} ({', '.join(missing)} missing)",
        )
    rows, problems = [], []
    for n, raw in enumerate(reader, start=2):
        r = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        empty = [c for c in COLUMNS[:4] if not r.get(c)]
        if empty:
            problems.append(
                Problem(name, empty[0], r.get(empty[0], ""), "a value in every row", row=n)
            )
            continue
        rows.append(
            Accepted(
                r["section"],
                r["row"],
                r["column"],
                r["published"],
                r.get("ours", ""),
                r.get("why", ""),
                line=n,
            )
        )
    if problems:
        raise RemitError(problems)
    return rows


@dataclass
class Acceptance:
    """What an accepted-differences file did to a list of differences found."""

    file: str
    #: each difference found that a row accepts: the cell, as found, and the row
    accepted: list[tuple[Key, str, Accepted]] = field(default_factory=list)
    #: the differences found that no row accepts
    unaccepted: list[Key] = field(default_factory=list)
    #: rows that match no difference found
    stale: list[Accepted] = field(default_factory=list)

    @property
    def all_accepted(self) -> bool:
        return not self.unaccepted

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "all_accepted": self.all_accepted,
            "accepted": [
                {"cell": "/".join(k), "published": p, "why": a.why, "line": a.line}
                for k, p, a in self.accepted
            ],
            "not_accepted": ["/".join(k) for k in self.unaccepted],
            "stale": [a.to_dict() for a in self.stale],
        }

    def lines(self) -> list[str]:
        n = len(self.accepted)
        out = [
            "",
            f"Accepted differences ({self.file}): {n} cell{'' if n == 1 else 's'} accepted, "
            f"{len(self.unaccepted)} not",
        ]
        for k, p, a in self.accepted:
            out.append(f"   {'/'.join(k)}  published {p}  (row {a.line}: {a.why})")
        if self.stale:
            out.append(f"Stale (listed in {self.file}, not found any more):")
            for a in self.stale:
                out.append(f"   row {a.line}: {a.section}/{a.row}/{a.column} {a.published}")
        return out


def accept(
    file: str,
    rows: list[Accepted],
    found: Iterable[tuple[Key, str | None, str | None]],
    noted: Iterable[Key] = (),
) -> Acceptance:
    """Match the differences ``found`` (each: the cell, the printed figure, the figure it
    should be) against the accepted rows. Cells in ``noted`` (differences that do not count,
    such as rounding notes) keep their rows from being stale."""
    out = Acceptance(file)
    by_key: dict[Key, list[Accepted]] = {}
    for a in rows:
        by_key.setdefault(a.key, []).append(a)
    used: set[int] = set()
    for key, published, ours in found:
        k = (key[0], key[1], ALIASES.get(key[2], key[2]))
        row = next((a for a in by_key.get(k, []) if a.matches(published, ours)), None)
        if row is None:
            out.unaccepted.append(key)
        else:
            out.accepted.append((key, published or "", row))
            used.add(row.line)
    keep = {(k[0], k[1], ALIASES.get(k[2], k[2])) for k in noted}
    out.stale = [a for a in rows if a.line not in used and a.key not in keep]
    return out
