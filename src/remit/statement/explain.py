"""Find one figure of a statement by section, row and column, and say how it was made.

Section, row and column are named as the statement prints them -- the section's title, the
row's label (for a figure printed on a line of its own, the words printed before it; the
totals row as ``Totals``), the column's header -- or by their keys in the statement's JSON,
case and spacing aside. The figure is shown as the statement prints it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from remit.close import PeriodResult
from remit.close.ledger import Ledger, Posting
from remit.errors import REQUEST, RemitError
from remit.statement.model import Cell, Row, Section, Statement, Trace
from remit.statement.printed import cell_format, row_label, show


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _match(name: str, options: Mapping[str, Sequence[str]], what: str, where: str) -> str:
    """The key whose names (key, printed label, ...) include ``name``, case- and
    space-insensitively; else a RemitError listing the names as printed."""
    want = _norm(name)
    for key, names in options.items():
        if want in {_norm(key), *(_norm(n) for n in names)}:
            return key
    choices = "; ".join(f"{names[0]!r}" for names in options.values() if names)
    raise RemitError.one(REQUEST, what, name, f"a {what} of {where}: {choices}")


def _row_names(st: Statement, sec: Section, row: Row) -> list[str]:
    names = [row_label(st, sec, row), row.label]
    if row.key == "totals":
        names += ["Totals", "Total"]
    return [n for n in names if n]


def find_cell(st: Statement, section: str, row: str, column: str) -> tuple[str, str, str, Cell]:
    """The figure printed at (section, row, column): the section's title, the row's label and
    the column's header as printed, and the cell."""
    sec, r, col_key = locate(st, section, row, column)
    cell = r.cells[col_key]
    return sec.title, row_label(st, sec, r), _column_label(sec, col_key), cell


def _column_label(sec: Section, key: str) -> str:
    return sec.columns.get(key, key)


def locate(st: Statement, section: str, row: str, column: str) -> tuple[Section, Row, str]:
    """The section, the row and the column key a printed (section, row, column) names."""
    sec_key = _match(section, {s.key: [s.title] for s in st.sections}, "section", "the statement")
    sec = st.section(sec_key)
    r_key = _match(row, {r.key: _row_names(st, sec, r) for r in sec.rows}, "row", repr(sec.title))
    r = sec.row(r_key)
    cols = {k: [label] for k, label in sec.columns.items() if k in r.cells}
    if "value" in r.cells and "value" not in cols:
        cols["value"] = ["value"]
    if not cols:
        raise RemitError.one(REQUEST, "row", row, f"a row of {sec.title!r} that prints a figure")
    col_key = _match(column, cols, "column", f"row {r.label!r} of {sec.title!r}")
    return sec, r, col_key


def _postings(source: PeriodResult | Ledger) -> tuple[Posting, ...]:
    return (source.ledger if isinstance(source, PeriodResult) else source).postings


def explain(
    source: PeriodResult | Ledger, st: Statement, section: str, row: str, column: str
) -> str:
    """The figure at (section, row, column) as printed, the rule that made it, its basis, the
    arithmetic, and the ledger postings behind it (from ``source``: the close, or a stored
    ledger)."""
    sec, r, col_key = locate(st, section, row, column)
    cell = r.cells[col_key]
    shown = show(cell.value, cell_format(st, sec, r, col_key)) or "(blank)"
    lines = [f"{sec.title} / {row_label(st, sec, r)} / {_column_label(sec, col_key)} = {shown}"]
    if cell.trace is None:
        lines.append("  printed as given in the deal spec")
        return "\n".join(lines)
    t = cell.trace
    lines.append(f"  rule:    {t.rule}")
    if t.basis:
        lines.append(f"  basis:   {t.basis}")
    if t.formula:
        lines.append(f"  formula: {t.formula}")
    if t.postings:
        postings = {p.index: p for p in _postings(source)}
        lines.append("  ledger postings:")
        for i in t.postings:
            p = postings.get(i)
            if p is None:
                lines.append(f"    #{i:<3} (not in the ledger)")
                continue
            lines.append(
                f"    #{p.index:<3} {p.step:<32} {p.source} -> {p.target}  {p.amount:,.2f}"
            )
            lines.append(f"         basis: {p.basis}")
    return "\n".join(lines)


def ledger_from_json(text: str) -> Ledger:
    """A ledger as stored (``ledger.json``: a list of postings, amounts as exact text)."""
    from decimal import Decimal

    return Ledger(
        tuple(
            Posting(
                int(p["index"]),
                str(p["step"]),
                str(p["basis"]),
                str(p["source"]),
                str(p["target"]),
                Decimal(str(p["amount"])),
                p.get("kind", "cash"),
            )
            for p in json.loads(text)
        )
    )


def with_stored_cells(st: Statement, statement_json: str) -> Statement:
    """``st`` with every cell's value and trace as stored in ``statement_json`` (the stored
    statement's JSON): what was stored is what is explained. ``st`` gives the layout (its
    printed labels and formats); a cell the stored JSON lacks is kept as ``st`` has it."""
    doc = json.loads(statement_json)
    stored = {
        (s["key"], r["key"], k): c
        for s in doc.get("sections", [])
        for r in s.get("rows", [])
        for k, c in r.get("cells", {}).items()
    }

    def cell(sec: Section, row: Row, key: str, c: Cell) -> Cell:
        found = stored.get((sec.key, row.key, key))
        if found is None:
            return c
        return Cell(_value(c, found.get("value")), _trace(found.get("trace")))

    sections = tuple(
        replace(
            sec,
            rows=tuple(
                replace(r, cells={k: cell(sec, r, k, c) for k, c in r.cells.items()})
                for r in sec.rows
            ),
        )
        for sec in st.sections
    )
    return replace(st, sections=sections)


def _value(c: Cell, stored: Any) -> Any:
    """A stored JSON value in the type of the statement's cell (exact decimals as text)."""
    from datetime import date
    from decimal import Decimal

    if stored is None or isinstance(c.value, str):
        return stored
    if isinstance(c.value, Decimal):
        return Decimal(str(stored))
    if isinstance(c.value, bool):
        return stored
    if isinstance(c.value, int):
        return int(stored)
    if isinstance(c.value, date):
        return date.fromisoformat(str(stored))
    return stored


def _trace(doc: Any) -> Trace | None:
    if not isinstance(doc, dict):
        return None
    return Trace(
        str(doc.get("rule", "")),
        str(doc.get("basis", "")),
        str(doc.get("formula", "")),
        tuple(int(i) for i in doc.get("postings", [])),
    )
