"""``remit verify`` over many filings: each file (a directory's files, in name order) checked
as one, one summary row per file, the worst status for the whole."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from remit.audit.accept import Accepted
from remit.audit.verify import Report, verify_file
from remit.errors import RemitError


@dataclass(frozen=True)
class Checked:
    """One file: its report, or why it could not be read."""

    file: str
    report: Report | None = None
    error: RemitError | None = None

    @property
    def exit_code(self) -> int:
        """0 consistent (or only accepted differences), 1 inconsistent, 2 unreadable."""
        return 2 if self.report is None else self.report.exit_code

    @property
    def result(self) -> str:
        if self.report is None:
            return "unreadable"
        return self.report.result

    def row(self) -> dict[str, Any]:
        r = self.report
        why = str(self.error.problems[0].value) if self.error and self.error.problems else ""
        return {
            "file": self.file,
            "layout": r.layout if r else "",
            "cells": r.cells if r else 0,
            "identities": r.checked if r else 0,
            "inconsistencies": len(r.inconsistencies) if r else 0,
            "rounding_notes": len(r.rounding) if r else 0,
            "result": self.result,
            **({"why": why} if why else {}),
        }

    def to_dict(self) -> dict[str, Any]:
        if self.report is not None:
            return {**self.report.to_dict(), "result": self.result}
        assert self.error is not None
        return {
            "file": self.file,
            "result": "unreadable",
            "error": True,
            "problems": [
                {"file": p.file, "path": p.path, "value": str(p.value), "expected": p.expected}
                for p in self.error.problems
            ],
        }


def files_of(paths: list[Path]) -> list[Path]:
    """The files named, a directory standing for the files in it (not hidden, name order;
    its sub-directories' too)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                f
                for f in sorted(p.rglob("*"))
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return out


def verify_many(
    paths: list[Path], accepted: list[Accepted] | None = None, accept_file: str = ""
) -> list[Checked]:
    """Check every file; an unreadable one is a row of its own, not the end of the run.
    RemitError when the paths name no file at all (an empty folder)."""
    files = files_of(paths)
    if not files:
        raise RemitError.one(
            ", ".join(str(p) for p in paths),
            "",
            "a folder with no files",
            "statement files, or folders holding them",
        )
    out = []
    for f in files:
        try:
            report = verify_file(f)
        except RemitError as exc:
            out.append(Checked(str(f), error=exc))
            continue
        if accepted is not None:
            report.accept(accepted, accept_file)
        out.append(Checked(str(f), report))
    return out


def worst(results: list[Checked]) -> int:
    """The exit status of the run: the worst of its files' (2 when there is no file)."""
    return max((r.exit_code for r in results), default=2)


HEADINGS = ("file", "layout", "cells", "identities", "inconsistencies", "rounding notes", "result")


def summary_text(results: list[Checked]) -> str:
    """One row per file, aligned, then the totals by result."""
    rows = [
        [
            str(v)
            for v in (
                r["file"],
                r["layout"] or "-",
                r["cells"],
                r["identities"],
                r["inconsistencies"],
                r["rounding_notes"],
                r["result"] + (f": {r['why']}" if r.get("why") else ""),
            )
        ]
        for r in (c.row() for c in results)
    ]
    widths = [max(len(x) for x in col) for col in zip(HEADINGS, *rows, strict=False)]
    widths[-1] = 0
    numeric = {2, 3, 4, 5}

    def line(cells: list[str] | tuple[str, ...]) -> str:
        parts = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(HEADINGS), *(line(r) for r in rows)]
    counts: dict[str, int] = {}
    for c in results:
        counts[c.result] = counts.get(c.result, 0) + 1
    out.append("")
    out.append(
        f"{len(results)} file{'' if len(results) == 1 else 's'}: "
        + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    )
    return "\n".join(out) + "\n"


def summary_json(results: list[Checked]) -> str:
    """The reports, a list (an unreadable file: its problems)."""
    return json.dumps([c.to_dict() for c in results], indent=2) + "\n"
