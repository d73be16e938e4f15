"""How each cell of a statement is printed in every rendering (HTML, CSV, XLSX, the notebook,
``remit explain``): its printed label and its format, both read from the EDGAR layout (the
template says ``{{>81:collateral/wac|pct6}}`` after the words "Weighted Average Gross
Coupon"), so that every rendering prints a figure as the filed statement does. Cells the
layout does not print (an extended section) are shown by their type: cents as money, eight
decimals as a factor, integers as counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from remit.statement.formats import fmt
from remit.statement.layout import VARIABLE, segments, template_lines
from remit.statement.model import Row, Section, Statement, Value


@dataclass(frozen=True)
class LayoutInfo:
    """Per layout: the format of each column of a row table, and the label and format of
    each single figure."""

    columns: dict[tuple[str, str], str]
    singles: dict[tuple[str, str, str], tuple[str, str]]


@lru_cache(maxsize=8)
def layout_info(layout: str) -> LayoutInfo:
    columns: dict[tuple[str, str], str] = {}
    singles: dict[tuple[str, str, str], tuple[str, str]] = {}
    for raw in template_lines(layout):
        if raw.startswith(("@rows ", "@totals ")):
            _, sec, fmt_line = raw.split(" ", 2)
            for piece in fmt_line.split("\\n"):
                for seg in segments(piece):
                    if seg.slot is not None and seg.slot.path != "label":
                        columns.setdefault((sec, seg.slot.path), seg.slot.fmt)
            continue
        before = ""
        for seg in segments(raw):
            if seg.slot is None:
                before = seg.text
                continue
            sec, row, *col = seg.slot.path.split("/")
            singles[(sec, row, col[0] if col else "value")] = (before.strip(), seg.slot.fmt)
            before = ""
    return LayoutInfo(columns, singles)


def kind_of(value: Value) -> str:
    """The format of a figure no layout names."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if exponent == -8:
            return "factor"
        return "money" if exponent == -2 else "text"
    if isinstance(value, int) and not isinstance(value, bool):
        return "int"
    return "text"


def cell_format(st: Statement, sec: Section, row: Row, column: str) -> str:
    info = layout_info(st.layout)
    single = info.singles.get((sec.key, row.key, column))
    if single is not None:
        return single[1]
    found = info.columns.get((sec.key, column))
    return found or kind_of(row.cells[column].value if column in row.cells else None)


def row_label(st: Statement, sec: Section, row: Row) -> str:
    """The row's printed label: the layout's words before a single figure, else the row's."""
    single = layout_info(st.layout).singles.get((sec.key, row.key, "value"))
    if single is None or not single[0]:
        return row.label
    return VARIABLE.sub(lambda m: st.variables.get(m.group(1), ""), single[0]).strip()


def show(value: Value, kind: str) -> str:
    """A figure as printed: '1,041,984.29', '1.64000%', '04/25/2003'; '' for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and kind == "text":
        return str(value)
    return fmt(value, kind)


def plain(value: Value) -> str:
    """A figure for machines: exact digits without separators, ISO dates, '' for none."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


@dataclass(frozen=True)
class Table:
    """One section as a table: its header and, per row, the label and the cells in column
    order (None where the row prints nothing in that column)."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[Row, str], ...]


def tables(st: Statement) -> list[Table]:
    out = []
    for sec in st.sections:
        cols = tuple(sec.columns.items())
        rows = tuple((r, row_label(st, sec, r)) for r in sec.rows)
        out.append(Table(sec.key, sec.title, cols, rows))
    return out


def notebook_html(st: Statement) -> str:
    """The statement as plain HTML tables for a notebook: its title, then each section with
    its header and rows, every figure printed as the filed statement prints it."""
    from html import escape

    amended = " (amended)" if st.amended else ""
    out = [
        "<div class='remit-statement'>",
        f"<h3>{escape(st.deal_id)}: statement to certificateholders, "
        f"{st.distribution_date.isoformat()}{amended}</h3>",
    ]
    for t in tables(st):
        sec = st.section(t.key)
        head = "".join(f"<th>{escape(label)}</th>" for _, label in t.columns)
        out.append(
            f"<table><caption style='text-align:left'><b>{escape(t.title)}</b> "
            f"<code>{escape(t.key)}</code></caption><thead><tr><th></th>{head}</tr></thead><tbody>"
        )
        for row, label in t.rows:
            cells = "".join(
                "<td style='text-align:right'>"
                + escape(show(row.cells[k].value, cell_format(st, sec, row, k)))
                + "</td>"
                if k in row.cells
                else "<td></td>"
                for k, _ in t.columns
            )
            out.append(f"<tr><th style='text-align:left'>{escape(label)}</th>{cells}</tr>")
        out.append("</tbody></table>")
    out.append("</div>")
    return "\n".join(out)
