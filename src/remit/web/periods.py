"""Reading the store for the site: a period (cached by its stored id and statement hash: a
restatement is a new id, so nothing stale is ever served), the deal's history, and the ONE
place where the site closes a period (from an uploaded remittance)."""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from remit import workflows
from remit.api import load_deal
from remit.errors import RemitError
from remit.publish.period import Published, extended, load_stored
from remit.statement import Statement
from remit.store import Store, StoredPeriod
from remit.store.models import DealRow, PeriodRow


class Unreproducible(RemitError):
    """A stored period this code does not reproduce (closed by another version of remit)."""


_CACHE: OrderedDict[tuple[str, int, str], Published] = OrderedDict()
_PAGES: OrderedDict[tuple[str, int, str], str] = OrderedDict()
_LOCK = threading.Lock()
CACHED = 64


def has_deal(store: Store, deal_id: str) -> bool:
    """Whether the store holds the deal (one indexed lookup)."""
    with Session(store.engine) as conn:
        return conn.execute(select(DealRow.id).where(DealRow.id == deal_id)).first() is not None


def latest(store: Store, deal_id: str, when: date) -> tuple[str, int, str] | None:
    """The key of the date's latest stored version: (store, period id, statement sha256);
    None when the date is not closed. A restatement is a new id: nothing stale is served."""
    with Session(store.engine) as conn:
        row = conn.execute(
            select(PeriodRow.id, PeriodRow.statement_sha256)
            .where(PeriodRow.deal_id == deal_id, PeriodRow.distribution_date == when)
            .order_by(PeriodRow.version.desc())
            .limit(1)
        ).first()
    return None if row is None else (store.where, row[0], row[1])


def cached_page(key: tuple[str, int, str], render: Callable[[], str]) -> str:
    """A period page without an explanation, rendered once per stored version."""
    with _LOCK:
        hit = _PAGES.get(key)
        if hit is not None:
            _PAGES.move_to_end(key)
            return hit
    html = render()
    with _LOCK:
        _PAGES[key] = html
        while len(_PAGES) > CACHED:
            _PAGES.popitem(last=False)
    return html


def period(store: Store, deal_id: str, when: date, version: int | None = None) -> Published:
    """The stored period; RemitError if the date is not closed."""
    stored = store.period(deal_id, when, version)
    key = (store.where, stored.id, stored.statement_sha256)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    try:
        published = load_stored(store, stored)
    except RemitError as exc:
        raise Unreproducible(exc.problems) from None
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

        return workflows.close_period(store, deal, "next", remittance_from=source)
