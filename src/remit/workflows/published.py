"""Published statements: import one beside its period, and compare our stored statement with
it cell by cell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from remit.api import Deal, load_deal
from remit.audit.diff import StatementDiff, diff_statements, diff_versions
from remit.audit.published import prepare, read_file
from remit.records import ReadStatement
from remit.spec import DealSpec
from remit.store import ImportResult, Store
from remit.store.published import insert_import


def import_statement(
    store: Store, deal: Deal | DealSpec, source: Path | bytes, *, name: str | None = None
) -> ImportResult:
    """Import a published statement of ``deal`` (a file, or its bytes named ``name``) beside
    its period: read and checked in memory first (RemitError, nothing written), then stored
    with every cell under the deal's write lock. The same file again is not stored twice
    (``created`` False); another file for the date is the next version. The period need not
    be closed."""
    spec = deal.spec if isinstance(deal, Deal) else deal
    if isinstance(source, Path):
        read = prepare(spec, read_file(source), name or str(source))
    else:
        read = prepare(spec, source, name or "<statement>")
    return _store_import(store, read)


def _store_import(store: Store, read: ReadStatement) -> ImportResult:
    """Store a statement :func:`~remit.audit.published.prepare` read and checked."""
    with store.deal_transaction(
        read.deal_id,
        f"{read.deal_id} {read.distribution_date.isoformat()}",
        "an import no other process made at the same time (it just did: import it again)",
    ) as conn:
        iid, created = insert_import(conn, read)
    return ImportResult(store.import_by_id(iid), created)


def import_published(
    file: str | Path, deal_dir: str | Path, *, url: str | None = None
) -> ImportResult:
    """Load the deal directory, read and check the statement file, then open the store (made
    if new) and import it: a file that cannot be read, or is not a statement of the deal,
    fails before the store is opened, so that nothing is written."""
    deal = load_deal(deal_dir)
    path = Path(file)
    read = prepare(deal.spec, read_file(path), str(path))
    with Store.open(url) as store:
        return _store_import(store, read)


def diff(
    store: Store,
    deal_id: str,
    when: date | str,
    version: int | None = None,
    published_version: int | None = None,
) -> StatementDiff:
    """Our stored statement for a date (the current version unless ``version``) against the
    published one (the latest import unless ``published_version``), cell by cell."""
    ours = store.period(deal_id, when, version)
    theirs = store.published(deal_id, when, published_version)
    return diff_statements(ours, theirs)


def diff_stored(
    url: str | None,
    deal_id: str,
    when: date | str,
    version: int | None = None,
    published_version: int | None = None,
) -> StatementDiff:
    """:func:`diff` in the existing store at ``url``."""
    with Store.open(url, create=False) as store:
        return diff(store, deal_id, when, version, published_version)


def diff_stored_versions(
    url: str | None, deal_id: str, when: date | str, version: int | None, against: int
) -> StatementDiff:
    """Two stored versions of a date's statement, cell by cell: ``version`` (the latest unless
    given) against ``against``, in the existing store at ``url``."""
    with Store.open(url, create=False) as store:
        ours = store.period(deal_id, when, version)
        other = store.period(deal_id, when, against)
    return diff_versions(ours, other)
