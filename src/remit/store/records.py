"""What the store returns: a stored period, a deal's summary, a history row with its
classes, a reproduction of a stored period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from remit.close import DealState

Z = Decimal("0.00")
NINETY_PLUS = ("90", "120", "150", "180+")
DELINQUENCY = ("30", "60", "90+", "60+", "bankruptcy", "foreclosure", "reo")


def utc(when: datetime) -> datetime:
    """A timestamp read back from the store, in UTC (SQLite keeps no zone)."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@dataclass(frozen=True)
class StoredPeriod:
    """One stored close: a distribution date of a deal, in one version."""

    id: int
    deal_id: str
    distribution_date: date
    version: int
    period: int
    current: bool
    amended: bool
    stale: bool
    reason: str | None
    prior_id: int | None
    closed_by: str
    closed_at: datetime
    code_version: str
    spec_sha256: str
    remittance_source: str
    remittance_sha256: str
    statement_sha256: str
    statement_text: str
    statement_json: str
    ledger_json: str
    state: DealState


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
