"""Closing: a deal directory's date into the store (from its remittances or a loan tape, the
next date or a restatement), in memory, every date of a deal in turn; one figure explained;
a stored period closed again from its stored inputs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Literal, Protocol

from sqlalchemy import Connection

from remit import limits
from remit.api import Deal, close_date, close_from_tape, load_deal, parse_date
from remit.audit.verify import self_check
from remit.close import DealState, PeriodResult, close, initial_state
from remit.errors import Problem, RemitError
from remit.records import StoredPeriod
from remit.remittance import parse_remittance
from remit.spec import DealSpec, parse_spec
from remit.spec.load import read_text
from remit.statement import Statement, build_statement
from remit.store import Reproduction, Store
from remit.store.engine import display
from remit.store.integrity import check_whole
from remit.store.newfile import build_new, new_sqlite_path
from remit.store.records import NewPeriod
from remit.store.write import insert_period, period_heads, stored_statement, who
from remit.workflows.plan import Plan, Unchanged, check_restatement, plan_close
from remit.workflows.record import (
    Outputs,
    PeriodInputs,
    ledger_json,
    new_period,
    render,
    state_json,
)

RemittanceSource = Callable[[date, DealState], tuple[str, str]]
"""Gives the remittance for a date, from the prior state: (TOML text, where it came from)."""


def close_in_memory(deal_dir: str | Path, when: date | str, *, tape: Path | None = None) -> Outputs:
    """Close ``when`` without a store: every date of the deal from the first, in order, from
    its remittances (or collected from the loan tape directory ``tape``)."""
    deal = load_deal(deal_dir)
    target = parse_date(when)
    result = close_date(deal, target) if tape is None else close_from_tape(deal.spec, tape, target)
    _, text, js = render(result, amended=False)
    self_check(text, f"{deal.spec.deal.id} {target.isoformat()}", deal.spec.residual_classes)
    return Outputs(text, js, ledger_json(result), state_json(result.state))


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
    date's statement, closed in memory from the deal directory (a date not stored)."""
    from remit.statement.explain import explain

    result = close_date(load_deal(deal_dir), parse_date(when))
    return explain(result, build_statement(result), section, row, column)


def explain_stored(
    url: str | None,
    deal_id: str,
    when: date | str,
    section: str,
    row: str,
    column: str,
    version: int | None = None,
) -> str:
    """The explanation of one figure of a STORED period (the latest version unless
    ``version``; closed from remittances or a loan tape alike): its value, trace and ledger
    postings as stored, so that it agrees with the stored statement figure for figure."""
    from remit.statement.explain import explain, ledger_from_json, with_stored_cells

    with Store.open(url, create=False) as store:
        stored = store.period(deal_id, when, version)
        _, st = reclose(store, stored)
    return explain(
        ledger_from_json(stored.ledger_json),
        with_stored_cells(st, stored.statement_json),
        section,
        row,
        column,
    )


def reclose(store: Store, stored: StoredPeriod) -> tuple[PeriodResult, Statement]:
    """A stored period closed again from its stored inputs (spec, remittance, prior state),
    and its statement. RemitError when this code does not reproduce the stored statement text
    (it was closed by another version of remit: restate it to close it with this one)."""
    spec_text, rem_text, source, prior = store.inputs(stored.id)
    spec = parse_spec(spec_text, f"(stored spec {stored.spec_sha256[:12]})")
    rem = parse_remittance(rem_text, source)
    result = close(spec, prior or initial_state(spec), rem, source=source)
    st, edgar, _ = render(result, amended=stored.amended)
    if edgar != stored.statement_text:
        raise RemitError.one(
            store.where,
            f"{stored.deal_id} {stored.distribution_date.isoformat()} version {stored.version}",
            f"closed by remit {stored.code_version}",
            "a period this version of remit reproduces (restate it to close it again)",
        )
    return result, st


def remittance_from_tape(spec: DealSpec, tape: str | Path) -> RemittanceSource:
    """Remittances collected from a loan tape directory, as stored TOML text."""
    from remit.collateral import collect, remittance_to_toml

    def source(when: date, prior: DealState) -> tuple[str, str]:
        rem = collect(spec, tape, when, prior)
        return remittance_to_toml(rem), f"{tape} (loan tape, {when.isoformat()})"

    return source


class Staged(Protocol):
    """What a front end prepared from a close's outputs before the store commits (files
    written to temporary names, say): ``commit`` completes it once the period is stored
    (renaming them into place), ``abort`` undoes it when the period is not."""

    def commit(self) -> None: ...

    def abort(self) -> None: ...


