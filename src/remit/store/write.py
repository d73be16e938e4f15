"""Closing a period into the store, inside one transaction that holds the deal's lock.

The clock and the user name are read here, never in the close."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select, update

import remit
from remit import money
from remit.api import Deal
from remit.close import DealState, PeriodResult, close, initial_state
from remit.close.close import expected_date
from remit.errors import RemitError
from remit.spec.models import DealSpec
from remit.statement import build_statement
from remit.statement.model import Statement
from remit.store.inputs import parse_remittance, read_text, sha256
from remit.store.models import DealRow, PeriodClassRow, PeriodDelinquencyRow, PeriodRow, SpecRow
from remit.store.records import utc

CMD = "(command line)"
P = PeriodRow
C = PeriodClassRow
D = PeriodDelinquencyRow


def who() -> str:
    """The user closing, for the audit trail."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return os.environ.get("USER") or f"uid {os.getuid()}"


def _dec(value: object) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"expected an amount, found {value!r}")
    return value


def render(result: PeriodResult, amended: bool) -> tuple[Statement, str, str]:
    """The statement of a close and its EDGAR and JSON renderings."""
    st = build_statement(result)
    if amended:
        st = replace(st, amended=True)
    return st, st.to_edgar(), st.to_json()


@dataclass(frozen=True)
class Plan:
    """Which date a close is for, in which version, from which stored prior period."""

    target: date
    version: int
    prior_id: int | None
    prior: DealState


def plan_close(conn: Connection, spec: DealSpec, target: date | None, restate: bool) -> Plan:
    """Choose the date (``None``: the next one), its version and its prior state from the
    stored periods of the deal, refusing a date closed already (unless restating), a date out
    of sequence, and any new date while later periods are stale after a restatement."""
    deal_id = spec.deal.id
    rows = conn.execute(
        select(P.id, P.distribution_date, P.version, P.stale, P.closed_by, P.closed_at)
        .where(P.deal_id == deal_id)
        .order_by(P.distribution_date, P.version)
    ).all()
    current: dict[date, Any] = {r.distribution_date: r for r in rows}
    stale = sorted(d for d, r in current.items() if r.stale)

    def state_of(row: Any) -> DealState:
        if row is None:
            return initial_state(spec)
        text = conn.execute(select(P.state_json).where(P.id == row.id)).scalar_one()
        return DealState.from_dict(json.loads(text))

    def refuse_stale() -> None:
        if stale:
            raise RemitError.one(
                CMD,
                "date",
                str(target or "next"),
                f"{stale[0].isoformat()} of {deal_id} closed again first: it is stale "
                f"after a restatement (remit store-close --date {stale[0].isoformat()} "
                "--restate --reason ...)",
            )

    if target is not None and target in current:
        existing = current[target]
        if not restate:
            raise RemitError.one(
                CMD,
                "date",
                target.isoformat(),
                f"a date of {deal_id} not yet closed: it was closed (version "
                f"{existing.version}, by {existing.closed_by} at "
                f"{utc(existing.closed_at).isoformat(timespec='seconds')}); "
                "to restate it give --restate --reason",
            )
        earlier = [d for d in current if d < target]
        prior_row = current[max(earlier)] if earlier else None
        if prior_row is not None and prior_row.stale:
            raise RemitError.one(
                CMD,
                "date",
                target.isoformat(),
                f"{prior_row.distribution_date.isoformat()} closed again first: it is "
                "stale after a restatement",
            )
        version = existing.version + 1
    else:
        if restate:
            raise RemitError.one(
                CMD,
                "--restate",
                str(target),
                f"a date of {deal_id} already closed (nothing to restate)",
            )
        refuse_stale()
        prior_row = current[max(current)] if current else None
        version = 1
    prior = state_of(prior_row)
    if target is None:
        target = expected_date(spec, prior)
    elif version == 1 and target != expected_date(spec, prior):
        last = prior.distribution_date.isoformat() if prior.distribution_date else "none"
        raise RemitError.one(
            CMD,
            "date",
            target.isoformat(),
            f"{expected_date(spec, prior).isoformat()}, the next date of {deal_id} to close "
            f"(last closed: {last}); dates close in sequence",
        )
    return Plan(target, version, prior_row.id if prior_row is not None else None, prior)


