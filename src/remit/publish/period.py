"""A stored period made whole again for publishing: the stored record, the close re-run from
the stored inputs (spec, remittance, prior state) and its statement model.

The stored EDGAR text is what was filed; the statement model rebuilt here must render to it
exactly, or the period is refused (the code that would render it is not the code that
closed it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from remit.close import PeriodResult, close, initial_state
from remit.errors import RemitError
from remit.remittance import parse_remittance
from remit.spec import parse_spec
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
    """A period read from the store, closed again from its stored inputs."""
    deal_id = stored.deal_id
    spec_text, rem_text, source, prior = store.inputs(stored.id)
    spec = parse_spec(spec_text, f"(stored spec {stored.spec_sha256[:12]})")
    rem = parse_remittance(rem_text, source)
    result = close(spec, prior or initial_state(spec), rem, source=source)
    st = build_statement(result)
    if stored.amended:
        st = replace(st, amended=True)
    if st.to_edgar() != stored.statement_text:
        raise RemitError.one(
            store.where,
            f"{deal_id} {stored.distribution_date.isoformat()} version {stored.version}",
            f"closed by remit {stored.code_version}",
            "a period this version of remit reproduces (close it again with --restate)",
        )
    return Published(stored, result, st)


def extended(store: Store, published: Published) -> Statement:
    """The period's statement with the extended sections (Regulation AB Item 1121) after the
    classic ones; life figures from the deal's earlier stored months."""
    from remit.publish.history import prior_performance
    from remit.statement.extended import extended_sections

    prior = prior_performance(store, published.deal_id, published.distribution_date)
    more = extended_sections(published.result, prior)
    return replace(published.statement, sections=published.statement.sections + tuple(more))
