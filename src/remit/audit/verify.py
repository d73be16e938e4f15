"""``remit verify``: read a published statement, check every identity, report each
inconsistency once, with the cells it reaches and the arithmetic."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remit.audit.accept import Acceptance, Accepted, accept
from remit.audit.blame import blame
from remit.audit.book import Book, Cause
from remit.audit.groups import run_groups
from remit.audit.identities import run
from remit.audit.infer import Inferred, infer
from remit.audit.levels import infer_levels, run_levels
from remit.audit.source import decode, read_statement_file
from remit.audit.vocabulary import in_remit_terms
from remit.errors import Problem, RemitError
from remit.statement.families import Family, families, family, of_template
from remit.statement.reader import ReadResult, read

#: the identity sets a layout family's description names
IDENTITY_SETS: dict[str, Callable[[Book, Inferred, Family], None]] = {
    "ctslink": lambda book, inf, fam: run(book, inf),
    "levels": run_levels,
    "groups": run_groups,
}


@dataclass
class Report:
    """What ``verify`` found: the causes (each with its findings) and what it inferred."""

    file: str
    causes: list[Cause] = field(default_factory=list)
    inferred: Inferred = field(default_factory=Inferred)
    checked: int = 0
    cells: int = 0
    #: the layout family read (``ctslink``, ``bankers-trust``) and its variant (template)
    layout: str = "ctslink"
    variant: str = "ctslink"
    #: the main figures in remit's vocabulary (:func:`remit.audit.vocabulary.in_remit_terms`)
    figures: dict[str, Any] = field(default_factory=dict)
    #: what a file of accepted differences made of the inconsistencies (:meth:`accept`)
    acceptance: Acceptance | None = None

    def accept(self, rows: list[Accepted], file: str) -> Report:
        """Match the inconsistencies' cells against accepted differences (:mod:`accept`):
        the report then passes when every one is accepted."""
        found = [(f.key, f.published, f.expected) for c in self.inconsistencies for f in c.findings]
        noted = [f.key for c in self.rounding for f in c.findings]
        self.acceptance = accept(file, rows, found, noted)
        return self

    @property
    def result(self) -> str:
        """consistent, accepted (only accepted differences), or inconsistent."""
        if self.consistent:
            return "consistent"
        if self.acceptance is not None and self.acceptance.all_accepted:
            return "accepted"
        return "inconsistent"

    @property
    def exit_code(self) -> int:
        """0 consistent (or only accepted differences), 1 inconsistent."""
        return 1 if self.result == "inconsistent" else 0

    @property
    def inconsistencies(self) -> list[Cause]:
        """The causes that are not a matter of rounding."""
        return [c for c in self.causes if not c.rounding]

    @property
    def rounding(self) -> list[Cause]:
        """Differences the rounding of the printed figures explains (reported apart)."""
        return [c for c in self.causes if c.rounding]

    @property
    def consistent(self) -> bool:
        return not self.inconsistencies

    def named(self) -> set[tuple[str, str, str]]:
        """Every cell the report names as wrong or as a culprit."""
        out = {f.key for c in self.causes for f in c.findings}
        out |= {k for c in self.causes for k in c.named()}
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "layout": self.layout,
            "variant": self.variant,
            "consistent": self.consistent,
            "result": self.result,
            "cells": self.cells,
            "identities_checked": self.checked,
            "inferred": self.inferred.to_dict(),
            "figures": self.figures,
            "inconsistencies": [c.to_dict() for c in self.inconsistencies],
            "rounding": [c.to_dict() for c in self.rounding],
            **({"accepted": self.acceptance.to_dict()} if self.acceptance else {}),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def to_text(self) -> str:
        n = len(self.inconsistencies)
        head = f"{self.file}: {self.cells} cells read, {self.checked} identities checked: " + (
            "consistent" if self.consistent else f"{n} inconsistenc{'y' if n == 1 else 'ies'}"
        )
        if self.rounding:
            m = len(self.rounding)
            head += f"; {m} rounding note{'' if m == 1 else 's'}"
        out = [head]
        if self.layout != "ctslink":
            out.append(f"  layout: {self.layout} ({self.variant})")
        for line in self.inferred.lines():
            out.append(f"  inferred: {line}")
        for n, cause in enumerate(self.inconsistencies, 1):
            out.extend(_cause_lines(n, cause))
        if self.rounding:
            out.append("")
            out.append(
                "Rounding notes (figures a rounding apart: a total that adds unrounded amounts, "
                "a factor's last decimal):"
            )
            for n, cause in enumerate(self.rounding, 1):
                out.extend(_cause_lines(n, cause))
        if self.acceptance is not None:
            out.extend(self.acceptance.lines())
            out.append(f"Result: {self.result}")
        return "\n".join(out) + "\n"


def _cause_lines(n: int, cause: Cause) -> list[str]:
    root = cause.root
    out = ["", f"{n}. {root.rule}", f"   {root.arithmetic}"]
    if cause.culprit:
        also = [k for k in cause.likely if k != cause.culprit]
        printed = f" (printed also as {', '.join('/'.join(k) for k in also)})" if also else ""
        out.append(f"   likely wrong: {'/'.join(cause.culprit)}{printed}")
    elif len(cause.likely) > 1:
        cells = " or ".join("/".join(k) for k in cause.likely)
        out.append(f"   likely wrong: {cells} (the identities cannot tell them apart)")
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
    return out


def verify_result(
    res: ReadResult, name: str = "<statement>", residual: Sequence[str] | None = None
) -> Report:
    """Check every identity over cells already read, with the identity sets its layout
    family's description names. ``residual``: the residual classes when they are known (a
    deal's own statement); else they are inferred from their nominal face."""
    fam = family(res.family) if res.family else of_template(res.layout)
    book = Book(res)
    inferred = infer(res, book) if "ctslink" in fam.identities else infer_levels(res, book, fam)
    if residual is not None:
        inferred.residual = [c for c in residual if c in inferred.classes]
    for name_ in fam.identities:
        IDENTITY_SETS[name_](book, inferred, fam)
    causes = [c for c in book.causes.values() if c.findings]
    blame(book, causes)
    return Report(
        name,
        causes,
        inferred,
        book.checked,
        len(res.cells),
        fam.name,
        res.layout or fam.name,
        in_remit_terms(res, fam),
    )


