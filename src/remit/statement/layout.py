"""The CTSLink EDGAR layout as data: ``templates/ctslink.txt`` is the published statement's
text with its figures replaced by placeholders. The renderer fills it; the reader uses the
same placeholders to know where each column sits and which row a label names.

Template syntax, one line at a time:

* ``@lines title`` / ``@lines contact``: the deal's header lines.
* ``@rows SECTION FORMAT`` / ``@totals SECTION FORMAT``: one line (or several, split by a
  literal ``\\n``) per row of SECTION, or for its Totals row.
* ``{{>N:PATH|FMT}}`` right-aligns a value to end at column N, ``{{<N:PATH|FMT}}`` starts it at
  column N, ``{{^W:PATH}}`` centres it in W columns. In a row format PATH is a column key (or
  ``label``); elsewhere it is ``SECTION/ROW`` or ``SECTION/ROW/COLUMN``.
* ``{{NAME}}`` substitutes a statement variable (dates, series, class names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PLACEHOLDER = re.compile(r"\{\{([<>^])(\d+):([^|}]+)(?:\|(\w+))?\}\}")
VARIABLE = re.compile(r"\{\{(\w+)\}\}")
TOKEN = re.compile(r"\{\{[^}]*\}\}")


@dataclass(frozen=True)
class Slot:
    align: str
    pos: int
    path: str
    fmt: str


@dataclass(frozen=True)
class Segment:
    """A piece of a template line: literal text (``slot`` None) or a slot."""

    text: str
    slot: Slot | None


@lru_cache(maxsize=2048)
def segments(line: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    last = 0
    for m in PLACEHOLDER.finditer(line):
        if m.start() > last:
            out.append(Segment(line[last : m.start()], None))
        out.append(Segment("", Slot(m.group(1), int(m.group(2)), m.group(3), m.group(4) or "text")))
        last = m.end()
    if last < len(line):
        out.append(Segment(line[last:], None))
    return tuple(out)


@lru_cache(maxsize=4)
def template_lines(name: str = "ctslink") -> tuple[str, ...]:
    text = resources.files("remit.statement").joinpath(f"templates/{name}.txt").read_text("utf-8")
    return tuple(text.split("\n"))