Stage = Callable[[Outputs], Staged]
"""Prepares a front end's output of a close inside its transaction, before the commit; raising
(a RemitError: the directory cannot be written, say) refuses the close: nothing is stored."""


class StoredAnyway(RemitError):
    """The period was stored, but completing a front end's staged output after the commit
    failed: the problems say so plainly (the close must not be repeated)."""

    def __init__(self, stored: StoredPeriod, cause: RemitError) -> None:
        self.stored = stored
        what = f"{stored.deal_id} {stored.distribution_date.isoformat()} version {stored.version}"
        super().__init__(
            replace(
                p,
                expected=f"{p.expected} -- NOTE: the period WAS stored ({what}); do not close "
                "it again: its statement, ledger and state are in the store",
            )
            for p in cause.problems
        )


def deal_id_problems(deal_id: str, spec_source: str) -> list[Problem]:
    """A deal id longer than the store keeps, as a problem of the spec."""
    if len(deal_id) <= limits.MAX_DEAL_ID:
        return []
    return [
        Problem(
            spec_source,
            "deal.id",
            deal_id,
            f"a deal id of at most {limits.MAX_DEAL_ID} characters (the store's limit)",
        )
    ]


def storable_problems(deal_id: str, spec_source: str) -> list[Problem]:
    """What the store keeps must fit it: the deal id, and the user name recorded with a close
    or an import, within the limits of :mod:`remit.limits` (class names are the spec's)."""
    problems = deal_id_problems(deal_id, spec_source)
    user = who()
    if len(user) > limits.MAX_USER:
        problems.append(
            Problem(
                "(environment)",
                "user",
                user,
                f"a user name of at most {limits.MAX_USER} characters (LOGNAME or USER), "
                "recorded as who closed or imported",
            )
        )
    return problems


def check_storable(record: NewPeriod, spec_source: str) -> None:
    """Refuse a record the store cannot keep as it is (:func:`storable_problems`)."""
    problems = storable_problems(record.deal_id, spec_source)
    if problems:
        raise RemitError(problems)


def checked_record(
    spec: DealSpec, plan: Plan, inputs: PeriodInputs, result: PeriodResult, spec_source: str
) -> NewPeriod:
    """Everything about a close that can fail, done before the store is written: the statement
    rendered (EDGAR text and JSON), the record of what is stored, its values within what the
    store holds, and the rendered statement read back and found consistent by every identity
    ``remit verify`` checks (:func:`remit.audit.verify.self_check`): whatever raises here
    refuses the close, and nothing is stored."""
    record = new_period(spec, plan, inputs, result)
    check_storable(record, spec_source)
    self_check(record.statement_text, inputs.remittance_source, spec.residual_classes)
    return record


def close_into(
    conn: Connection,
    deal: Deal,
    spec: DealSpec,
    spec_text: str,
    target: date | None,
    restate: bool,
    reason: str | None,
    remittance_from: RemittanceSource | None = None,
    *,
    where: str | None = None,
    force: bool = False,
) -> StoredPeriod:
    """Close the period in the open, locked transaction ``conn`` and store it; the period as
    stored, read back whole. The remittance is the deal directory's file for the date, or the
    TOML text ``remittance_from(date, prior_state)`` gives (e.g. collected from a loan tape).
    The prior stored period is read back whole before anything is closed from it. A
    restatement whose statement is the stored one's is refused (:class:`Unchanged`) unless
    ``force``."""
    spec_source = str(deal.path / "deal.toml")
    store_where = where or display(conn.engine.url)
    plan = plan_close(conn, spec, target, restate, where=store_where, spec_source=spec_source)
    if remittance_from is None:
        rem_path = deal.remittance_files.get(plan.target)
        if rem_path is None:
            deal.remittance(plan.target)  # raises, listing the dates the deal directory has
            raise AssertionError("unreachable")
        rem_text, rem_source = read_text(rem_path), str(rem_path)
    else:
        rem_text, rem_source = remittance_from(plan.target, plan.prior)
    result = close(spec, plan.prior, parse_remittance(rem_text, rem_source), source=rem_source)
    if plan.version > 1 and not force:
        _refuse_unchanged(conn, spec, plan.target, result)
    inputs = PeriodInputs(spec_text, rem_source, rem_text, reason)
    record = checked_record(spec, plan, inputs, result, spec_source)
    return check_whole(conn, store_where, insert_period(conn, record))


