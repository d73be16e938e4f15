"""Reading a stored period back whole, inside a transaction: every text it keeps against the
sha256 stored beside it, its state decoded, and its summary rows against its state.

A close starts from the prior stored period; before it builds on it, it reads it back here
(:func:`check_whole`). A period whose texts no longer match their hashes, whose state cannot be
read, or whose class rows disagree with its state is damage (a disk error, a hand edit, a
restore gone wrong): the close is refused, naming the period and what differs, and nothing is
written. A period just inserted is read back the same way before the commit."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import MultipleResultsFound, NoResultFound

from remit.close import DealState
from remit.errors import Problem, RemitError
from remit.records import StoredPeriod
from remit.store.models import PeriodClassRow, PeriodRow, SpecRow
from remit.store.records import utc

P = PeriodRow
C = PeriodClassRow
REMEDY = "the store is damaged: restore it from a backup; nothing was written"


#: what reading a stored value that does not decode raises (text where a date is, a state
#: that is not JSON, a row another refers to gone)
DECODE_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    ArithmeticError,
    NoResultFound,
    MultipleResultsFound,
)


def damaged(where: str, what: str, exc: BaseException) -> RemitError:
    """A stored value that does not read back, as a located problem."""
    return RemitError.one(
        where, what, f"{type(exc).__name__}: {str(exc)[:100]}", f"a value that reads back; {REMEDY}"
    )


#: what a period row and a class point must hold (NULL in any is damage)
HISTORY_FIELDS = (
    "deal_id",
    "distribution_date",
    "version",
    "period_no",
    "closed_at",
    "pool_beginning",
    "pool_ending",
    "count_ending",
    "scheduled_principal",
    "unscheduled_principal",
    "realized_losses",
    "cumulative_loss",
)
CLASS_FIELDS = (
    "name",
    "original_face",
    "beginning_balance",
    "interest_distribution",
    "principal_distribution",
    "realized_loss",
    "ending_balance",
    "factor",
)


def require(row: Any, names: tuple[str, ...]) -> None:
    """Refuse a stored row missing a value it must hold (ValueError: damage)."""
    missing = [n for n in names if getattr(row, n, None) is None]
    if missing:
        raise ValueError(f"a stored row lacks {', '.join(missing)}")


def sha256_of(text: str) -> str:
    """Hex sha256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_mismatches(r: Any) -> list[tuple[str, str, str]]:
    """(field, sha256 of what is stored, sha256 stored beside it) for each text of a period
    row that no longer matches its hash."""
    pairs = [
        ("remittance_text", r.remittance_text, r.remittance_sha256),
        ("statement_text", r.statement_text, r.statement_sha256),
        ("statement_json", r.statement_json, r.statement_json_sha256),
        ("state_json", r.state_json, r.state_sha256),
        ("ledger_json", r.ledger_json, r.ledger_sha256),
    ]
    out = []
    for field, text, stored in pairs:
        # every period has its hashes (revision 0003 gave the older ones theirs, and a store
        # is brought to the head revision when it is opened): a missing one is damage
        found = sha256_of(text) if isinstance(text, str) else "(not text)"
        if found != stored:
            out.append((field, found, "(missing)" if stored is None else stored))
    return out


def _hashes(conn: Connection, r: Any) -> list[tuple[str, str, str]]:
    """Each text of a period (its spec's too) that does not match the sha256 beside it."""
    spec = conn.execute(select(SpecRow.text).where(SpecRow.sha256 == r.spec_sha256)).scalar()
    found = sha256_of(spec) if isinstance(spec, str) else "(missing)"
    wrong = [("spec", found, r.spec_sha256)] if found != r.spec_sha256 else []
    return wrong + text_mismatches(r)


def _state(r: Any) -> DealState:
    try:
        return DealState.from_dict(json.loads(r.state_json))
    except DECODE_ERRORS as exc:
        raise ValueError(f"state_json cannot be read ({type(exc).__name__})") from None


def _summary(r: Any, state: DealState, classes: dict[str, Decimal]) -> list[tuple[str, object]]:
    """(field, what is stored) for each summary column that disagrees with the state."""
    wrong: list[tuple[str, object]] = []
    for name, stored, expected in (
        ("deal_id", r.deal_id, state.deal_id),
        ("distribution_date", r.distribution_date, state.distribution_date),
        ("pool_ending", r.pool_ending, state.pool_balance),
        ("count_ending", r.count_ending, state.loan_count),
        ("cumulative_loss", r.cumulative_loss, state.cumulative_loss),
    ):
        if stored != expected:
            wrong.append((name, stored))
    if set(classes) != set(state.classes):
        wrong.append(("period_classes", ", ".join(sorted(classes)) or "(none)"))
    else:
        for name, balance in classes.items():
            if balance != state.classes[name].balance:
                wrong.append((f"period_classes[{name}].ending_balance", balance))
    return wrong


def check_whole(conn: Connection, where: str, pid: int) -> StoredPeriod:
    """The stored period ``pid``, read back in the open transaction ``conn`` and checked whole;
    RemitError (located at the store, naming the period and each field that differs) when it
    is damaged."""
    label = f"period {pid}"
    try:
        r = conn.execute(select(P).where(P.id == pid)).one_or_none()
        if r is None:
            raise RemitError.one(where, label, "(missing)", f"the stored period; {REMEDY}")
        label = f"{r.deal_id} {r.distribution_date.isoformat()} version {r.version}"
        problems = [
            Problem(
                where,
                f"{label}: {field}",
                f"sha256 {found[:16]}...",
                f"the sha256 stored with it, {stored[:16]}...; {REMEDY}",
            )
            for field, found, stored in _hashes(conn, r)
        ]
        if problems:
            raise RemitError(problems)
        state = _state(r)
        rows = conn.execute(select(C.class_name, C.ending_balance).where(C.period_id == pid))
        classes = {name: balance for name, balance in rows.all()}
    except DECODE_ERRORS as exc:
        raise RemitError.one(
            where, label, str(exc), f"a period that reads back; {REMEDY}"
        ) from None
    wrong = _summary(r, state, classes)
    if wrong:
        raise RemitError(
            [
                Problem(where, f"{label}: {field}", value, f"what its stored state says; {REMEDY}")
                for field, value in wrong
            ]
        )
    return stored_period(r, state, current=True)


def stored_period(r: Any, state: DealState, current: bool) -> StoredPeriod:
    """A period row (already checked) as the record remit works with."""
    return StoredPeriod(
        id=r.id,
        deal_id=r.deal_id,
        distribution_date=r.distribution_date,
        version=r.version,
        period=r.period_no,
        current=current,
        amended=r.amended,
        stale=r.stale,
        reason=r.reason,
        prior_id=r.prior_id,
        closed_by=r.closed_by,
        closed_at=utc(r.closed_at),
        code_version=r.code_version,
        spec_sha256=r.spec_sha256,
        remittance_source=r.remittance_source,
        remittance_sha256=r.remittance_sha256,
        statement_sha256=r.statement_sha256,
        statement_text=r.statement_text,
        statement_json=r.statement_json,
        ledger_json=r.ledger_json,
        state=state,
    )
