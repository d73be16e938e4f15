"""The use cases: what a front end (the command line, the coming web site) can do with a deal.

Each is a function taking typed arguments. A use case that writes opens the store, reads what
it needs under the deal's write lock, runs the pure :func:`remit.close.close` (or the audit's
statement reader), and writes the outcome in that one transaction; anything wrong raises a
:class:`~remit.errors.RemitError` first and nothing is written. The store underneath is
persistence only (:mod:`remit.store`); the words a front end uses (options, commands) are the
front end's: a refused argument is a problem whose file is :data:`~remit.errors.REQUEST` and
whose path is the argument's name here (``date``, ``restate``, ``reason``), and a refusal
that has a remedy is a :class:`Refused` the front end can reword.

* closing: :func:`close_into_store` (a deal directory into a store, from its remittances or a
  loan tape), :func:`close_period` (into an open store), :func:`close_in_memory` (no store),
  :func:`check_deal` (every date of a deal directory), :func:`explain_figure`;
* published statements: :func:`import_published`, :func:`import_statement`, :func:`diff`,
  :func:`diff_stored`;
* the history: :func:`reproduce`, :func:`deals`, :func:`history`, :func:`period`,
  :func:`export`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection

from remit import money
from remit.api import Deal, close_date, close_from_tape, load_deal, parse_date
from remit.audit.diff import StatementDiff, diff_statements
from remit.audit.published import prepare, read_file
from remit.close import DealState, PeriodResult, close, initial_state
from remit.close.close import expected_date
from remit.errors import REQUEST, Problem, RemitError
from remit.records import ReadStatement, StoredPeriod
from remit.remittance import parse_remittance
from remit.spec import DealSpec, parse_spec
from remit.spec.load import read_text
from remit.statement import Statement, build_statement
from remit.store import DealSummary, HistoryRow, ImportResult, Reproduction, Store, resolve_url
from remit.store.published import insert_import
from remit.store.records import ClassPoint, DelinquencyPoint, NewPeriod, PeriodHead
from remit.store.write import insert_period, period_heads, stored_state

# ---- refusals ------------------------------------------------------------------------------


class Refused(RemitError):
    """A request the deal's stored history refuses, with its remedy: ``why`` it is refused and
    the ``remedy`` in the use cases' own terms, for a front end to word in its own
    (:meth:`with_remedy`)."""

    def __init__(self, argument: str, value: object, why: str, remedy: str) -> None:
        self.argument, self.value, self.why, self.remedy = argument, value, why, remedy
        super().__init__([Problem(REQUEST, argument, value, f"{why}; {remedy}")])

    def with_remedy(self, remedy: str) -> RemitError:
        """The same refusal with the remedy worded by a front end."""
        return RemitError([Problem(REQUEST, self.argument, self.value, f"{self.why}; {remedy}")])


class AlreadyClosed(Refused):
    """The date was closed already; a restatement (with a reason) would close it again."""

    def __init__(self, deal_id: str, head: PeriodHead) -> None:
        self.head = head
        closed_at = head.closed_at.isoformat(timespec="seconds")
        super().__init__(
            "date",
            head.distribution_date.isoformat(),
            f"a date of {deal_id} not yet closed: it was closed (version {head.version}, by "
            f"{head.closed_by} at {closed_at})",
            "to restate it, restate it with a reason",
        )


class StaleFirst(Refused):
    """A date is stale after a restatement of an earlier one: ``stale`` must be closed again
    (restated) before the requested date."""

    def __init__(self, deal_id: str, requested: object, stale: date) -> None:
        self.stale = stale
        super().__init__(
            "date",
            requested,
            f"{stale.isoformat()} of {deal_id} closed again first: it is stale after a restatement",
            f"restate {stale.isoformat()} first",
        )


# ---- closing -------------------------------------------------------------------------------

RemittanceSource = Callable[[date, DealState], tuple[str, str]]
"""Gives the remittance for a date, from the prior state: (TOML text, where it came from)."""


@dataclass(frozen=True)
class Outputs:
    """What a close shows: its statement (EDGAR text and JSON), ledger and closing state."""

    statement_text: str
    statement_json: str
    ledger_json: str
    state_json: str

    def files(self) -> dict[str, str]:
        """The files a close writes, by name."""
        return {
            "statement.txt": self.statement_text,
            "statement.json": self.statement_json,
            "ledger.json": self.ledger_json,
            "state.json": self.state_json,
        }

    @classmethod
    def of_stored(cls, p: StoredPeriod) -> Outputs:
        return cls(p.statement_text, p.statement_json, p.ledger_json, _state_json(p.state))


def _state_json(state: DealState) -> str:
    return json.dumps(state.to_dict(), indent=2) + "\n"


def _ledger_json(result: PeriodResult) -> str:
    return json.dumps(result.ledger.to_list(), indent=2) + "\n"


def render(result: PeriodResult, amended: bool) -> tuple[Statement, str, str]:
    """The statement of a close and its EDGAR and JSON renderings."""
    st = build_statement(result)
    if amended:
        st = replace(st, amended=True)
    return st, st.to_edgar(), st.to_json()


def close_in_memory(deal_dir: str | Path, when: date | str, *, tape: Path | None = None) -> Outputs:
    """Close ``when`` without a store: every date of the deal from the first, in order, from
    its remittances (or collected from the loan tape directory ``tape``)."""
    deal = load_deal(deal_dir)
    target = parse_date(when)
    result = close_date(deal, target) if tape is None else close_from_tape(deal.spec, tape, target)
    _, text, js = render(result, amended=False)
    return Outputs(text, js, _ledger_json(result), _state_json(result.state))


def check_deal(deal: Deal) -> Iterator[tuple[date, DealState]]:
    """Close every date of a deal directory in sequence, in memory: each date and its closing
    state as it is closed (the first bad remittance raises)."""
    state: DealState | None = None
    for d in sorted(deal.remittance_files):
        state = close_date(deal, d, state).state
        yield d, state


def explain_figure(
    deal_dir: str | Path, when: date | str, section: str, row: str, column: str
) -> str:
    """The rule, its basis, the arithmetic and the ledger postings behind one figure of a
    date's statement (closed in memory)."""
    from remit.explain import explain

    result = close_date(load_deal(deal_dir), parse_date(when))
    return explain(result, build_statement(result), section, row, column)