def _close_staged(
    store: Store,
    deal: Deal,
    when: date | str,
    restate: bool,
    reason: str | None,
    remittance_from: RemittanceSource | None,
    stage: Stage | None,
    force: bool = False,
) -> tuple[StoredPeriod, Staged | None]:
    """Close and store in one transaction, the front end's output staged before the commit;
    the period stored and what was staged (to commit). Anything raised before the commit
    aborts what was staged, and nothing is stored."""
    target = check_restatement(when, restate, reason)
    spec_path = deal.path / "deal.toml"
    spec_text = read_text(spec_path)
    spec = parse_spec(spec_text, str(spec_path))
    deal_id = spec.deal.id
    staged: Staged | None = None
    try:
        with store.deal_transaction(
            deal_id,
            f"{deal_id} {target or 'next'}",
            "a date no other process closed at the same time (it just did: see the deal's history)",
        ) as conn:
            stored = close_into(
                conn,
                deal,
                spec,
                spec_text,
                target,
                restate,
                reason,
                remittance_from,
                where=store.where,
                force=force,
            )
            if stage is not None:
                staged = stage(Outputs.of_stored(stored))
    except BaseException:
        if staged is not None:
            staged.abort()
        raise
    return stored, staged


def _finish(stored: StoredPeriod, staged: Staged | None) -> StoredPeriod:
    """Complete what was staged, after the commit: a failure says the period was stored."""
    if staged is not None:
        try:
            staged.commit()
        except RemitError as exc:
            raise StoredAnyway(stored, exc) from None
    return stored


def _refuse_unchanged(conn: Connection, spec: DealSpec, when: date, result: PeriodResult) -> None:
    """A restatement must change the statement: Unchanged when the close gives the stored
    version's statement exactly (rendered as that version was: amended or not). A stale
    period is closed again whatever it gives: that is what clears it."""
    head = next(h for h in period_heads(conn, spec.deal.id) if h.distribution_date == when)
    if head.stale:
        return
    text, amended = stored_statement(conn, head.id)
    if render(result, amended=amended)[1] == text:
        raise Unchanged(spec.deal.id, head)


def close_period(
    store: Store,
    deal: Deal,
    when: date | str = "next",
    *,
    restate: bool = False,
    reason: str | None = None,
    remittance_from: RemittanceSource | None = None,
    stage: Stage | None = None,
    force: bool = False,
) -> StoredPeriod:
    """Close ``when`` (a date, or ``"next"``: the date after the last one stored) from the
    stored prior state, and store it. The remittance is the deal directory's, unless
    ``remittance_from`` gives it. A date already closed is refused unless ``restate`` with a
    ``reason``: then it is stored as a new version, its statement marked amended, and every
    later period of the deal flagged stale until it is closed again. A restatement that would
    not change the statement is refused unless ``force``. ``stage`` prepares a front end's
    output before the commit (see :data:`Stage`)."""
    stored, staged = _close_staged(
        store, deal, when, restate, reason, remittance_from, stage, force
    )
    return _finish(stored, staged)


def close_into_store(
    deal_dir: str | Path,
    when: date | str | Literal["next"] = "next",
    *,
    restate: bool = False,
    reason: str | None = None,
    url: str | None = None,
    tape: str | Path | None = None,
    stage: Stage | None = None,
    force: bool = False,
) -> StoredPeriod:
    """Load the deal directory, open the store and close ``when`` into it. With ``tape``, the
    remittance is collected from that loan tape directory (see :mod:`remit.collateral`)
    instead of read from the deal directory. A SQLite store that does not exist yet is made
    only by a close that succeeds (:func:`remit.store.newfile.build_new`): a failed close
    leaves no file. ``stage`` prepares a front end's output before the commit."""
    deal = load_deal(deal_dir)
    check_restatement(when, restate, reason)
    source = None if tape is None else remittance_from_tape(deal.spec, tape)
    new = new_sqlite_path(url)
    if new is not None:

        def work(store: Store) -> tuple[StoredPeriod, Staged | None]:
            return _close_staged(store, deal, when, restate, reason, source, stage, force)

        (stored, staged), placed = build_new(url, new, work)
        if placed:
            return _finish(stored, staged)
        if staged is not None:  # another process made the store meanwhile: close into it
            staged.abort()
    with Store.open(url) as store:
        return close_period(
            store,
            deal,
            when,
            restate=restate,
            reason=reason,
            remittance_from=source,
            stage=stage,
            force=force,
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