RemittanceSource = Callable[[date, DealState], tuple[str, str]]
"""Gives the remittance for a date, from the prior state: (TOML text, where it came from)."""


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
    target = plan.target
    if remittance_from is None:
        rem_path = deal.remittance_files.get(target)
        if rem_path is None:
            deal.remittance(target)  # raises, listing the dates the deal directory has
            raise AssertionError("unreachable")
        rem_text, rem_source = read_text(rem_path), str(rem_path)
    else:
        rem_text, rem_source = remittance_from(target, plan.prior)
    rem = parse_remittance(rem_text, rem_source)
    result = close(spec, plan.prior, rem, source=rem_source)
    rendered = render(result, amended=plan.version > 1)
    return insert_period(
        conn, spec, spec_text, plan, rem_source, rem_text, result, rendered, reason
    )


def insert_period(
    conn: Connection,
    spec: DealSpec,
    spec_text: str,
    plan: Plan,
    rem_source: str,
    rem_text: str,
    result: PeriodResult,
    rendered: tuple[Statement, str, str],
    reason: str | None,
) -> int:
    """Insert the deal (first time), the spec text (first use), the period with its inputs,
    outputs and audit fields, its classes and its delinquency; after a restatement flag the
    later periods stale."""
    deal_id, target, version, prior = spec.deal.id, plan.target, plan.version, plan.prior
    rem = result.remittance
    st, edgar, js = rendered
    now = datetime.now(UTC)
    if conn.execute(select(DealRow.id).where(DealRow.id == deal_id)).first() is None:
        conn.execute(insert(DealRow).values(id=deal_id, name=spec.deal.name, created_at=now))
    spec_hash = sha256(spec_text)
    if conn.execute(select(SpecRow.sha256).where(SpecRow.sha256 == spec_hash)).first() is None:
        conn.execute(insert(SpecRow).values(sha256=spec_hash, text=spec_text))
    state = result.state
    pr = rem.principal
    pid = conn.execute(
        insert(P)
        .values(
            deal_id=deal_id,
            distribution_date=target,
            version=version,
            period_no=state.period,
            prior_id=plan.prior_id,
            amended=version > 1,
            stale=False,
            reason=reason if version > 1 else None,
            spec_sha256=spec_hash,
            remittance_source=rem_source,
            remittance_text=rem_text,
            remittance_sha256=sha256(rem_text),
            ledger_json=json.dumps(result.ledger.to_list(), indent=2) + "\n",
            state_json=json.dumps(state.to_dict(), indent=2) + "\n",
            statement_text=edgar,
            statement_json=js,
            statement_sha256=sha256(edgar),
            code_version=remit.__version__,
            closed_by=who(),
            closed_at=now,
            pool_beginning=prior.pool_balance,
            pool_ending=state.pool_balance,
            count_beginning=prior.loan_count,
            count_ending=state.loan_count,
            scheduled_principal=pr.scheduled_principal,
            unscheduled_principal=pr.unscheduled_principal,
            realized_losses=pr.realized_losses,
            cumulative_loss=state.cumulative_loss,
        )
        .returning(P.id)
    ).scalar_one()
    class_rows = []
    for i, c in enumerate(spec.classes):
        cs = state.classes[c.name]
        class_rows.append(
            {
                "period_id": pid,
                "class_name": c.name,
                "position": i,
                "original_face": c.original_balance,
                "beginning_balance": prior.classes[c.name].balance,
                "interest_distribution": _dec(
                    st.value("distribution_summary", c.name, "interest_distribution")
                ),
                "principal_distribution": _dec(
                    st.value("distribution_summary", c.name, "principal_distribution")
                ),
                "realized_loss": _dec(
                    st.value("distribution_summary_2", c.name, "current_realized_loss")
                ),
                "ending_balance": cs.balance,
                "factor": money.ratio(cs.balance, c.original_balance),
                "unpaid_interest": cs.unpaid_interest,
                "basis_risk_carryforward": cs.basis_risk_carryforward,
                "unpaid_realized_loss": cs.unpaid_realized_loss,
                "cumulative_realized_loss": cs.cumulative_realized_loss,
            }
        )
    conn.execute(insert(C), class_rows)
    if rem.delinquency:
        conn.execute(
            insert(D),
            [
                {
                    "period_id": pid,
                    "status": cell.status,
                    "bucket": cell.bucket,
                    "count": cell.count,
                    "balance": cell.balance,
                }
                for cell in rem.delinquency
            ],
        )
    if version > 1:
        conn.execute(
            update(P)
            .where(P.deal_id == deal_id, P.distribution_date > target, P.stale.is_(False))
            .values(stale=True)
        )
    return int(pid)
