"""The statement to certificateholders as data: sections of rows of cells, each cell with the
trace of how it was made. Renderers (EDGAR text, JSON) and the DataFrame view read this.

The model does not import its renderers: they register themselves in :data:`RENDERERS`
(``remit.statement`` fills it on import), and ``to_edgar``/``to_json`` look them up there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

Value = Decimal | int | str | date | None
Format = Literal[
    "money",
    "pct5",
    "pct6",
    "factor",
    "factor6",
    "factor_c",
    "ratio8",
    "int",
    "int0",
    "num2",
    "date4",
    "text",
]

# Renderers by format name ("edgar", "json"), filled by ``remit.statement``.
RENDERERS: dict[str, Callable[[Statement], str]] = {}


@dataclass(frozen=True)
class Trace:
    """How a figure was made: the rule, its basis, the arithmetic, the ledger postings."""

    rule: str
    basis: str
    formula: str = ""
    postings: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "basis": self.basis,
            "formula": self.formula,
            "postings": list(self.postings),
        }


@dataclass(frozen=True)
class Cell:
    value: Value
    trace: Trace | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: dict[str, str]
    rows: tuple[Row, ...]

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)


@dataclass(frozen=True)
class Statement:
    deal_id: str
    distribution_date: date
    record_date: date
    variables: dict[str, str]
    title_lines: tuple[str, ...]
    contact_lines: tuple[str, ...]
    sections: tuple[Section, ...]
    amended: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    layout: str = "ctslink"

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def cell(self, section: str, row: str, column: str = "value") -> Cell:
        return self.section(section).row(row).cells[column]

    def value(self, section: str, row: str, column: str = "value") -> Value:
        return self.cell(section, row, column).value

    def table(self, key: str) -> pd.DataFrame:
        """One section as a pandas DataFrame: a row per statement row, a column per column,
        exact values (Decimal) kept as objects."""
        import pandas as pd

        sec = self.section(key)
        data = [
            {
                "row": r.label,
                **{sec.columns[c]: r.cells[c].value for c in sec.columns if c in r.cells},
            }
            for r in sec.rows
        ]
        return pd.DataFrame(data).set_index("row")

    def render(self, fmt: str) -> str:
        """The statement in a registered format (see :data:`RENDERERS`)."""
        return RENDERERS[fmt](self)

    def to_edgar(self) -> str:
        return self.render("edgar")

    def to_json(self) -> str:
        return self.render("json")
