"""What a deal's history holds, as plain frozen records: a stored close and a published
statement with its cells.

The store returns them, the audit compares them, the use cases and the command line pass them
on; none of those import each other to share them. Nothing here touches a file or a
database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from remit.close import DealState
    from remit.statement.model import Value

Key = tuple[str, str, str]
"""A statement cell's (section, row, column), as the statement reader keys it."""


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
class PublishedCell:
    """One cell of a published statement, as printed, with its exact value in the column its
    format takes: ``amount`` (money, to the cent) or ``number`` (rates, factors, counts, to 8
    places); both None for text, or a figure that does not fit either exactly."""

    section: str
    row: str
    column: str
    printed: str
    format: str
    line: int | None = None
    amount: Decimal | None = None
    number: Decimal | None = None

    @property
    def key(self) -> Key:
        return (self.section, self.row, self.column)

    @property
    def value(self) -> Value:
        """The printed text as a value, typed by the cell's format: Decimal, int or str."""
        from remit.statement.reader import typed

        return typed(self.printed, self.format)


@dataclass(frozen=True)
class ReadStatement:
    """A published statement read and checked against its deal, ready to store."""

    deal_id: str
    deal_name: str
    distribution_date: date
    record_date: date | None
    file_name: str
    file_sha256: str
    text: str
    cells: tuple[PublishedCell, ...]


@dataclass(frozen=True)
class PublishedStatement:
    """One stored import of a published statement."""

    id: int
    deal_id: str
    distribution_date: date
    record_date: date | None
    version: int
    current: bool
    file_name: str
    file_sha256: str
    imported_by: str
    imported_at: datetime
    code_version: str
    text: str
    cells: tuple[PublishedCell, ...]

    def cell_map(self) -> dict[Key, PublishedCell]:
        """The cells by (section, row, column)."""
        return {c.key: c for c in self.cells}
