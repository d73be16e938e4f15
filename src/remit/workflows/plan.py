"""Planning a close into the store: which date, which version, from which stored state --
and the refusals, each naming the argument refused and its remedy in the use cases' terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from remit.api import parse_date
from remit.close import DealState, initial_state
from remit.close.close import expected_date
from remit.errors import REQUEST, Problem, RemitError
from remit.spec import DealSpec
from remit.store.records import PeriodHead
from remit.store.write import period_heads, stored_state


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


class Unchanged(Refused):
    """A restatement whose statement would be the stored one's, figure for figure: nothing to
    amend (a restatement is stored anyway when forced)."""

    def __init__(self, deal_id: str, head: PeriodHead) -> None:
        self.head = head
        super().__init__(
            "restate",
            head.distribution_date.isoformat(),
            f"a restatement that changes the statement: closed again, {deal_id} "
            f"{head.distribution_date.isoformat()} gives exactly the statement of its stored "
            f"version {head.version}, so a new version would amend nothing",
            "to store it anyway, restate it with force",
        )


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


def check_restatement(when: date | str, restate: bool, reason: str | None) -> date | None:
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
