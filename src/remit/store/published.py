"""Published statements stored beside the periods: the inserts and loads of an import.

An import is read and checked in memory first (:mod:`remit.audit.published`); then one
transaction under the deal's write lock stores the file (name, sha256, text), who imported it
and when, and every cell as printed with its exact value (:func:`insert_import`).

The same file imported again for the deal and date is not stored twice: the import that holds
it is returned. A different file for the same date is stored as the next import version; the
latest version is *the* published statement of the date. No closed period is needed: a
deal's published history may be loaded before remit closes its first date.

Exact values follow the store's conventions (:mod:`remit.store.types`): money cells in
``amount`` (to the cent), rates, factors and counts in ``number`` (to 8 decimals); a printed
number that does not fit its column exactly keeps only its printed text, which is always
stored and is what :attr:`~remit.records.PublishedCell.value` reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session

import remit
from remit.errors import RemitError
from remit.records import PublishedCell, PublishedStatement, ReadStatement
from remit.store.models import DealRow, PeriodRow, PublishedCellRow, PublishedRow
from remit.store.records import utc
from remit.store.write import who

PS = PublishedRow
PC = PublishedCellRow


def insert_import(conn: Connection, p: ReadStatement) -> tuple[int, bool]:
    """Store a prepared import in the open, locked transaction ``conn``: (its id, True), or
    (the id of the import that holds the same file already, False)."""
    same = conn.execute(
        select(PS.id).where(
            PS.deal_id == p.deal_id,
            PS.distribution_date == p.distribution_date,
            PS.file_sha256 == p.file_sha256,
        )
    ).scalar()
    if same is not None:
        return int(same), False
    now = datetime.now(UTC)
    if conn.execute(select(DealRow.id).where(DealRow.id == p.deal_id)).first() is None:
        conn.execute(insert(DealRow).values(id=p.deal_id, name=p.deal_name, created_at=now))
    last = conn.execute(
        select(func.max(PS.version)).where(
            PS.deal_id == p.deal_id, PS.distribution_date == p.distribution_date
        )
    ).scalar()
    iid = conn.execute(
        insert(PS)
        .values(
            deal_id=p.deal_id,
            distribution_date=p.distribution_date,
            record_date=p.record_date,
            version=(last or 0) + 1,
            file_name=p.file_name,
            file_sha256=p.file_sha256,
            text=p.text,
            cell_count=len(p.cells),
            code_version=remit.__version__,
            imported_by=who(),
            imported_at=now,
        )
        .returning(PS.id)
    ).scalar_one()
    rows = [
        {
            "import_id": iid,
            "section": c.section,
            "row_key": c.row,
            "column_key": c.column,
            "position": i,
            "line": c.line,
            "format": c.format,
            "printed": c.printed,
            "amount": c.amount,
            "number": c.number,
        }
        for i, c in enumerate(p.cells)
    ]
    if rows:
        conn.execute(insert(PC), rows)
    return int(iid), True


def load_import(conn: Session, iid: int) -> PublishedStatement:
    """A stored import with its cells, in the order they were read."""
    r = conn.execute(select(PS).where(PS.id == iid)).scalar_one()
    latest = conn.execute(
        select(func.max(PS.version)).where(
            PS.deal_id == r.deal_id, PS.distribution_date == r.distribution_date
        )
    ).scalar_one()
    cells = tuple(
        PublishedCell(
            c.section, c.row_key, c.column_key, c.printed, c.format, c.line, c.amount, c.number
        )
        for c in conn.execute(select(PC).where(PC.import_id == iid).order_by(PC.position)).scalars()
    )
    return PublishedStatement(
        id=r.id,
        deal_id=r.deal_id,
        distribution_date=r.distribution_date,
        record_date=r.record_date,
        version=r.version,
        current=r.version == latest,
        file_name=r.file_name,
        file_sha256=r.file_sha256,
        imported_by=r.imported_by,
        imported_at=utc(r.imported_at),
        code_version=r.code_version,
        text=r.text,
        cells=cells,
    )


def listed_dates(conn: Session, table: type[PS] | type[PeriodRow], deal_id: str) -> str:
    """The distinct dates a table holds for a deal, for a message ('none' when empty)."""
    dates = conn.execute(
        select(table.distribution_date)
        .where(table.deal_id == deal_id)
        .distinct()
        .order_by(table.distribution_date)
    ).scalars()
    return ", ".join(d.isoformat() for d in dates) or "none"


def find_import(
    conn: Session, where: str, deal_id: str, when: date, version: int | None = None
) -> int:
    """The id of the deal's import for ``when``: the latest unless ``version``; RemitError
    naming what there is when there is none."""
    versions = dict(
        conn.execute(
            select(PS.version, PS.id).where(PS.deal_id == deal_id, PS.distribution_date == when)
        ).all()
    )
    if not versions:
        listed = listed_dates(conn, PS, deal_id)
        raise RemitError.one(
            where,
            "date",
            when.isoformat(),
            f"a date of {deal_id} with an imported published statement (imported: {listed})",
        )
    if version is None:
        version = max(versions)
    if version not in versions:
        raise RemitError.one(
            where,
            "published_version",
            version,
            f"an imported version of {deal_id} {when.isoformat()} ({sorted(versions)})",
        )
    return int(versions[version])