def remittance_from_tape(spec: DealSpec, tape: str | Path) -> RemittanceSource:
    """Remittances collected from a loan tape directory, as stored TOML text."""
    from remit.collateral import collect, remittance_to_toml

    def source(when: date, prior: DealState) -> tuple[str, str]:
        rem = collect(spec, tape, when, prior)
        return remittance_to_toml(rem), f"{tape} (loan tape, {when.isoformat()})"

    return source


@dataclass(frozen=True)
class Plan:
    """Which date a close is for, in which version, from which stored prior period."""

    target: date
    version: int
    prior_id: int | None
    prior: DealState


def _restated_head(
    spec: DealSpec, heads: dict[date, PeriodHead], target: date, restate: bool
) -> PeriodHead:
    """The stored head a restatement of ``target`` replaces; refused unless restating, and
    unless the date before it is current."""
    existing = heads[target]
    if not restate:
        raise AlreadyClosed(spec.deal.id, existing)
    earlier = [d for d in heads if d < target]
    if earlier and heads[max(earlier)].stale:
        raise StaleFirst(spec.deal.id, target.isoformat(), max(earlier))
    return existing


def plan_close(conn: Connection, spec: DealSpec, target: date | None, restate: bool) -> Plan:
    """Choose the date (``None``: the next one), its version and its prior state from the
    stored periods of the deal, refusing a date closed already (unless restating), a date out
    of sequence, and any new date while later periods are stale after a restatement."""
    deal_id = spec.deal.id
    heads = {h.distribution_date: h for h in period_heads(conn, deal_id)}
    if target is not None and target in heads:
        version = _restated_head(spec, heads, target, restate).version + 1
        earlier = [d for d in heads if d < target]
        prior_head = heads[max(earlier)] if earlier else None
    else:
        if restate:
            expected = f"a date of {deal_id} already closed (nothing to restate)"
            raise RemitError.one(REQUEST, "restate", str(target), expected)
        stale = sorted(d for d, h in heads.items() if h.stale)
        if stale:
            raise StaleFirst(deal_id, str(target or "next"), stale[0])
        prior_head = heads[max(heads)] if heads else None
        version = 1
    prior = initial_state(spec) if prior_head is None else stored_state(conn, prior_head.id)
    following = expected_date(spec, prior)
    if target is None:
        target = following
    elif version == 1 and target != following:
        last = prior.distribution_date.isoformat() if prior.distribution_date else "none"
        raise RemitError.one(
            REQUEST,
            "date",
            target.isoformat(),
            f"{following.isoformat()}, the next date of {deal_id} to close "
            f"(last closed: {last}); dates close in sequence",
        )
    return Plan(target, version, prior_head.id if prior_head is not None else None, prior)


