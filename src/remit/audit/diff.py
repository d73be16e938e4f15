"""``remit diff``: our stored statement for a date against the published one, cell by cell.

Both sides are compared as printed: our stored statement text is read back with the same
reader as the published file, so that the same (section, row, column) keys meet. Two cells
agree when their figures are equal as numbers (``1,039,673,900.0`` printed cut to the column
width is ``1,039,673,900.00``) or, for text, equal but for spacing. Each cell that differs is
listed with its labels, both figures, the difference (published − ours) and how our figure
was made: the trace stored with our statement (rule, basis, formula) and the ledger postings
it names, read from the stored ledger. Cells that agree are counted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from remit.audit.accept import Acceptance, Accepted, accept
from remit.records import Key, PublishedCell, PublishedStatement, StoredPeriod
from remit.statement.formats import parse_number
from remit.statement.reader import NUMERIC_FORMATS, read


@dataclass(frozen=True)
class Posting:
    """A ledger posting behind one of our figures."""

    index: int
    step: str
    source: str
    target: str
    amount: str
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "step": self.step,
            "source": self.source,
            "target": self.target,
            "amount": self.amount,
            "basis": self.basis,
        }


@dataclass(frozen=True)
class Explanation:
    """How our figure was made (no trace: printed as given in the deal spec)."""

    rule: str = ""
    basis: str = ""
    formula: str = ""
    postings: tuple[Posting, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            **({"note": self.note} if self.note else {}),
            "rule": self.rule,
            "basis": self.basis,
            "formula": self.formula,
            "postings": [p.to_dict() for p in self.postings],
        }

    def lines(self) -> list[str]:
        if self.note:
            return [self.note]
        if not self.rule:
            return ["printed as given in the deal spec"]
        out = [f"rule:    {self.rule}"]
        if self.basis:
            out.append(f"basis:   {self.basis}")
        if self.formula:
            out.append(f"formula: {self.formula}")
        if self.postings:
            out.append("ledger postings:")
            for p in self.postings:
                amount = Decimal(p.amount)
                out.append(f"  #{p.index:<3} {p.step:<32} {p.source} -> {p.target}  {amount:,.2f}")
                out.append(f"       basis: {p.basis}")
        return out


@dataclass(frozen=True)
class CellDifference:
    """One cell where ours and the published statement differ (None: not printed there)."""

    section: str
    row: str
    column: str
    section_title: str
    row_label: str
    column_label: str
    published: str | None
    ours: str | None
    difference: Decimal | None
    line: int | None
    explanation: Explanation

    @property
    def key(self) -> Key:
        return (self.section, self.row, self.column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "row": self.row,
            "column": self.column,
            "section_title": self.section_title,
            "row_label": self.row_label,
            "column_label": self.column_label,
            "published": self.published,
            "ours": self.ours,
            "difference": None if self.difference is None else f"{self.difference:f}",
            "published_line": self.line,
            "explanation": self.explanation.to_dict(),
        }


@dataclass
class StatementDiff:
    """Our statement for a date against a published import of it."""

    deal_id: str
    distribution_date: date
    ours_version: int
    ours_sha256: str
    published_version: int
    published_file: str
    published_sha256: str
    agree: int = 0
    differences: list[CellDifference] = field(default_factory=list)
    #: two stored versions compared (:func:`diff_versions`): the other version's number
    against_version: int | None = None
    #: what a file of accepted differences made of the differences (:meth:`accept`)
    acceptance: Acceptance | None = None

    @property
    def identical(self) -> bool:
        return not self.differences

    def accept(self, rows: list[Accepted], file: str) -> StatementDiff:
        """Match the differing cells against accepted differences (:mod:`accept`)."""
        found = [(d.key, d.published, d.ours) for d in self.differences]
        self.acceptance = accept(file, rows, found)
        return self

    @property
    def result(self) -> str:
        """identical, accepted (only accepted differences) or different."""
        if self.identical:
            return "identical"
        if self.acceptance is not None and self.acceptance.all_accepted:
            return "accepted"
        return "different"

    @property
    def exit_code(self) -> int:
        return 1 if self.result == "different" else 0

    def to_dict(self) -> dict[str, Any]:
        theirs: dict[str, Any] = (
            {
                "published": {
                    "version": self.published_version,
                    "file": self.published_file,
                    "sha256": self.published_sha256,
                }
            }
            if self.against_version is None
            else {
                "against": {
                    "version": self.against_version,
                    "statement_sha256": self.published_sha256,
                }
            }
        )
        return {
            "deal": self.deal_id,
            "distribution_date": self.distribution_date.isoformat(),
            "ours": {"version": self.ours_version, "statement_sha256": self.ours_sha256},
            **theirs,
            "identical": self.identical,
            "cells_agree": self.agree,
            "cells_differ": len(self.differences),
            "differences": [d.to_dict() for d in self.differences],
            "result": self.result,
            **({"accepted": self.acceptance.to_dict()} if self.acceptance else {}),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def to_text(self) -> str:
        if self.against_version is None:
            them, us = "published", "ours"
            head = (
                f"{self.deal_id} {self.distribution_date.isoformat()}: our statement (version "
                f"{self.ours_version}) against the published one (import "
                f"{self.published_version}, {self.published_file}, sha256 "
                f"{self.published_sha256[:12]}): "
            )
        else:
            them, us = f"version {self.against_version}", f"version {self.ours_version}"
            head = (
                f"{self.deal_id} {self.distribution_date.isoformat()}: stored {us} against "
                f"stored {them} (difference: {us} - {them}): "
            )
        out = [head + f"{self.agree} cells agree, {len(self.differences)} differ"]
        for n, d in enumerate(self.differences, 1):
            diff = "" if d.difference is None else f"  difference {d.difference:+,f}"
            line = f" (line {d.line})" if d.line else ""
            out.append("")
            out.append(f"{n}. {d.section}/{d.row}/{d.column}{line}")
            out.append(f"   {d.section_title} / {d.row_label} / {d.column_label}")
            out.append(f"   {them} {_shown(d.published)}  {us} {_shown(d.ours)}{diff}")
            out.extend(f"   {x}" for x in d.explanation.lines())
        if self.acceptance is not None:
            out.extend(self.acceptance.lines())
            out.append(f"Result: {self.result}")
        return "\n".join(out) + "\n"


NOT_OURS = Explanation(note="not printed on our statement")


def _shown(text: str | None) -> str:
    return "(not printed)" if text is None else text


def same(a: str, b: str, fmt: str) -> bool:
    """Printed figures equal as numbers (numeric formats), or texts equal but for spacing."""
    if fmt in NUMERIC_FORMATS:
        x, y = parse_number(a), parse_number(b)
        if x is not None and y is not None:
            return x == y
    return " ".join(a.split()) == " ".join(b.split())


def _difference(published: str | None, ours: str | None, fmt: str) -> Decimal | None:
    if published is None or ours is None or fmt not in NUMERIC_FORMATS:
        return None
    x, y = parse_number(published), parse_number(ours)
    return None if x is None or y is None else x - y


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


class Traces:
    """Our statement JSON and ledger, looked up by the reader's (section, row, column)."""

    def __init__(self, statement_json: str, ledger_json: str) -> None:
        doc = json.loads(statement_json)
        self.sections: dict[str, dict[str, Any]] = {s["key"]: s for s in doc["sections"]}
        self.postings: dict[int, dict[str, Any]] = {
            int(p["index"]): p for p in json.loads(ledger_json)
        }

    def _row(self, section: str, row: str) -> dict[str, Any] | None:
        sec = self.sections.get(section)
        if sec is None:
            return None
        want = _norm(row)
        for r in sec["rows"]:
            if r["key"] == row or _norm(r["label"]) == want:
                return dict(r)
        if want in ("total", "totals"):
            for r in sec["rows"]:
                if r["key"] == "totals":
                    return dict(r)
        return None

    def labels(self, key: Key) -> tuple[str, str, str]:
        section, row, column = key
        sec = self.sections.get(section)
        r = self._row(section, row)
        title = sec["title"] if sec else section
        label = r["label"] if r else row
        col = sec["columns"].get(column, column) if sec else column
        return str(title), str(label), str(col)

    def explain(self, key: Key) -> Explanation:
        section, row, column = key
        r = self._row(section, row)
        cell = r["cells"].get(column) if r else None
        trace = cell.get("trace") if cell else None
        if not trace:
            return Explanation()
        postings = []
        for i in trace.get("postings", []):
            p = self.postings.get(int(i))
            if p is None:
                postings.append(Posting(int(i), "(not in the stored ledger)", "", "", "0", ""))
                continue
            postings.append(
                Posting(
                    int(p["index"]),
                    str(p["step"]),
                    str(p["source"]),
                    str(p["target"]),
                    str(p["amount"]),
                    str(p["basis"]),
                )
            )
        return Explanation(
            str(trace.get("rule", "")),
            str(trace.get("basis", "")),
            str(trace.get("formula", "")),
            tuple(postings),
        )


