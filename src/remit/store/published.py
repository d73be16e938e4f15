"""Published statements stored beside the periods (``remit import``).

An import reads a published statement (an 8-K or 10-D submission, or the bare exhibit) with
the audit source reader and the statement reader, checks that it is a whole statement of the
deal (its classes' CUSIPs) and finds its distribution date from the dates it prints. All of
that happens in memory, before the store is touched (:func:`prepare`); then one transaction
under the deal's write lock stores the file (name, sha256, text), who imported it and when,
and every cell as printed with its exact value (:func:`insert_import`).

The same file imported again for the deal and date is not stored twice: the import that holds
it is returned. A different file for the same date is stored as the next import version; the
latest version is *the* published statement of the date. No closed period is needed: a
deal's published history may be loaded before remit closes its first date.

Exact values follow the store's conventions (:mod:`remit.store.types`): money cells in
``amount`` (to the cent), rates, factors and counts in ``number`` (to 8 decimals); a printed
number that does not fit its column exactly (more decimals, or out of range) keeps only its
printed text, which is always stored and is what :attr:`PublishedCell.value` reads."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session

import remit
from remit.audit.source import MAX_BYTES, decode, read_statement_file
from remit.audit.verify import check_read
from remit.errors import RemitError
from remit.spec.models import DealSpec
from remit.statement.families import family
from remit.statement.formats import parse_number
from remit.statement.model import Value
from remit.statement.reader import NUMERIC_FORMATS, Key, read, typed
from remit.store.models import DealRow, PeriodRow, PublishedCellRow, PublishedRow
from remit.store.records import utc
from remit.store.write import who

PS = PublishedRow
PC = PublishedCellRow
SHORT_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$")
#: (scale, largest magnitude) of the exact value columns: SQLite keeps them as 64-bit integers
#: of 10^-scale units, PostgreSQL as NUMERIC(20, 2) and NUMERIC(28, 8)
AMOUNT_LIMITS = (2, min(Decimal(10) ** 18, Decimal(2**63 - 1).scaleb(-2)))
NUMBER_LIMITS = (8, min(Decimal(10) ** 20, Decimal(2**63 - 1).scaleb(-8)))


@dataclass(frozen=True)
class PublishedCell:
    """One cell of a published statement, as printed."""

    section: str
    row: str
    column: str
    printed: str
    format: str
    line: int | None = None

    @property
    def key(self) -> Key:
        return (self.section, self.row, self.column)

    @property
    def value(self) -> Value:
        """The printed text as a value, typed by the cell's format: Decimal, int or str."""
        return typed(self.printed, self.format)


