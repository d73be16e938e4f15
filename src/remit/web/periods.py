"""Reading the store for the site: a period (cached by its stored id and statement hash: a
restatement is a new id, so nothing stale is ever served), the deal's history, and the ONE
place where the site closes a period (from an uploaded remittance)."""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path

from remit.api import load_deal
from remit.errors import RemitError
from remit.publish.period import Published, extended, load_stored
from remit.statement import Statement
from remit.store import Store, StoredPeriod

_CACHE: OrderedDict[tuple[str, int, str], Published] = OrderedDict()
_LOCK = threading.Lock()
CACHED = 64


def period(store: Store, deal_id: str, when: date, version: int | None = None) -> Published:
    """The stored period; RemitError if the date is not closed."""
    stored = store.period(deal_id, when, version)
    key = (store.where, stored.id, stored.statement_sha256)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    published = load_stored(store, stored)
    with _LOCK:
        _CACHE[key] = published
        while len(_CACHE) > CACHED:
            _CACHE.popitem(last=False)
    return published


_EXTENDED: OrderedDict[tuple[str, int, str], Statement] = OrderedDict()


def extended_statement(store: Store, published: Published) -> Statement:
    """The period's statement with its extended sections (cached like the period)."""
    key = (store.where, published.stored.id, published.stored.statement_sha256)
    with _LOCK:
        hit = _EXTENDED.get(key)
        if hit is not None:
            _EXTENDED.move_to_end(key)
            return hit
    st = extended(store, published)
    with _LOCK:
        _EXTENDED[key] = st
        while len(_EXTENDED) > CACHED:
            _EXTENDED.popitem(last=False)
    return st


def close_uploaded(store: Store, deal_id: str, text: str, name: str) -> StoredPeriod:
    """Close the deal's next date from an uploaded remittance (TOML text), with the deal spec
    stored with its latest period. Everything is checked inside the store's transaction:
    a remittance that is malformed, for another date or that does not close raises
    RemitError and nothing is stored."""
    rows = [r for r in store.history(deal_id) if r.current]
    if not rows:
        raise RemitError.one(name, "", deal_id, "a deal with a closed period to continue from")
    latest = store.period(deal_id, rows[-1].distribution_date)
    spec_text, _, _, _ = store.inputs(latest.id)
    with tempfile.TemporaryDirectory(prefix="remit-upload-") as tmp:
        (Path(tmp) / "deal.toml").write_text(spec_text, encoding="utf-8")
        deal = load_deal(tmp)

        def source(when: date, prior: object) -> tuple[str, str]:
            return text, name

        return store.close_period(deal, "next", remittance_from=source)
