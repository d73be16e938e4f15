"""Deal history: every closed period stored durably (SQLite or PostgreSQL), restatements as
new versions, and the audit trail of what was used, by whom and when.

    from remit.store import Store
    with Store.open("sqlite:///remit.db") as store:
        stored = store.close_period(remit.load_deal("examples/thornburg-2003-2"), "next")
        rows = store.history("tmst-2003-2")
"""

from remit.store.engine import resolve_url
from remit.store.records import (
    ClassPoint,
    DealSummary,
    HistoryRow,
    Reproduction,
    StoredPeriod,
)
from remit.store.repository import Store, store_close

__all__ = [
    "ClassPoint",
    "DealSummary",
    "HistoryRow",
    "Reproduction",
    "Store",
    "StoredPeriod",
    "resolve_url",
    "store_close",
]
