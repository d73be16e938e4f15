"""The history of a store, read: its deals, a deal's periods, one stored period, the time
series as Parquet files. Each opens the existing store at the URL (never creates one)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from remit.records import StoredPeriod
from remit.store import DealSummary, HistoryRow, Store


def deals(url: str | None) -> list[DealSummary]:
    """Every deal in the existing store at ``url``."""
    with Store.open(url, create=False) as store:
        return store.deals()


def history(url: str | None, deal_id: str) -> list[HistoryRow]:
    """Every stored period and version of a deal, in date and version order."""
    with Store.open(url, create=False) as store:
        return store.history(deal_id)


def period(url: str | None, deal_id: str, when: date | str, version: int | None) -> StoredPeriod:
    """A stored period: the latest version of the date unless ``version``."""
    with Store.open(url, create=False) as store:
        return store.period(deal_id, when, version)


def export(url: str | None, deal_id: str, out: Path) -> list[Path]:
    """Write the deal's time series (latest versions) as Parquet files into ``out``: both or
    neither, each through a temporary file created safely and renamed
    (:func:`remit.files.write_all`)."""
    from remit.files import write_all
    from remit.store.export import parquet_files

    files: dict[str, str | bytes] = dict(parquet_files(history(url, deal_id)))
    return write_all(out, files)
