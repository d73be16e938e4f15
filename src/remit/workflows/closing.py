"""Closing: a deal directory's date into the store (from its remittances or a loan tape, the
next date or a restatement), in memory, every date of a deal in turn; one figure explained;
a stored period closed again from its stored inputs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection

from remit.api import Deal, close_date, close_from_tape, load_deal, parse_date
from remit.audit.verify import self_check
from remit.close import DealState, PeriodResult, close, initial_state
from remit.close.close import expected_date
from remit.errors import REQUEST, RemitError
from remit.records import StoredPeriod
from remit.remittance import parse_remittance
from remit.spec import DealSpec, parse_spec
from remit.spec.load import read_text
from remit.statement import Statement, build_statement
from remit.store import Reproduction, Store, resolve_url
from remit.store.write import insert_period, period_heads, stored_statement
from remit.workflows.plan import Unchanged, check_restatement, plan_close
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
    self_check(text, f"{deal.spec.deal.id} {target.isoformat()}")
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
    force: bool = False,
) -> int:
    """Close the period in the open, locked transaction ``conn`` and store it; the new
    period's id. The remittance is the deal directory's file for the date, or the TOML text
    ``remittance_from(date, prior_state)`` gives (e.g. collected from a loan tape). A
    restatement whose statement is the stored one's is refused (:class:`Unchanged`) unless
    ``force``."""
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
    if plan.version > 1 and not force:
        _refuse_unchanged(conn, spec, plan.target, result)
    inputs = PeriodInputs(spec_text, rem_source, rem_text, reason)
    record = new_period(spec, plan, inputs, result)
    self_check(record.statement_text, rem_source)
    return insert_period(conn, record)


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
    force: bool = False,
) -> StoredPeriod:
    """Close ``when`` (a date, or ``"next"``: the date after the last one stored) from the
    stored prior state, and store it. The remittance is the deal directory's, unless
    ``remittance_from`` gives it. A date already closed is refused unless ``restate`` with a
    ``reason``: then it is stored as a new version, its statement marked amended, and every
    later period of the deal flagged stale until it is closed again. A restatement that would
    not change the statement is refused unless ``force``."""
    target = check_restatement(when, restate, reason)
    spec_path = deal.path / "deal.toml"
    spec_text = read_text(spec_path)
    spec = parse_spec(spec_text, str(spec_path))
    deal_id = spec.deal.id
    with store.deal_transaction(
        deal_id,
        f"{deal_id} {target or 'next'}",
        "a date no other process closed at the same time (it just did: see the deal's history)",
    ) as conn:
        pid = close_into(
            conn, deal, spec, spec_text, target, restate, reason, remittance_from, force=force
        )
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
    result: PeriodResult
    if source is None:
        result, name = close_date(deal, first), str(deal.remittance_files.get(first, first))
    else:
        text, name = source(first, start)
        result = close(deal.spec, start, parse_remittance(text, name), source=name)
    self_check(render(result, amended=False)[1], name)


def close_into_store(
    deal_dir: str | Path,
    when: date | str | Literal["next"] = "next",
    *,
    restate: bool = False,
    reason: str | None = None,
    url: str | None = None,
    tape: str | Path | None = None,
    force: bool = False,
) -> StoredPeriod:
    """Load the deal directory, open the store (made if new) and close ``when`` into it. With
    ``tape``, the remittance is collected from that loan tape directory (see
    :mod:`remit.collateral`) instead of read from the deal directory."""
    deal = load_deal(deal_dir)
    check_restatement(when, restate, reason)
    source = None if tape is None else remittance_from_tape(deal.spec, tape)
    if _new_sqlite_file(url) is not None:
        _check_first_close(deal, when, source)
    with Store.open(url) as store:
        return close_period(
            store, deal, when, restate=restate, reason=reason, remittance_from=source, force=force
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