def _amount(st: Statement, section: str, row: str, column: str) -> Decimal:
    value = st.value(section, row, column)
    if not isinstance(value, Decimal):
        raise TypeError(f"expected an amount at {section}/{row}/{column}, found {value!r}")
    return value


def _class_points(
    spec: DealSpec, plan: Plan, result: PeriodResult, st: Statement
) -> tuple[ClassPoint, ...]:
    """Each class of the period as the history keeps it, in the spec's order."""
    points = []
    for c in spec.classes:
        cs = result.state.classes[c.name]
        points.append(
            ClassPoint(
                name=c.name,
                original_face=c.original_balance,
                beginning_balance=plan.prior.classes[c.name].balance,
                interest_distribution=_amount(
                    st, "distribution_summary", c.name, "interest_distribution"
                ),
                principal_distribution=_amount(
                    st, "distribution_summary", c.name, "principal_distribution"
                ),
                realized_loss=_amount(
                    st, "distribution_summary_2", c.name, "current_realized_loss"
                ),
                ending_balance=cs.balance,
                factor=money.ratio(cs.balance, c.original_balance),
                unpaid_interest=cs.unpaid_interest,
                basis_risk_carryforward=cs.basis_risk_carryforward,
                unpaid_realized_loss=cs.unpaid_realized_loss,
                cumulative_realized_loss=cs.cumulative_realized_loss,
            )
        )
    return tuple(points)


@dataclass(frozen=True)
class _Inputs:
    """A close's inputs as stored: the spec's and the remittance's exact text."""

    spec_text: str
    remittance_source: str
    remittance_text: str
    reason: str | None


def new_period(spec: DealSpec, plan: Plan, inputs: _Inputs, result: PeriodResult) -> NewPeriod:
    """The record the store keeps of a close: inputs, outputs as rendered, figures."""
    st, edgar, js = render(result, amended=plan.version > 1)
    state, rem = result.state, result.remittance
    pr = rem.principal
    return NewPeriod(
        deal_id=spec.deal.id,
        deal_name=spec.deal.name,
        distribution_date=plan.target,
        version=plan.version,
        period=state.period,
        prior_id=plan.prior_id,
        reason=inputs.reason,
        spec_text=inputs.spec_text,
        remittance_source=inputs.remittance_source,
        remittance_text=inputs.remittance_text,
        ledger_json=_ledger_json(result),
        state_json=_state_json(state),
        statement_text=edgar,
        statement_json=js,
        pool_beginning=plan.prior.pool_balance,
        pool_ending=state.pool_balance,
        count_beginning=plan.prior.loan_count,
        count_ending=state.loan_count,
        scheduled_principal=pr.scheduled_principal,
        unscheduled_principal=pr.unscheduled_principal,
        realized_losses=pr.realized_losses,
        cumulative_loss=state.cumulative_loss,
        classes=_class_points(spec, plan, result, st),
        delinquency=tuple(
            DelinquencyPoint(c.status, c.bucket, c.count, c.balance) for c in rem.delinquency
        ),
    )


def close_into(
    conn: Connection,
    deal: Deal,
    spec: DealSpec,
    spec_text: str,
    target: date | None,
    restate: bool,
    reason: str | None,
    remittance_from: RemittanceSource | None = None,
) -> int:
    """Close the period in the open, locked transaction ``conn`` and store it; the new
    period's id. The remittance is the deal directory's file for the date, or the TOML text
    ``remittance_from(date, prior_state)`` gives (e.g. collected from a loan tape)."""
    plan = plan_close(conn, spec, target, restate)
    if remittance_from is None:
        rem_path = deal.remittance_files.get(plan.target)
        if rem_path is None:
            deal.remittance(plan.target)  # raises, listing the dates the deal directory has
            raise AssertionError("unreachable")
        rem_text, rem_source = read_text(rem_path), str(rem_path)
    else:
        rem_text, rem_source = remittance_from(plan.target, plan.prior)
    result = close(spec, plan.prior, parse_remittance(rem_text, rem_source), source=rem_source)
    inputs = _Inputs(spec_text, rem_source, rem_text, reason)
    return insert_period(conn, new_period(spec, plan, inputs, result))


