"""Deal history, persisted: every closed period stored durably (SQLite or PostgreSQL),
restatements as new versions, published statements beside them, and the audit trail of what
was used, by whom and when. Persistence only: closing, importing and comparing are the use
cases of :mod:`remit.workflows`.

    from remit.store import Store
    with Store.open("sqlite:///remit.db", create=False) as store:
        rows = store.history("tmst-2003-2")
"""

from remit.records import PublishedStatement, StoredPeriod
from remit.store.engine import resolve_url
from remit.store.records import (
    ClassPoint,
    DealSummary,
    HistoryRow,
    ImportResult,
    Reproduction,
)
from remit.store.repository import Store

__all__ = [
    "ClassPoint",
    "DealSummary",
    "HistoryRow",
    "ImportResult",
    "PublishedStatement",
    "Reproduction",
    "Store",
    "StoredPeriod",
    "resolve_url",
]
