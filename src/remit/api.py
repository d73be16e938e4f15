"""The Python API for notebooks and scripts: load a deal directory, close dates.

A deal directory holds ``deal.toml`` and ``remittances/YYYY-MM-DD.toml``, one per
distribution date. Closing a date closes every earlier date first, in order, from the
closing state, so that each period starts from the one before it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from remit.close import DealState, PeriodResult, close, initial_state
from remit.close.close import expected_date
from remit.errors import REQUEST, Problem, RemitError
from remit.money import ZERO
from remit.remittance import Remittance, load_remittance
from remit.spec import DealSpec
from remit.spec.load import load_deal_spec

if TYPE_CHECKING:
    from remit.statement import Cell, Statement


class ClosedPeriod(PeriodResult):
    """A closed period as the notebook API returns it: the close's result, with its
    statement to certificateholders one attribute away (built on first use)."""

    @classmethod
    def of(cls, result: PeriodResult) -> ClosedPeriod:
        return cls(**{f.name: getattr(result, f.name) for f in fields(result) if f.init})

    @cached_property
    def statement(self) -> Statement:
        """The statement to certificateholders: a view over the ledger and the state."""
        from remit.statement import build_statement

        return build_statement(self)

    def _repr_html_(self) -> str:
        """The period in a notebook: the pool, and each class's distribution and balance as
        the statement prints them."""
        from html import escape

        st, prior, summary = self.state, self.prior, self.statement.section("distribution_summary")
        cols = ("interest_distribution", "principal_distribution")
        rows = "".join(
            f"<tr><th style='text-align:left'>{escape(name)}</th>"
            + "".join(
                f"<td style='text-align:right'>{v:,.2f}</td>"
                for v in (
                    prior.classes[name].balance,
                    *(_amount(summary.row(name).cells.get(c)) for c in cols),
                    st.classes[name].balance,
                )
            )
            + "</tr>"
            for name in self.classes
            if name in {r.key for r in summary.rows}
        )
        return (
            f"<div><b>{escape(self.spec.deal.id)} {self.distribution_date.isoformat()}</b>, "
            f"period {st.period}: pool {prior.pool_balance:,.2f} to {st.pool_balance:,.2f} "
            f"({st.loan_count:,d} loans); {len(self.ledger.postings)} ledger postings"
            "<table><thead><tr><th>class</th><th>beginning balance</th><th>interest</th>"
            "<th>principal</th><th>ending balance</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            "<small>.statement for the statement, .ledger for the postings</small></div>"
        )


def _amount(cell: Cell | None) -> Decimal:
    value = None if cell is None else cell.value
    return value if isinstance(value, Decimal) else ZERO


@dataclass(repr=False)
class Deal:
    """A deal directory: its spec and the remittances it carries."""

    path: Path
    spec: DealSpec
    remittance_files: dict[date, Path] = field(default_factory=dict)

    def __repr__(self) -> str:
        dates = sorted(self.remittance_files)
        span = f"{dates[0].isoformat()} to {dates[-1].isoformat()}" if dates else "none"
        return (
            f"<Deal {self.spec.deal.id} ({self.spec.family}) at {self.path}: "
            f"{len(self.spec.classes)} classes, {len(dates)} remittances ({span})>"
        )

    def remittance(self, when: date) -> Remittance:
        f = self.remittance_files.get(when)
        if f is None:
            raise self.missing(when)
        return load_remittance(f)

    def missing(self, when: date) -> RemitError:
        """The error for a distribution date without its remittance file."""
        dates = sorted(self.remittance_files)
        if not dates:
            has = "none"
        elif len(dates) <= 6:
            has = ", ".join(d.isoformat() for d in dates)
        else:
            has = f"{len(dates)} dates, {dates[0].isoformat()} to {dates[-1].isoformat()}"
        return RemitError.one(
            str(self.path / "remittances" / f"{when.isoformat()}.toml"),
            "",
            "(missing)",
            f"the servicer's remittance for {when.isoformat()}, a distribution date of the "
            f"deal (the deal directory has remittances for: {has})",
        )

    def close(self, when: date | str, prior: DealState | None = None) -> ClosedPeriod:
        """Close the distribution date ``when`` (see :func:`close_date`)."""
        return close_date(self, when, prior)

    def close_all(self, until: date | str | None = None) -> list[ClosedPeriod]:
        """Close every date of the deal in order, from closing to ``until`` (default: the
        last remittance), each from the one before: one ClosedPeriod a date."""
        dates = sorted(self.remittance_files)
        last = parse_date(until, "until") if until is not None else (dates[-1] if dates else None)
        if last is None:
            raise self.missing(expected_date(self.spec, initial_state(self.spec)))
        out: list[ClosedPeriod] = []
        state: DealState | None = None
        while not out or out[-1].distribution_date < last:
            start = state or initial_state(self.spec)
            out.append(close_date(self, expected_date(self.spec, start), state))
            state = out[-1].state
        return out


def load_deal(path: str | Path) -> Deal:
    """Load and validate ``deal.toml``; index ``remittances/*.toml`` by their date."""
    root = Path(path)
    spec = load_deal_spec(root)
    files: dict[date, Path] = {}
    problems: list[Problem] = []
    rem_dir = root / "remittances"
    if rem_dir.is_dir():
        for f in sorted(rem_dir.glob("*.toml")):
            try:
                files[date.fromisoformat(f.stem)] = f
            except ValueError:
                problems.append(Problem(str(f), "", f.name, "a file named YYYY-MM-DD.toml"))
    if problems:
        raise RemitError(problems)
    return Deal(root, spec, files)


def parse_date(value: date | str, what: str = "date", source: str = REQUEST) -> date:
    """A date given as a date or as YYYY-MM-DD text; else a RemitError naming ``source`` (who
    gave it: by default :data:`~remit.errors.REQUEST`, an argument of the caller) and
    ``what``."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RemitError.one(source, what, value, "a date YYYY-MM-DD") from None


def close_date(deal: Deal, when: date | str, prior: DealState | None = None) -> ClosedPeriod:
    """Close the distribution date ``when``: from ``prior`` if given, else from closing,
    closing every earlier date of the deal in order first. A date in between without its
    remittance is reported missing; a date that is not one of the deal's distribution dates
    is refused, naming the dates around it."""
    target = parse_date(when)
    state = prior or initial_state(deal.spec)
    if state.distribution_date is not None and target <= state.distribution_date:
        raise RemitError.one(
            REQUEST,
            "date",
            target.isoformat(),
            f"a date after the prior state's {state.distribution_date.isoformat()}",
        )
    while True:
        d = expected_date(deal.spec, state)
        if d > target:
            raise RemitError.one(
                REQUEST,
                "date",
                target.isoformat(),
                f"a distribution date of the deal (the one after "
                f"{(state.distribution_date or deal.spec.dates.closing).isoformat()} is "
                f"{d.isoformat()})",
            )
        f = deal.remittance_files.get(d)
        if f is None:
            raise deal.missing(d)
        result = close(deal.spec, state, load_remittance(f), source=str(f))
        if d == target:
            return ClosedPeriod.of(result)
        state = result.state


def close_from_tape(spec: DealSpec, tape: str | Path, when: date | str) -> ClosedPeriod:
    """Close ``when`` from a loan tape: every date from the first is collected from the tape
    (:func:`remit.collateral.collect`) and closed in order."""
    from remit.collateral import collect

    target = parse_date(when)
    state = initial_state(spec)
    while True:
        d = expected_date(spec, state)
        if d > target:
            raise RemitError.one(
                REQUEST, "date", target.isoformat(), "a distribution date of the deal"
            )
        result = close(spec, state, collect(spec, tape, d, state), source=f"{tape} ({d})")
        if d == target:
            return ClosedPeriod.of(result)
        state = result.state