def check_read(res: ReadResult, name: str) -> None:
    """Refuse what is not a whole statement in a layout remit knows: a text in no known
    layout family (naming the captions looked for and the ones the text has), too few
    figures, or any cell that could not be read."""
    known = "; ".join(f.describe() for f in families())
    if not res.family:
        looks = (
            f"a text whose tables are captioned {', '.join(repr(c) for c in res.captions)}"
            if res.captions
            else "a text without <TABLE> sections"
        )
        raise RemitError(
            [
                Problem(
                    name,
                    "layout",
                    "no layout remit knows",
                    "a monthly statement to certificateholders in a layout remit knows, found "
                    f"by its captions: {known}",
                ),
                Problem(name, "captions", looks, "the captions of one of those layouts"),
            ]
        )
    fam = family(res.family)
    if len(res.cells) < fam.min_cells:
        raise RemitError.one(
            name,
            "",
            f"{len(res.cells)} figures found",
            f"a monthly statement to certificateholders in the {fam.title} layout "
            f"(<TABLE> sections such as {', '.join(repr(c) for c in fam.detect)})",
        )
    if res.problems:
        raise RemitError(
            [Problem(name, "", p, "a complete statement in the layout") for p in res.problems]
        )


def verify_text(
    text: str, name: str = "<statement>", residual: Sequence[str] | None = None
) -> Report:
    """Read a statement's text and check it; RemitError if it cannot be read."""
    res = read(text)
    check_read(res, name)
    return verify_result(res, name, residual)


def verify_bytes(data: bytes, name: str = "<statement>") -> Report:
    """Decode and check a statement's bytes; RemitError if they are not a statement."""
    return verify_text(decode(data, name), name)


def verify_file(path: Path) -> Report:
    """Read and check a statement file (8-K, 10-D or the bare exhibit)."""
    return verify_text(read_statement_file(path), str(path))


def self_check(statement_text: str, source: str, residual: Sequence[str] | None = None) -> None:
    """remit's own statement, read back as ``verify`` reads a published one, must satisfy
    every identity: a close whose statement contradicts itself is a defect of remit, and is
    refused (RemitError naming each identity that failed, with the cell, the printed and
    the expected figure and the arithmetic) before anything is stored. ``residual``: the
    deal's residual classes, which the deal names (a reader infers them from a nominal face,
    and a deal may issue its residuals at any face)."""
    report = verify_text(statement_text, f"{source} (statement)", residual)
    if report.consistent:
        return
    problems = []
    for cause in report.inconsistencies:
        f = cause.root
        problems.append(
            Problem(
                source,
                f"statement: {f.section}/{f.row}/{f.column}",
                f.published,
                f"{f.expected} by the identity {f.rule!r} ({f.arithmetic}): remit's own "
                "statement contradicts itself, a defect of remit; nothing was stored",
            )
        )
    raise RemitError(problems)
