"""Layout families as data: how each trustee or securities administrator prints a statement
to certificateholders, read from ``families/*.toml`` (with the ``templates/*.txt`` they name).

A family's description says:

* ``templates``: its variants, each a template in the syntax of :mod:`remit.statement.layout`
  (sections found by caption, rows and columns by the positions of their placeholders, the
  placeholders' paths naming each cell in remit's vocabulary);
* ``detect``: the captions that tell the family from others (all must appear in the text);
* ``numbers.negative``: how a negative figure is printed (``minus`` or ``parentheses``);
* ``furniture``: page furniture inside tables to drop (lines, and blocks from a start line to
  an end line: page footers, notices, page numbers, rules);
* ``header``: how the record and distribution dates are printed;
* ``identities``: which identity sets check its cells;
* ``vocabulary``: which cells mean what (CUSIPs, class tables by REMIC level, loan groups,
  sums, the pool, delinquency by payments missed ...), for the identities, import and diff.

Adding a trustee's layout means adding a description, a template and tests: the reader and
the identities read what the description says."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

#: where each family's description lives: ``families/<name>.toml``
FAMILIES_DIR = "families"
DATE_FORMATS = {"m/d/y": None, "month d, yyyy": "%B %d, %Y"}


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class Furniture:
    """Page furniture inside tables: single lines, and blocks from a start to an end line."""

    lines: tuple[re.Pattern[str], ...] = ()
    blocks: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()

    def is_line(self, text: str) -> bool:
        return any(p.search(text) for p in self.lines)

    def drop(self, body: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """The body without its furniture (a block not closed runs to the end of the table)."""
        out: list[tuple[int, str]] = []
        end: re.Pattern[str] | None = None
        for no, text in body:
            if end is not None:
                if end.search(text):
                    end = None
                continue
            started = next((e for s, e in self.blocks if s.search(text)), None)
            if started is not None:
                end = None if started.search(text) else started
                continue
            if not self.is_line(text):
                out.append((no, text))
        return out


@dataclass(frozen=True)
class Family:
    """One layout family, as its description says."""

    name: str
    title: str
    templates: tuple[str, ...]
    detect: tuple[str, ...]
    identities: tuple[str, ...]
    min_cells: int
    negative: str
    furniture: Furniture
    header: dict[str, re.Pattern[str]]
    date_format: str
    vocabulary: dict[str, Any] = field(default_factory=dict)

    def detected(self, normalized_text: str) -> bool:
        """Do all of its identifying captions appear in the (normalized) text?"""
        return all(_norm(c) in normalized_text for c in self.detect)

    def date(self, printed: str) -> str:
        """A printed date as M/D/Y (as printed when the layout prints it so)."""
        fmt = DATE_FORMATS.get(self.date_format)
        if fmt is None:
            return printed
        try:
            d = datetime.strptime(" ".join(printed.replace(",", ", ").split()), fmt).date()
        except ValueError:
            return printed
        return f"{d.month}/{d.day}/{d.year}"

    def role(self, name: str) -> tuple[str, ...] | None:
        """A vocabulary entry naming cells ('section/row/column' or 'section/column'), by its
        dotted name ('certificates.cusip')."""
        value: Any = self.vocabulary
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return tuple(value.split("/")) if isinstance(value, str) else None

    def describe(self) -> str:
        """What the family looks like, for a message: its name and captions."""
        return f"{self.name} ({self.title}: {' and '.join(repr(c) for c in self.detect)})"


def _patterns(items: list[str], flags: int) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, flags) for p in items)


def parse_family(doc: dict[str, Any]) -> Family:
    """A family from its parsed description (ValueError if something is missing or wrong)."""
    try:
        furn = doc.get("furniture", {})
        header = doc["header"]
        negative = doc["numbers"]["negative"]
        if negative not in ("minus", "parentheses"):
            raise ValueError(f"numbers.negative: {negative!r} (minus or parentheses)")
        if header["date_format"] not in DATE_FORMATS:
            raise ValueError(f"header.date_format: {header['date_format']!r}")
        return Family(
            name=doc["name"],
            title=doc["title"],
            templates=tuple(doc["templates"]),
            detect=tuple(doc["detect"]),
            identities=tuple(doc["identities"]),
            min_cells=int(doc["min_cells"]),
            negative=negative,
            furniture=Furniture(
                _patterns(furn.get("lines", []), re.I),
                tuple(
                    (re.compile(b["start"], re.I), re.compile(b["end"], re.I))
                    for b in furn.get("blocks", [])
                ),
            ),
            header={
                k: re.compile(header[k], re.I | re.M)
                for k in ("record_date", "distribution_date")
                if k in header
            },
            date_format=header["date_format"],
            vocabulary=dict(doc.get("vocabulary", {})),
        )
    except KeyError as exc:
        raise ValueError(f"layout description: {exc.args[0]!r} missing") from None


@lru_cache(maxsize=8)
def family(name: str) -> Family:
    """A family by its file name (``ctslink``, ``bankers_trust``) or its name."""
    stem = name.replace("-", "_")
    path = resources.files("remit.statement").joinpath(f"{FAMILIES_DIR}/{stem}.toml")
    text = path.read_text("utf-8")
    return parse_family(tomllib.loads(text))


@lru_cache(maxsize=1)
def family_files() -> tuple[str, ...]:
    """The file name of every family description in ``families/``, in detection order (each
    file's ``detect_order``, then its name): adding a trustee's layout is adding its file."""
    found = []
    for f in resources.files("remit.statement").joinpath(FAMILIES_DIR).iterdir():
        if f.name.endswith(".toml"):
            doc = tomllib.loads(f.read_text("utf-8"))
            found.append((int(doc.get("detect_order", 100)), f.name.removesuffix(".toml")))
    return tuple(name for _, name in sorted(found))


def families() -> tuple[Family, ...]:
    """Every known family, in detection order."""
    return tuple(family(n) for n in family_files())


def detect(text: str) -> Family | None:
    """The family whose identifying captions all appear in the text (the first, in order)."""
    normalized = _norm(text)
    return next((f for f in families() if f.detected(normalized)), None)


def of_template(template: str) -> Family:
    """The family a template belongs to."""
    return next((f for f in families() if template in f.templates), family("ctslink"))
