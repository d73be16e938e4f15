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

from remit.money import readable

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

    def __post_init__(self) -> None:
        # amounts in the formula printed as on the statement (1,234.56, never 0E-8)
        object.__setattr__(self, "formula", readable(self.formula))

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


@dataclass(frozen=True, repr=False)
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

    def keys(self) -> list[str]:
        """The sections' keys, in the order printed (for :meth:`table`)."""
        return [s.key for s in self.sections]

    def _known(self, key: str) -> Section:
        """The section ``key``; a located error naming the keys there are."""
        if key not in self.keys():
            from remit.errors import REQUEST, RemitError

            raise RemitError.one(REQUEST, "key", key, f"a section key: {', '.join(self.keys())}")
        return self.section(key)

    def table(self, key: str, exact: bool = False) -> pd.DataFrame:
        """One section as a pandas DataFrame: a row per statement row (indexed by its label),
        a column per column (named by its header). Numbers are float64, or with ``exact`` the
        exact Decimals (and ints) as the statement holds them; text stays text. The totals
        row is kept apart, in ``.attrs["totals"]`` (a Series; None when the section has
        none) -- also :meth:`totals`."""
        import pandas as pd

        sec = self._known(key)
        cols = list(sec.columns)
        rows = [r for r in sec.rows if r.key != "totals"]
        frame = pd.DataFrame(
            [[r.cells[c].value if c in r.cells else None for c in cols] for r in rows],
            index=pd.Index([r.label for r in rows], name="row"),
            columns=[sec.columns[c] for c in cols],
            dtype=object,
        )
        if not exact:
            frame = frame.apply(_numeric)
        frame.attrs["section"] = sec.title
        frame.attrs["totals"] = self.totals(key, exact)
        return frame

    def totals(self, key: str, exact: bool = False) -> pd.Series | None:
        """The totals row of a section as a Series by column header (None: no totals row)."""
        import pandas as pd

        sec = self._known(key)
        row = next((r for r in sec.rows if r.key == "totals"), None)
        if row is None:
            return None
        values = {sec.columns[c]: row.cells[c].value for c in sec.columns if c in row.cells}
        series = pd.Series(values, dtype=object, name=row.label)
        return series if exact else _numeric(series)

    def __repr__(self) -> str:
        amended = ", amended" if self.amended else ""
        return (
            f"<Statement {self.deal_id} {self.distribution_date.isoformat()}{amended}: "
            f"{len(self.sections)} sections; .table(key) for one of {', '.join(self.keys())}>"
        )

    def _repr_html_(self) -> str:
        """The statement as HTML tables, figures printed as filed (Jupyter shows this)."""
        return self.render("notebook")

    def render(self, fmt: str) -> str:
        """The statement in a registered format (see :data:`RENDERERS`)."""
        return RENDERERS[fmt](self)

    def to_edgar(self) -> str:
        return self.render("edgar")

    def to_json(self) -> str:
        return self.render("json")


def _numeric(col: pd.Series) -> pd.Series:
    """A column of exact numbers (Decimal, int; None for blank) as float64; any other column
    as it is."""
    import pandas as pd

    values = [v for v in col if v is not None]
    numbers = all(isinstance(v, Decimal | int) and not isinstance(v, bool) for v in values)
    if not values or not numbers:
        return col
    return pd.to_numeric(col.map(lambda v: None if v is None else float(v)), downcast=None).astype(
        "float64"
    )