def diff_statements(ours: StoredPeriod, published: PublishedStatement) -> StatementDiff:
    """Every cell of our stored statement against the published import, in the published
    statement's order (then cells only we print)."""
    mine = read(ours.statement_text)
    traces = Traces(ours.statement_json, ours.ledger_json)
    theirs = published.cell_map()
    out = StatementDiff(
        deal_id=ours.deal_id,
        distribution_date=ours.distribution_date,
        ours_version=ours.version,
        ours_sha256=ours.statement_sha256,
        published_version=published.version,
        published_file=published.file_name,
        published_sha256=published.file_sha256,
    )
    keys = list(theirs) + [k for k in mine.cells if k not in theirs]
    for key in keys:
        pub = theirs.get(key)
        our = mine.cells.get(key)
        fmt = pub.format if pub is not None else mine.formats.get(key, "text")
        printed = pub.printed if pub is not None else None
        if printed is not None and our is not None and same(printed, our, fmt):
            out.agree += 1
            continue
        title, row_label, col_label = traces.labels(key)
        # a key-value line's label as printed on our statement (the JSON keeps its key)
        row_label = " ".join(mine.labels.get(key, row_label).split())
        out.differences.append(
            CellDifference(
                section=key[0],
                row=key[1],
                column=key[2],
                section_title=title,
                row_label=row_label,
                column_label=col_label,
                published=printed,
                ours=our,
                difference=_difference(printed, our, fmt),
                line=pub.line if pub is not None else None,
                explanation=traces.explain(key) if our is not None else NOT_OURS,
            )
        )
    return out


def diff_versions(ours: StoredPeriod, other: StoredPeriod) -> StatementDiff:
    """Two stored versions of a date, cell by cell, both as printed: each cell of ``ours``
    against ``other`` (the difference is ours - other), with the explanation of ours."""
    reading = read(other.statement_text)
    cells = tuple(
        PublishedCell(*key, printed, reading.formats.get(key, "text"), reading.lines.get(key))
        for key, printed in reading.cells.items()
    )
    theirs = PublishedStatement(
        id=other.id,
        deal_id=other.deal_id,
        distribution_date=other.distribution_date,
        record_date=None,
        version=other.version,
        current=other.current,
        file_name=f"version {other.version}",
        file_sha256=other.statement_sha256,
        imported_by=other.closed_by,
        imported_at=other.closed_at,
        code_version=other.code_version,
        text=other.statement_text,
        cells=cells,
    )
    out = diff_statements(ours, theirs)
    out.against_version = other.version
    out.differences = [
        replace(d, difference=None if d.difference is None else -d.difference)
        for d in out.differences
    ]
    return out
