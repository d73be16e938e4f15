"""The Python API for notebooks and scripts: load a deal directory, close dates.

A deal directory holds ``deal.toml`` and ``remittances/YYYY-MM-DD.toml``, one per
distribution date. Closing a date closes every earlier date first, in order, from the
closing state, so that each period starts from the one before it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from remit.close import DealState, PeriodResult, close, initial_state
from remit.errors import REQUEST, Problem, RemitError
from remit.remittance import Remittance, load_remittance
from remit.spec import DealSpec, load_spec

if TYPE_CHECKING:
    from remit.statement import Statement


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


@dataclass
class Deal:
    """A deal directory: its spec and the remittances it carries."""

    path: Path
    spec: DealSpec
    remittance_files: dict[date, Path] = field(default_factory=dict)

    def remittance(self, when: date) -> Remittance:
        f = self.remittance_files.get(when)
        if f is None:
            known = ", ".join(d.isoformat() for d in sorted(self.remittance_files)) or "none"
            raise RemitError.one(
                str(self.path / "remittances"),
                "",
                when.isoformat(),
                f"a remittance file for the date (the deal has: {known})",
            )
        return load_remittance(f)

    def close(self, when: date | str, prior: DealState | None = None) -> ClosedPeriod:
        return close_date(self, when, prior)


def load_deal(path: str | Path) -> Deal:
    """Load and validate ``deal.toml``; index ``remittances/*.toml`` by their date."""
    root = Path(path)
    if not root.is_dir():
        raise RemitError.one(str(root), "", "(not a directory)", "a deal directory with deal.toml")
    spec = load_spec(root / "deal.toml")
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
    closing every earlier date of the deal in order first."""
    target = parse_date(when)
    state = prior or initial_state(deal.spec)
    dated = sorted(d for d in deal.remittance_files if d <= target)
    if target not in deal.remittance_files:
        deal.remittance(target)  # raises: no remittance for the date
    result: PeriodResult | None = None
    for d in dated:
        if state.distribution_date is not None and d <= state.distribution_date:
            continue
        f = deal.remittance_files[d]
        result = close(deal.spec, state, load_remittance(f), source=str(f))
        state = result.state
    if result is None:
        raise RemitError.one(
            REQUEST,
            "date",
            target.isoformat(),
            f"a date after the prior state's {state.distribution_date}",
        )
    return ClosedPeriod.of(result)


def close_from_tape(spec: DealSpec, tape: str | Path, when: date | str) -> ClosedPeriod:
    """Close ``when`` from a loan tape: every date from the first is collected from the tape
    (:func:`remit.collateral.collect`) and closed in order."""
    from remit.close.close import expected_date
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
