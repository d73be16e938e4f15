"""The notebook's view of a store: a deal's history as one DataFrame.

import remit
df = remit.history("tmst-2003-2", db="sqlite:///remit.db")
df["pool_ending"].plot()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def history(
    deal_id: str, db: str | None = None, *, exact: bool = False, versions: bool = False
) -> pd.DataFrame:
    """Every stored period of a deal as a DataFrame indexed by distribution date: the pool,
    delinquency, losses, and each class's balance, factor, interest, principal and loss (the
    columns of ``remit history --format csv``). Numbers are float64, or with ``exact`` exact
    Decimals. Only the current version of each date unless ``versions`` (then every version,
    with its ``version``, ``current``, ``amended`` and ``stale`` flags). ``db``: the store's
    URL (default ``$REMIT_DB``, else ``remit.db`` in the working directory)."""
    import pandas as pd

    from remit.errors import REQUEST, RemitError
    from remit.store.export import flat
    from remit.workflows import history as stored_history

    rows = [r for r in stored_history(db, deal_id) if versions or r.current]
    if not rows:
        raise RemitError.one(REQUEST, "deal_id", deal_id, "a deal with stored periods")
    frame = pd.DataFrame([flat(r) for r in rows])
    frame["date"] = pd.to_datetime(frame["date"])
    frame = frame.set_index("date").drop(columns=["deal"])
    if not exact:
        for col in frame.columns:
            if frame[col].map(lambda v: type(v).__name__ == "Decimal").all():
                frame[col] = frame[col].astype("float64")
    frame.attrs["deal"] = deal_id
    return frame
