"""Cells of the statement and how they are traced to the ledger and the close's figures."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from remit import money
from remit.close import PeriodResult
from remit.close.ledger import Ledger, Posting
from remit.money import ZERO
from remit.statement.model import Cell, Row, Section, Trace


def posted(postings: Iterable[Posting], rule: str, basis: str = "", sign: int = 1) -> Cell:
    """A cell whose value is the sum of ledger postings (negated when ``sign`` < 0)."""
    ps = tuple(postings)
    total = Ledger.total(ps)
    if sign < 0:
        total = ZERO - total if total else ZERO
    bases = sorted({p.basis for p in ps})
    formula = " + ".join(f"{p.amount:,.2f} ({p.step})" for p in ps) or "no postings"
    return Cell(total, Trace(rule, basis or "; ".join(bases), formula, tuple(p.index for p in ps)))


def fig(value: Decimal | int | str | None, rule: str, basis: str, formula: str = "") -> Cell:
    """A cell holding a figure the close or the remittance gives, with its rule."""
    return Cell(value, Trace(rule, basis, formula))


def reported(value: Decimal | int | None) -> Cell:
    """A cell printing a figure of the servicer's report as given."""
    return fig(value, "remittance", "servicer report")


def figure_cell(r: PeriodResult, key: str) -> Cell:
    """A cell holding one of the close's recorded figures, with its trace."""
    f = r.figures[key]
    return Cell(f.value, Trace(f.rule, f.basis, f.formula))


def percent_cell(r: PeriodResult, key: str, places: int = 6) -> Cell:
    """One of the close's fractions (0.0164) printed as a percentage (1.640000), to
    ``places`` decimals half-up, with its trace."""
    f = r.figures[key]
    return Cell(money.round_places(f.value * 100, places), Trace(f.rule, f.basis, f.formula))


def yes_no(r: PeriodResult, key: str, words: tuple[str, str] = ("Yes", "No")) -> Cell:
    """One of the close's yes/no figures (1 or 0) in words, with its trace."""
    f = r.figures[key]
    return Cell(words[0] if f.value else words[1], Trace(f.rule, f.basis, f.formula))


def amount(c: Cell) -> Decimal:
    """A cell's value as a Decimal (0 for text or blank cells)."""
    v = c.value
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int):
        return Decimal(v)
    return ZERO


def value_section(key: str, title: str, items: Iterable[tuple[str, str, Cell]]) -> Section:
    """A one-column section: a row per (key, label, cell), the column headed "Amount"."""
    rows = tuple(Row(k, label, {"value": c}) for k, label, c in items)
    return Section(key, title, {"value": "Amount"}, rows)
