"""The store's tables. The migration scripts in ``migrations/versions`` create them; these
models describe the latest schema for queries (and are compared with the migrations in tests).

* ``deals``: one row per deal id (the id in the deal spec).
* ``specs``: each distinct deal spec text, by its sha256.
* ``periods``: one row per closed distribution date and version: the inputs as used (spec
  hash, remittance text and hash, the stored prior period), the outputs (ledger, state,
  statement renderings), the audit fields (code version, who, when, why) and summary columns
  for exact SQL aggregates. Each text kept has its sha256 beside it (spec, remittance,
  statement, state, ledger), so that what a close starts from is known to read back whole.
* ``period_classes``: per class and period, the balances, distributions, losses and factor.
* ``period_delinquency``: the remittance's delinquency cells, per period.
* ``published_statements``: each published statement imported (``remit import``), per deal,
  distribution date and import version: the file's name, sha256 and text, who imported it
  and when. It needs no closed period: a deal's published history may be loaded first.
* ``published_cells``: every cell read from an imported statement, as printed, with its
  exact value: ``amount`` (money, to the cent) or ``number`` (rates, factors, counts, to
  8 decimals); both empty for text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from remit.store.types import Count, Day, Exact, Moment, Str


class Base(DeclarativeBase):
    """The store's declarative base."""


class DealRow(Base):
    __tablename__ = "deals"

    id: Mapped[str] = mapped_column(Str(100), primary_key=True)
    name: Mapped[str] = mapped_column(Str())
    created_at: Mapped[datetime] = mapped_column(Moment)


class SpecRow(Base):
    __tablename__ = "specs"

    sha256: Mapped[str] = mapped_column(Str(64), primary_key=True)
    text: Mapped[str] = mapped_column(Str())


class PeriodRow(Base):
    __tablename__ = "periods"
    __table_args__ = (
        UniqueConstraint("deal_id", "distribution_date", "version", name="uq_period_version"),
        Index("ix_periods_deal_date", "deal_id", "distribution_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deal_id: Mapped[str] = mapped_column(ForeignKey("deals.id"))
    distribution_date: Mapped[date] = mapped_column(Day)
    version: Mapped[int] = mapped_column(Count)
    period_no: Mapped[int] = mapped_column(Count)
    prior_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id"), nullable=True)
    amended: Mapped[bool] = mapped_column(Boolean)
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    spec_sha256: Mapped[str] = mapped_column(ForeignKey("specs.sha256"))
    remittance_source: Mapped[str] = mapped_column(Str())
    remittance_text: Mapped[str] = mapped_column(Str())
    remittance_sha256: Mapped[str] = mapped_column(Str(64))
    ledger_json: Mapped[str] = mapped_column(Str())
    state_json: Mapped[str] = mapped_column(Str())
    # the sha256 of state_json, ledger_json and statement_json (revision 0003; filled for the
    # periods stored before it)
    state_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ledger_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    statement_json_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    statement_text: Mapped[str] = mapped_column(Str())
    statement_json: Mapped[str] = mapped_column(Str())
    statement_sha256: Mapped[str] = mapped_column(Str(64))
    code_version: Mapped[str] = mapped_column(Str(40))
    closed_by: Mapped[str] = mapped_column(Str(200))
    closed_at: Mapped[datetime] = mapped_column(Moment)
    pool_beginning: Mapped[Decimal] = mapped_column(Exact(2))
    pool_ending: Mapped[Decimal] = mapped_column(Exact(2))
    count_beginning: Mapped[int] = mapped_column(Count)
    count_ending: Mapped[int] = mapped_column(Count)
    scheduled_principal: Mapped[Decimal] = mapped_column(Exact(2))
    unscheduled_principal: Mapped[Decimal] = mapped_column(Exact(2))
    realized_losses: Mapped[Decimal] = mapped_column(Exact(2))
    cumulative_loss: Mapped[Decimal] = mapped_column(Exact(2))


class PeriodClassRow(Base):
    __tablename__ = "period_classes"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True
    )
    class_name: Mapped[str] = mapped_column(Str(40), primary_key=True)
    position: Mapped[int] = mapped_column(Count)
    original_face: Mapped[Decimal] = mapped_column(Exact(2))
    beginning_balance: Mapped[Decimal] = mapped_column(Exact(2))
    interest_distribution: Mapped[Decimal] = mapped_column(Exact(2))
    principal_distribution: Mapped[Decimal] = mapped_column(Exact(2))
    realized_loss: Mapped[Decimal] = mapped_column(Exact(2))
    ending_balance: Mapped[Decimal] = mapped_column(Exact(2))
    factor: Mapped[Decimal] = mapped_column(Exact(8))
    unpaid_interest: Mapped[Decimal] = mapped_column(Exact(2))
    basis_risk_carryforward: Mapped[Decimal] = mapped_column(Exact(2))
    unpaid_realized_loss: Mapped[Decimal] = mapped_column(Exact(2))
    cumulative_realized_loss: Mapped[Decimal] = mapped_column(Exact(2))


class PeriodDelinquencyRow(Base):
    __tablename__ = "period_delinquency"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(Str(20), primary_key=True)
    bucket: Mapped[str] = mapped_column(Str(10), primary_key=True)
    count: Mapped[int] = mapped_column(Count)
    balance: Mapped[Decimal] = mapped_column(Exact(2))


class PublishedRow(Base):
    __tablename__ = "published_statements"
    __table_args__ = (
        UniqueConstraint("deal_id", "distribution_date", "version", name="uq_published_version"),
        UniqueConstraint("deal_id", "distribution_date", "file_sha256", name="uq_published_file"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deal_id: Mapped[str] = mapped_column(ForeignKey("deals.id"))
    distribution_date: Mapped[date] = mapped_column(Day)
    record_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Count)
    file_name: Mapped[str] = mapped_column(Str())
    file_sha256: Mapped[str] = mapped_column(Str(64))
    text: Mapped[str] = mapped_column(Str())
    cell_count: Mapped[int] = mapped_column(Count)
    code_version: Mapped[str] = mapped_column(Str(40))
    imported_by: Mapped[str] = mapped_column(Str(200))
    imported_at: Mapped[datetime] = mapped_column(Moment)


class PublishedCellRow(Base):
    __tablename__ = "published_cells"

    import_id: Mapped[int] = mapped_column(
        ForeignKey("published_statements.id", ondelete="CASCADE"), primary_key=True
    )
    section: Mapped[str] = mapped_column(Str(), primary_key=True)
    row_key: Mapped[str] = mapped_column(Str(), primary_key=True)
    column_key: Mapped[str] = mapped_column(Str(), primary_key=True)
    position: Mapped[int] = mapped_column(Count)
    line: Mapped[int | None] = mapped_column(Count, nullable=True)
    format: Mapped[str] = mapped_column(Str(12))
    printed: Mapped[str] = mapped_column(Str())
    amount: Mapped[Decimal | None] = mapped_column(Exact(2), nullable=True)
    number: Mapped[Decimal | None] = mapped_column(Exact(8, 28), nullable=True)
