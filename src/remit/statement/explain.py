"""Find one figure of a statement by section, row and column, and say how it was made."""

from __future__ import annotations

from remit.close import PeriodResult
from remit.errors import RemitError
from remit.statement.formats import fmt
from remit.statement.model import Cell, Statement


def _match(name: str, options: dict[str, str], what: str, where: str) -> str:
    """Find ``name`` among keys or labels, case- and space-insensitively."""
    want = " ".join(name.split()).lower()
    for key, label in options.items():
        if want in (key.lower(), " ".join(label.split()).lower()):
            return key
    choices = "; ".join(f"{label!r}" for label in options.values())
    raise RemitError.one("(command line)", what, name, f"a {what} of {where}: {choices}")


def find_cell(st: Statement, section: str, row: str, column: str) -> tuple[str, str, str, Cell]:
    sec_key = _match(section, {s.key: s.title for s in st.sections}, "section", "the statement")
    sec = st.section(sec_key)
    row_key = _match(row, {r.key: r.label for r in sec.rows}, "row", sec.title)
    cols = dict(sec.columns)
    if list(cols) == ["value"]:
        cols["value"] = "value"
    col_key = _match(column, cols, "column", sec.title)
    cells = sec.row(row_key).cells
    if col_key not in cells:
        raise RemitError.one("(command line)", "column", column, f"a column printed in row {row!r}")
    return sec.title, sec.row(row_key).label, sec.columns.get(col_key, col_key), cells[col_key]


def explain(result: PeriodResult, st: Statement, section: str, row: str, column: str) -> str:
    title, label, col_label, cell = find_cell(st, section, row, column)
    shown = cell.value if isinstance(cell.value, str) else fmt(cell.value, "money")
    lines = [f"{title} / {label} / {col_label} = {shown}"]
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
        lines.append("  ledger postings:")
        for i in t.postings:
            p = result.ledger.postings[i]
            lines.append(
                f"    #{p.index:<3} {p.step:<32} {p.source} -> {p.target}  {p.amount:,.2f}"
            )
            lines.append(f"         basis: {p.basis}")
    return "\n".join(lines)
