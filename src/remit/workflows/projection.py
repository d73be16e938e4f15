"""A deal projection's start in a store: the latest closed period of the deal (its state and
its remittance as stored), for :func:`remit.project.deal.start.deal_start`."""

from __future__ import annotations

from pathlib import Path

from remit.errors import RemitError
from remit.project.deal.start import Closed, Start, deal_start
from remit.remittance import parse_remittance
from remit.store import Store


def latest_closed(url: str | None, deal_id: str) -> Closed:
    """The latest closed date of the deal in the existing store at ``url`` (its current
    version): its state and its remittance as stored."""
    with Store.open(url, create=False) as store:
        rows = [r for r in store.history(deal_id) if r.current]
        if not rows:
            raise RemitError.one(store.where, "deal", deal_id, "a deal with a closed period")
        last = max(rows, key=lambda r: r.distribution_date)
        stored = store.period(deal_id, last.distribution_date)
        _, text, source, _ = store.inputs(stored.id)
    stale = ", stale" if stored.stale else ""
    return Closed(
        stored.state,
        parse_remittance(text, source),
        f"{deal_id} after {stored.distribution_date} (stored, version {stored.version}{stale})",
    )


def deal_start_from_store(
    deal_dir: str | Path,
    url: str | None,
    *,
    tape: Path | None = None,
    lines: Path | None = None,
) -> Start:
    """The projection start of the deal in ``deal_dir`` after its latest closed period in
    the store at ``url`` (for scripts; the command line starts a deal projection there when
    given a store)."""
    from remit.api import load_deal

    closed = latest_closed(url, load_deal(deal_dir).spec.deal.id)
    return deal_start(deal_dir, closed=closed, tape=tape, lines=lines)
