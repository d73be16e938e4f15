"""Writing a closed period, inside one transaction that holds the deal's lock: the reads that
plan it (the deal's stored dates, a stored state) and the inserts that store it.

The clock and the user name are read here, never in the close. What to close, and whether a
date may be closed, is the use case's decision (:mod:`remit.workflows`)."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update

import remit
from remit.close import DealState
from remit.store.models import DealRow, PeriodClassRow, PeriodDelinquencyRow, PeriodRow, SpecRow
from remit.store.records import NewPeriod, PeriodHead

P = PeriodRow
C = PeriodClassRow
D = PeriodDelinquencyRow


def who() -> str:
    """The user closing, for the audit trail."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return os.environ.get("USER") or f"uid {os.getuid()}"


def sha256(text: str) -> str:
    """Hex sha256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def period_heads(conn: Connection, deal_id: str) -> list[PeriodHead]:
    """The latest version of every stored date of the deal, in date order."""
    rows = conn.execute(
        select(P.id, P.distribution_date, P.version, P.stale, P.closed_by, P.closed_at)
        .where(P.deal_id == deal_id)
        .order_by(P.distribution_date, P.version)
    ).all()
    latest = {r.distribution_date: r for r in rows}
    return [PeriodHead(*latest[d]) for d in sorted(latest)]


def stored_state(conn: Connection, period_id: int) -> DealState:
    """The closing state stored with a period."""
    text = conn.execute(select(P.state_json).where(P.id == period_id)).scalar_one()
    return DealState.from_dict(json.loads(text))


def stored_statement(conn: Connection, period_id: int) -> tuple[str, bool]:
    """The EDGAR text stored with a period, and whether it was marked amended."""
    row = conn.execute(select(P.statement_text, P.amended).where(P.id == period_id)).one()
    return str(row[0]), bool(row[1])


def _ensure_deal(conn: Connection, deal_id: str, name: str, now: datetime) -> None:
    if conn.execute(select(DealRow.id).where(DealRow.id == deal_id)).first() is None:
        conn.execute(insert(DealRow).values(id=deal_id, name=name, created_at=now))


def insert_period(conn: Connection, new: NewPeriod) -> int:
    """Insert the deal (first time), the spec text (first use), the period with its inputs,
    outputs and audit fields, its classes and its delinquency; after a restatement (a version
    after the first) flag the deal's later periods stale. The new period's id."""
    now = datetime.now(UTC)
    _ensure_deal(conn, new.deal_id, new.deal_name, now)
    spec_hash = sha256(new.spec_text)
    if conn.execute(select(SpecRow.sha256).where(SpecRow.sha256 == spec_hash)).first() is None:
        conn.execute(insert(SpecRow).values(sha256=spec_hash, text=new.spec_text))
    restated = new.version > 1
    pid = conn.execute(
        insert(P)
        .values(
            deal_id=new.deal_id,
            distribution_date=new.distribution_date,
            version=new.version,
            period_no=new.period,
            prior_id=new.prior_id,
            amended=restated,
            stale=False,
            reason=new.reason if restated else None,
            spec_sha256=spec_hash,
            remittance_source=new.remittance_source,
            remittance_text=new.remittance_text,
            remittance_sha256=sha256(new.remittance_text),
            ledger_json=new.ledger_json,
            state_json=new.state_json,
            statement_text=new.statement_text,
            statement_json=new.statement_json,
            statement_sha256=sha256(new.statement_text),
            code_version=remit.__version__,
            closed_by=who(),
            closed_at=now,
            pool_beginning=new.pool_beginning,
            pool_ending=new.pool_ending,
            count_beginning=new.count_beginning,
            count_ending=new.count_ending,
            scheduled_principal=new.scheduled_principal,
            unscheduled_principal=new.unscheduled_principal,
            realized_losses=new.realized_losses,
            cumulative_loss=new.cumulative_loss,
        )
        .returning(P.id)
    ).scalar_one()
    _insert_details(conn, pid, new)
    if restated:
        conn.execute(
            update(P)
            .where(
                P.deal_id == new.deal_id,
                P.distribution_date > new.distribution_date,
                P.stale.is_(False),
            )
            .values(stale=True)
        )
    return int(pid)


def _insert_details(conn: Connection, pid: int, new: NewPeriod) -> None:
    """The period's class rows (in the spec's order) and delinquency cells."""
    conn.execute(
        insert(C),
        [
            {
                "period_id": pid,
                "class_name": c.name,
                "position": i,
                "original_face": c.original_face,
                "beginning_balance": c.beginning_balance,
                "interest_distribution": c.interest_distribution,
                "principal_distribution": c.principal_distribution,
                "realized_loss": c.realized_loss,
                "ending_balance": c.ending_balance,
                "factor": c.factor,
                "unpaid_interest": c.unpaid_interest,
                "basis_risk_carryforward": c.basis_risk_carryforward,
                "unpaid_realized_loss": c.unpaid_realized_loss,
                "cumulative_realized_loss": c.cumulative_realized_loss,
            }
            for i, c in enumerate(new.classes)
        ],
    )
    if new.delinquency:
        conn.execute(
            insert(D),
            [
                {
                    "period_id": pid,
                    "status": d.status,
                    "bucket": d.bucket,
                    "count": d.count,
                    "balance": d.balance,
                }
                for d in new.delinquency
            ],
        )
