"""The statement as HTML (Jinja2): a self-contained, print-ready document, and the pieces the
web site embeds in its period page. Every figure is printed as the filed statement prints it
and its cell names its section, row and column, so that a reader (a test, a scraper) finds
each one without guessing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2

from remit.publish.cells import cell_format, show, tables
from remit.statement.model import Statement


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates of this package (and, for the web site, ``remit.web``'s)."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("remit.publish", "templates")]
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return resources.files("remit.publish").joinpath("templates/statement.css").read_text("utf-8")


@dataclass(frozen=True)
class HtmlCell:
    key: str
    text: str
    css: str
    link: str


@dataclass(frozen=True)
class HtmlRow:
    key: str
    label: str
    cells: tuple[HtmlCell, ...]


@dataclass(frozen=True)
class HtmlTable:
    key: str
    title: str
    single: bool
    label_header: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[HtmlRow, ...]


Linker = Callable[[str, str, str], str]


def html_tables(st: Statement, link: Linker | None = None) -> list[HtmlTable]:
    """The statement's tables with every cell formatted; ``link(section, row, column)``
    gives a cell a hyperlink (the web site links each figure to its explanation)."""
    out = []
    for t in tables(st):
        sec = st.section(t.key)
        rows = []
        for row, label in t.rows:
            cells = []
            for key, _ in t.columns:
                cell = row.cells.get(key)
                value = cell.value if cell is not None else None
                kind = cell_format(st, sec, row, key)
                text = show(value, kind)
                css = "text" if kind == "text" and not _numeric(text) else "num"
                href = link(sec.key, row.key, key) if link and cell is not None else ""
                cells.append(HtmlCell(key, text, css, href))
            rows.append(HtmlRow(row.key, label, tuple(cells)))
        single = [k for k, _ in t.columns] == ["value"]
        out.append(
            HtmlTable(t.key, t.title, single, "" if single else "Class", t.columns, tuple(rows))
        )
    return out


def _numeric(text: str) -> bool:
    return bool(text) and text.replace(",", "").replace(".", "").replace("-", "").isdigit()


def header(st: Statement) -> dict[str, Any]:
    return {
        "title": " - ".join((*st.title_lines[:1], st.variables.get("series", ""))).strip(" -"),
        "title_lines": st.title_lines,
        "series": st.variables.get("series", ""),
        "record_date": st.record_date.strftime("%m/%d/%Y"),
        "distribution_date": st.distribution_date.strftime("%m/%d/%Y"),
        "contact": "\n".join(st.contact_lines),
        "amended": st.amended,
        "notes": st.notes,
    }


def render_html(st: Statement) -> str:
    """The whole statement as one HTML document with its stylesheet inline."""
    template = environment().get_template("statement.html.j2")
    return template.render(h=header(st), tables=html_tables(st), css=stylesheet())
