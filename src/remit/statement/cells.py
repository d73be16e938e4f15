"""Cells of the statement and how they are traced to the ledger and the close's figures."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from remit.close.close import PeriodResult
from remit.close.ledger import Ledger, Posting
from remit.spec.models import DealSpec, Interest, Losses, OCSpec, Principal
from remit.statement.model import Cell, Trace

Z = Decimal("0.00")


def posted(postings: Iterable[Posting], rule: str, basis: str = "", sign: int = 1) -> Cell:
    """A cell whose value is the sum of ledger postings (negated when ``sign`` < 0)."""
    ps = tuple(postings)
    total = Ledger.total(ps)
    if sign < 0:
        total = Z - total if total else Z
    bases = sorted({p.basis for p in ps})
    formula = " + ".join(f"{p.amount} ({p.step})" for p in ps) or "no postings"
    return Cell(total, Trace(rule, basis or "; ".join(bases), formula, tuple(p.index for p in ps)))


def fig(value: Decimal | int | str | None, rule: str, basis: str, formula: str = "") -> Cell:
    """A cell holding a figure the close or the remittance gives, with its rule."""
    return Cell(value, Trace(rule, basis, formula))


def figure_trace(r: PeriodResult, key: str) -> Trace:
    f = r.figures[key]
    return Trace(f.rule, f.basis, f.formula)


def amount(c: Cell) -> Decimal:
    """A cell's value as a Decimal (0 for text or blank cells)."""
    v = c.value
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int):
        return Decimal(v)
    return Z


def basis_of(spec: DealSpec, part: str) -> str:
    """The basis the deal gives for a part of its waterfall: 'interest', 'losses' or
    'principal' (an overcollateralization deal's own sections; a senior/subordinate deal's
    shifting-interest rules)."""
    if isinstance(spec, OCSpec):
        section: Interest | Losses | Principal = getattr(spec, part)
        return section.basis
    return spec.shifting_interest.basis