@dataclass(frozen=True)
class Prepared:
    """A published statement read and checked, ready to store."""

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


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``created`` False when the same file was imported already (and
    ``published`` is that earlier import)."""

    published: PublishedStatement
    created: bool


def read_file(path: Path) -> bytes:
    """The bytes of a statement file; RemitError (missing, a folder, too large, binary) as
    ``remit verify`` reports them."""
    read_statement_file(path)  # every refusal of the audit source reader
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise RemitError.one(str(path), "", exc.strerror or str(exc), "a readable file") from None
    if len(data) > MAX_BYTES:
        raise RemitError.one(str(path), "", "a file that grew while read", "a statement file")
    return data


def _short_date(text: str | None) -> date | None:
    m = SHORT_DATE.match(text or "")
    if m is None:
        return None
    month, day, year = (int(g) for g in m.groups())
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        return None


def prepare(spec: DealSpec, data: bytes, name: str) -> Prepared:
    """Read a published statement's bytes and check them against the deal: a whole statement,
    a distribution date printed on it and not before the deal's first, and the deal's classes
    (by CUSIP). RemitError, naming the file, for anything else."""
    text = decode(data, name)
    res = read(text)
    check_read(res, name)
    deal_id = spec.deal.id
    printed_date = res.header.get("distribution_date")
    when = _short_date(printed_date)
    if when is None:
        raise RemitError.one(
            name,
            "Distribution Date",
            printed_date or "(not printed)",
            "a 'Distribution Date: M/D/YY' line with a valid date",
        )
    if when < spec.dates.first_distribution:
        raise RemitError.one(
            name,
            "Distribution Date",
            when.isoformat(),
            f"a distribution date of {deal_id} (the first is "
            f"{spec.dates.first_distribution.isoformat()})",
        )
    # the CUSIPs where the statement's layout family prints them; each printed one must be
    # the deal's class of that name (a layout may print none for some classes)
    where = family(res.family).role("certificates.cusip") or ("distribution_summary", "cusip")
    cusips = {
        row: v for (sec, row, col), v in res.cells.items() if (sec, col) == (where[0], where[-1])
    }
    expected = {c.name: c.cusip for c in spec.classes}
    if not cusips or any(expected.get(row) != v for row, v in cusips.items()):
        shown = ", ".join(f"{k} {v}" for k, v in cusips.items()) or "none"
        want = ", ".join(f"{k} {v}" for k, v in expected.items())
        raise RemitError.one(
            name,
            f"{where[0]}/{where[-1]}",
            shown,
            f"the classes of deal {deal_id} ({want}): is this a statement of another deal?",
        )
    cells = tuple(
        PublishedCell(
            sec,
            row,
            col,
            printed,
            res.formats.get((sec, row, col), "text"),
            res.lines.get((sec, row, col)),
        )
        for (sec, row, col), printed in res.cells.items()
    )
    return Prepared(
        deal_id=deal_id,
        deal_name=spec.deal.name,
        distribution_date=when,
        record_date=_short_date(res.header.get("record_date")),
        file_name=name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        cells=cells,
    )


def _fits(v: Decimal, limits: tuple[int, Decimal]) -> bool:
    scale, bound = limits
    return v == v.quantize(Decimal(1).scaleb(-scale)) and abs(v) < bound


def exact_columns(printed: str, fmt: str) -> tuple[Decimal | None, Decimal | None]:
    """(amount, number): a printed figure's exact value in the column its format takes."""
    if fmt not in NUMERIC_FORMATS:
        return None, None
    v = parse_number(printed)
    if v is None or not v.is_finite():
        return None, None
    if fmt == "money" and _fits(v, AMOUNT_LIMITS):
        return v, None
    if _fits(v, NUMBER_LIMITS):
        return None, v
    return None, None


def insert_import(conn: Connection, p: Prepared) -> tuple[int, bool]:
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
    rows = []
    for i, c in enumerate(p.cells):
        amount, number = exact_columns(c.printed, c.format)
        rows.append(
            {
                "import_id": iid,
                "section": c.section,
                "row_key": c.row,
                "column_key": c.column,
                "position": i,
                "line": c.line,
                "format": c.format,
                "printed": c.printed,
                "amount": amount,
                "number": number,
            }
        )
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
        PublishedCell(c.section, c.row_key, c.column_key, c.printed, c.format, c.line)
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
            f"a date of {deal_id} with an imported published statement (imported: {listed}; "
            "remit import FILE --deal DEAL_DIR)",
        )
    if version is None:
        version = max(versions)
    if version not in versions:
        raise RemitError.one(
            where,
            "--published-version",
            version,
            f"an imported version of {deal_id} {when.isoformat()} ({sorted(versions)})",
        )
    return int(versions[version])


def import_published(
    file: str | Path, deal_dir: str | Path, *, url: str | None = None
) -> ImportResult:
    """Load the deal directory, read and check the statement file, then open the store (made
    if new) and import it (what ``remit import`` runs): a file that cannot be read, or is not
    a statement of the deal, fails before the store is opened, so that nothing is written."""
    from remit.api import load_deal
    from remit.store.repository import Store  # the repository builds on this module

    deal = load_deal(deal_dir)
    path = Path(file)
    prepared = prepare(deal.spec, read_file(path), str(path))
    with Store.open(url) as store:
        return store.store_import(prepared)
