"""Render a statement as EDGAR text in the CTSLink layout of the reference filing."""

from __future__ import annotations

from remit.statement.formats import fmt
from remit.statement.layout import VARIABLE, Segment, Slot, segments, template_lines
from remit.statement.model import Row, Statement, Value


def _place(line: str, text: str, slot: Slot) -> str:
    if slot.align == ">":
        gap = 2 if line.strip() else 0
        start = max(slot.pos - len(text), len(line) + gap if line.strip() else 0)
        return line.ljust(start) + text
    if slot.align == "<":
        start = max(slot.pos, len(line) + 1 if line.strip() else 0)
        return line.ljust(start) + text
    return line + text.center(slot.pos)


def _fill(
    parts: tuple[Segment, ...], lookup: dict[str, Value] | None, st: Statement, row: Row | None
) -> str:
    line = ""
    for seg in parts:
        if seg.slot is None:
            line += VARIABLE.sub(lambda m: _variable(st, m.group(1)), seg.text)
            continue
        slot = seg.slot
        if row is not None:
            value: Value = (
                row.label
                if slot.path == "label"
                else (row.cells[slot.path].value if slot.path in row.cells else None)
            )
        else:
            sec, rkey, *col = slot.path.split("/")
            value = st.value(sec, rkey, col[0] if col else "value")
            if value is None:
                value = "N/A"  # a figure the servicer did not report
        line = _place(line, fmt(value, slot.fmt), slot)
    return line


def _variable(st: Statement, name: str) -> str:
    if name == "amended":
        return "AMENDED STATEMENT" if st.amended else ""
    return st.variables.get(name, "")


def render(st: Statement) -> str:
    out: list[str] = []
    for raw in template_lines(st.layout):
        if raw.startswith("@lines "):
            out.extend(st.title_lines if raw.split()[1] == "title" else st.contact_lines)
            continue
        if raw.startswith(("@rows ", "@totals ")):
            kind, sec, fmt_line = raw.split(" ", 2)
            section = st.section(sec)
            rows = [r for r in section.rows if (r.key == "totals") == (kind == "@totals")]
            for row in rows:
                for piece in fmt_line.split("\\n"):
                    out.append(_fill(segments(piece), None, st, row).rstrip())
            continue
        if "{{" not in raw:
            out.append(raw)
            continue
        out.append(_fill(segments(raw), None, st, None))
    return "\n".join(out) + ("\n" if out and out[-1] != "" else "")