def _restatement(when: date | str, restate: bool, reason: str | None) -> date | None:
    """The date to close (None: the next one), refusing a restatement without a reason or of
    the next date, and a reason without a restatement."""
    if restate and not (reason and reason.strip()):
        raise RemitError.one(REQUEST, "reason", reason or "(missing)", "a reason to restate")
    if reason and not restate:
        raise RemitError.one(
            REQUEST, "reason", reason, "a restatement with it (a reason is given only to restate)"
        )
    target = None if when == "next" else parse_date(when)
    if target is None and restate:
        raise RemitError.one(REQUEST, "restate", "next", "a date to restate (not the next date)")
    return target


def close_period(
    store: Store,
    deal: Deal,
    when: date | str = "next",
    *,
    restate: bool = False,
    reason: str | None = None,
    remittance_from: RemittanceSource | None = None,
) -> StoredPeriod:
    """Close ``when`` (a date, or ``"next"``: the date after the last one stored) from the
    stored prior state, and store it. The remittance is the deal directory's, unless
    ``remittance_from`` gives it. A date already closed is refused unless ``restate`` with a
    ``reason``: then it is stored as a new version, its statement marked amended, and every
    later period of the deal flagged stale until it is closed again."""
    target = _restatement(when, restate, reason)
    spec_path = deal.path / "deal.toml"
    spec_text = read_text(spec_path)
    spec = parse_spec(spec_text, str(spec_path))
    deal_id = spec.deal.id
    with store.deal_transaction(
        deal_id,
        f"{deal_id} {target or 'next'}",
        "a date no other process closed at the same time (it just did: see the deal's history)",
    ) as conn:
        pid = close_into(conn, deal, spec, spec_text, target, restate, reason, remittance_from)
    return store.period_by_id(pid)


def _new_sqlite_file(url: str | None) -> Path | None:
    """The SQLite file the URL names, if it does not exist yet."""
    u = resolve_url(url)
    if not u.startswith("sqlite") or ":memory:" in u:
        return None
    path = Path(u.split(":///", 1)[1]) if ":///" in u else None
    return path if path is not None and not path.exists() else None


def _check_first_close(deal: Deal, when: date | str, source: RemittanceSource | None) -> None:
    """A store that does not exist yet is created only by a close that succeeds: check the
    first close in memory before the file is made (bad input writes nothing)."""
    start = initial_state(deal.spec)
    first = expected_date(deal.spec, start)
    if when != "next" and parse_date(when) != first:
        raise RemitError.one(
            REQUEST,
            "date",
            str(when),
            f"{first.isoformat()}, the deal's first date (the store is new)",
        )
    if source is None:
        close_date(deal, first)
    else:
        text, name = source(first, start)
        close(deal.spec, start, parse_remittance(text, name), source=name)


def close_into_store(
    deal_dir: str | Path,
    when: date | str | Literal["next"] = "next",
    *,
    restate: bool = False,
    reason: str | None = None,
    url: str | None = None,
    tape: str | Path | None = None,
) -> StoredPeriod:
    """Load the deal directory, open the store (made if new) and close ``when`` into it. With
    ``tape``, the remittance is collected from that loan tape directory (see
    :mod:`remit.collateral`) instead of read from the deal directory."""
    deal = load_deal(deal_dir)
    _restatement(when, restate, reason)
    source = None if tape is None else remittance_from_tape(deal.spec, tape)
    if _new_sqlite_file(url) is not None:
        _check_first_close(deal, when, source)
    with Store.open(url) as store:
        return close_period(
            store, deal, when, restate=restate, reason=reason, remittance_from=source
        )


