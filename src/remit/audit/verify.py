"""``remit verify``: read a published statement, check every identity, report each
inconsistency once, with the cells it reaches and the arithmetic."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from remit.audit.book import Book, Cause
from remit.audit.identities import run
from remit.audit.infer import Inferred, infer
from remit.audit.source import decode, read_statement_file
from remit.errors import Problem, RemitError
from remit.statement.reader import ReadResult, read

#: a cell that three or more root identities contradict is named as the likely culprit
CULPRIT_MIN = 3
TOTAL_RULES = ("column total", "row total")
#: fewer cells than this and the text is not a statement in the layout at all
MIN_CELLS = 50


@dataclass
class Report:
    """What ``verify`` found: the causes (each with its findings) and what it inferred."""

    file: str
    causes: list[Cause] = field(default_factory=list)
    inferred: Inferred = field(default_factory=Inferred)
    checked: int = 0
    cells: int = 0

    @property
    def consistent(self) -> bool:
        return not self.causes

    def named(self) -> set[tuple[str, str, str]]:
        """Every cell the report names as wrong or as a culprit."""
        out = {f.key for c in self.causes for f in c.findings}
        out |= {c.culprit for c in self.causes if c.culprit}
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "consistent": self.consistent,
            "cells": self.cells,
            "identities_checked": self.checked,
            "inferred": self.inferred.to_dict(),
            "inconsistencies": [c.to_dict() for c in self.causes],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def to_text(self) -> str:
        head = f"{self.file}: {self.cells} cells read, {self.checked} identities checked: " + (
            "consistent"
            if self.consistent
            else f"{len(self.causes)} inconsistenc{'y' if len(self.causes) == 1 else 'ies'}"
        )
        out = [head]
        for line in self.inferred.lines():
            out.append(f"  inferred: {line}")
        for n, cause in enumerate(self.causes, 1):
            root = cause.root
            out.append("")
            out.append(f"{n}. {root.rule}")
            out.append(f"   {root.arithmetic}")
            if cause.culprit:
                out.append(
                    f"   likely wrong: {'/'.join(cause.culprit)} (every identity it enters fails)"
                )
            width = max(len("/".join(f.key)) for f in cause.findings)
            for i, f in enumerate(cause.findings):
                if i == 1:
                    out.append("   carried to:")
                where = "/".join(f.key).ljust(width)
                line = f" (line {f.line})" if f.line else ""
                out.append(
                    f"   {where}  published {f.published:>20}  expected {f.expected:>20}  "
                    f"difference {f.difference}{line}"
                )
                if i >= 1 and f.rule != root.rule:
                    out.append(f"   {'':{width}}  {f.rule}: {f.arithmetic}")
        return "\n".join(out) + "\n"


def verify_result(res: ReadResult, name: str = "<statement>") -> Report:
    """Check every identity over cells already read."""
    book = Book(res)
    inferred = infer(res, book)
    run(book, inferred)
    causes = [c for c in book.causes.values() if c.findings]
    _culprits(causes)
    return Report(name, causes, inferred, book.checked, len(res.cells))


def _culprits(causes: list[Cause]) -> None:
    """A cell read by several root identities that all fail is the likely wrong one: three
    identities of any kind, or a row total and a column total that cross at it."""
    count: Counter[tuple[str, str, str]] = Counter()
    totals: Counter[tuple[str, str, str]] = Counter()
    for c in causes:
        count.update(set(c.suspects))
        if c.root.rule.startswith(TOTAL_RULES):
            totals.update(set(c.suspects))
    for c in causes:
        best = max(c.suspects, key=lambda k: (count[k], totals[k]), default=None)
        if best is None or best == c.root.key:
            continue
        if count[best] >= CULPRIT_MIN or (
            c.root.rule.startswith(TOTAL_RULES) and totals[best] >= 2
        ):
            c.culprit = best


def check_read(res: ReadResult, name: str) -> None:
    """Refuse what is not a whole statement in the layout."""
    if len(res.cells) < MIN_CELLS:
        raise RemitError.one(
            name,
            "",
            f"{len(res.cells)} figures found",
            "a monthly statement to certificateholders in the CTSLink EDGAR layout "
            "(<TABLE> sections such as 'Certificateholder Distribution Summary')",
        )
    if res.problems:
        raise RemitError(
            [Problem(name, "", p, "a complete statement in the layout") for p in res.problems]
        )


def verify_text(text: str, name: str = "<statement>") -> Report:
    """Read a statement's text and check it; RemitError if it cannot be read."""
    res = read(text)
    check_read(res, name)
    return verify_result(res, name)


def verify_bytes(data: bytes, name: str = "<statement>") -> Report:
    """Decode and check a statement's bytes; RemitError if they are not a statement."""
    return verify_text(decode(data, name), name)


def verify_file(path: Path) -> Report:
    """Read and check a statement file (8-K, 10-D or the bare exhibit)."""
    return verify_text(read_statement_file(path), str(path))
