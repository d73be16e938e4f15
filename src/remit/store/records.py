"""What the store takes and returns beside the shared records of :mod:`remit.records`: a
period to insert, the heads of a deal's stored periods, a deal's summary, a history row with
its classes, an import's outcome, a reproduction of a stored period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from remit.records import PublishedStatement, StoredPeriod

NINETY_PLUS = ("90", "120", "150", "180+")
DELINQUENCY = ("30", "60", "90+", "60+", "bankruptcy", "foreclosure", "reo")


def utc(when: datetime) -> datetime:
    """A timestamp read back from the store, in UTC (SQLite keeps no zone)."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DealSummary:
    deal_id: str
    name: str
    dates: int
    versions: int
    first_date: date | None
    last_date: date | None
    stale: int


@dataclass(frozen=True)
class ClassPoint:
    """One class on one stored period."""

    name: str
    original_face: Decimal
    beginning_balance: Decimal
    interest_distribution: Decimal
    principal_distribution: Decimal
    realized_loss: Decimal
    ending_balance: Decimal
    factor: Decimal
    unpaid_interest: Decimal
    basis_risk_carryforward: Decimal
    unpaid_realized_loss: Decimal
    cumulative_realized_loss: Decimal


@dataclass(frozen=True)
class HistoryRow:
    """One stored period and version, as ``remit history`` shows it."""

    deal_id: str
    distribution_date: date
    version: int
    period: int
    current: bool
    amended: bool
    stale: bool
    closed_at: datetime
    pool_beginning: Decimal
    pool_ending: Decimal
    count_ending: int
    scheduled_principal: Decimal
    unscheduled_principal: Decimal
    realized_losses: Decimal
    cumulative_loss: Decimal
    delinquency: dict[str, tuple[int, Decimal]]
    classes: tuple[ClassPoint, ...]


@dataclass(frozen=True)
class Reproduction:
    """A stored period closed again from its stored inputs."""

    stored: StoredPeriod
    statement_text: str
    statement_json: str

    @property
    def identical(self) -> bool:
        return (
            self.statement_text == self.stored.statement_text
            and self.statement_json == self.stored.statement_json
        )


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``created`` False when the same file was imported already (and
    ``published`` is that earlier import)."""

    published: PublishedStatement
    created: bool


@dataclass(frozen=True)
class PeriodHead:
    """The latest version of one stored date of a deal: what planning a close reads."""

    id: int
    distribution_date: date
    version: int
    stale: bool
    closed_by: str
    closed_at: datetime


@dataclass(frozen=True)
class DelinquencyPoint:
    """One delinquency cell of a period's remittance: status, bucket, loans, balance."""

    status: str
    bucket: str
    count: int
    balance: Decimal


@dataclass(frozen=True)
class NewPeriod:
    """A closed period to store, with its inputs as text, its outputs as rendered and the
    figures the history queries read; the store adds the hashes, who and when."""

    deal_id: str
    deal_name: str
    distribution_date: date
    version: int
    period: int
    prior_id: int | None
    reason: str | None
    spec_text: str
    remittance_source: str
    remittance_text: str
    ledger_json: str
    state_json: str
    statement_text: str
    statement_json: str
    pool_beginning: Decimal
    pool_ending: Decimal
    count_beginning: int
    count_ending: int
    scheduled_principal: Decimal
    unscheduled_principal: Decimal
    realized_losses: Decimal
    cumulative_loss: Decimal
    classes: tuple[ClassPoint, ...]
    delinquency: tuple[DelinquencyPoint, ...]