def reproduce(
    store: Store, deal_id: str, when: date | str, version: int | None = None
) -> Reproduction:
    """Close a stored period again from its stored inputs alone."""
    stored = store.period(deal_id, when, version)
    spec_text, rem_text, source, prior = store.inputs(stored.id)
    spec = parse_spec(spec_text, f"(stored spec {stored.spec_sha256[:12]})")
    rem = parse_remittance(rem_text, source)
    result = close(spec, prior or initial_state(spec), rem, source=source)
    _, edgar, js = render(result, amended=stored.amended)
    return Reproduction(stored, edgar, js)


# ---- published statements ------------------------------------------------------------------


def import_statement(
    store: Store, deal: Deal | DealSpec, source: Path | bytes, *, name: str | None = None
) -> ImportResult:
    """Import a published statement of ``deal`` (a file, or its bytes named ``name``) beside
    its period: read and checked in memory first (RemitError, nothing written), then stored
    with every cell under the deal's write lock. The same file again is not stored twice
    (``created`` False); another file for the date is the next version. The period need not
    be closed."""
    spec = deal.spec if isinstance(deal, Deal) else deal
    if isinstance(source, Path):
        read = prepare(spec, read_file(source), name or str(source))
    else:
        read = prepare(spec, source, name or "<statement>")
    return _store_import(store, read)


def _store_import(store: Store, read: ReadStatement) -> ImportResult:
    """Store a statement :func:`~remit.audit.published.prepare` read and checked."""
    with store.deal_transaction(
        read.deal_id,
        f"{read.deal_id} {read.distribution_date.isoformat()}",
        "an import no other process made at the same time (it just did: import it again)",
    ) as conn:
        iid, created = insert_import(conn, read)
    return ImportResult(store.import_by_id(iid), created)


def import_published(
    file: str | Path, deal_dir: str | Path, *, url: str | None = None
) -> ImportResult:
    """Load the deal directory, read and check the statement file, then open the store (made
    if new) and import it: a file that cannot be read, or is not a statement of the deal,
    fails before the store is opened, so that nothing is written."""
    deal = load_deal(deal_dir)
    path = Path(file)
    read = prepare(deal.spec, read_file(path), str(path))
    with Store.open(url) as store:
        return _store_import(store, read)


def diff(
    store: Store,
    deal_id: str,
    when: date | str,
    version: int | None = None,
    published_version: int | None = None,
) -> StatementDiff:
    """Our stored statement for a date (the current version unless ``version``) against the
    published one (the latest import unless ``published_version``), cell by cell."""
    ours = store.period(deal_id, when, version)
    theirs = store.published(deal_id, when, published_version)
    return diff_statements(ours, theirs)


def diff_stored(
    url: str | None,
    deal_id: str,
    when: date | str,
    version: int | None = None,
    published_version: int | None = None,
) -> StatementDiff:
    """:func:`diff` in the existing store at ``url``."""
    with Store.open(url, create=False) as store:
        return diff(store, deal_id, when, version, published_version)


# ---- the history ---------------------------------------------------------------------------


def deals(url: str | None) -> list[DealSummary]:
    """Every deal in the existing store at ``url``."""
    with Store.open(url, create=False) as store:
        return store.deals()


def history(url: str | None, deal_id: str) -> list[HistoryRow]:
    """Every stored period and version of a deal, in date and version order."""
    with Store.open(url, create=False) as store:
        return store.history(deal_id)


def period(url: str | None, deal_id: str, when: date | str, version: int | None) -> StoredPeriod:
    """A stored period: the latest version of the date unless ``version``."""
    with Store.open(url, create=False) as store:
        return store.period(deal_id, when, version)


def export(url: str | None, deal_id: str, out: Path) -> list[Path]:
    """Write the deal's time series (latest versions) as Parquet files into ``out``."""
    from remit.store.export import write_parquet

    return write_parquet(history(url, deal_id), out)


__all__ = [
    "AlreadyClosed",
    "Outputs",
    "Plan",
    "Refused",
    "RemittanceSource",
    "StaleFirst",
    "close_in_memory",
    "close_into",
    "close_into_store",
    "close_period",
    "deals",
    "diff",
    "diff_stored",
    "export",
    "history",
    "import_published",
    "import_statement",
    "new_period",
    "period",
    "plan_close",
    "remittance_from_tape",
    "render",
    "reproduce",
]
