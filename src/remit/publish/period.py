"""A stored period made whole again for publishing: the stored record, the close re-run from
the stored inputs (spec, remittance, prior state) and its statement model.

The stored EDGAR text is what was filed; the statement model rebuilt here must render to it
exactly, or the period is refused (the code that would render it is not the code that
closed it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from remit.close import PeriodResult
from remit.statement import Statement, build_statement
from remit.store import Store, StoredPeriod


@dataclass(frozen=True)
class Published:
    """What a renderer needs of one stored period."""

    stored: StoredPeriod
    result: PeriodResult
    statement: Statement

    @property
    def deal_id(self) -> str:
        return self.stored.deal_id

    @property
    def distribution_date(self) -> date:
        return self.stored.distribution_date


def load_period(
    store: Store, deal_id: str, when: date | str, version: int | None = None
) -> Published:
    """The stored period (latest version unless ``version``), closed again from its stored
    inputs. RemitError if the deal or date is not stored, or if this code does not reproduce
    the stored statement."""
    return load_stored(store, store.period(deal_id, when, version))


def load_stored(store: Store, stored: StoredPeriod) -> Published:
    """A period read from the store, closed again from its stored inputs
    (:func:`remit.workflows.reclose`)."""
    from remit.workflows import reclose

    result, st = reclose(store, stored)
    return Published(stored, result, st)


def extended(store: Store, published: Published) -> Statement:
    """The period's extended statement (Regulation AB Item 1121): its classic sections, then
    its family's extended ones, the life figures from the deal's stored history."""
    from remit.publish.history import history_through

    history = history_through(store, published.result)
    st = build_statement(published.result, extended=True, history=history)
    return replace(st, amended=published.statement.amended)
