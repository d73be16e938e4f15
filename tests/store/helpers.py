"""Helpers for the store tests: a full dump of a store for before/after comparisons, closing
a number of periods, and processes racing to close the same date. (The crash tests' helpers
are in :mod:`tests.store.crash`.)"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text

import remit
from remit.errors import RemitError
from remit.store import Store, StoredPeriod
from remit.store.engine import parse_url
from remit.workflows import close_period

FORK = multiprocessing.get_context("fork")
DEAL_ID = "tmst-2003-2"


ORDER = {
    "alembic_version": "version_num",
    "deals": "id",
    "specs": "sha256",
    "periods": "id",
    "period_classes": "period_id, class_name",
    "period_delinquency": "period_id, status, bucket",
    "published_statements": "id",
    "published_cells": "import_id, section, row_key, column_key",
}


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the schema version included), in primary-key order; {} when
    the database has no tables. A table the tests do not know fails the comparison loudly."""
    engine = create_engine(parse_url(url))
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                q = "SELECT name FROM sqlite_master WHERE type = 'table'"
            else:
                q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            out: dict[str, list[tuple[Any, ...]]] = {}
            for name in sorted(conn.execute(text(q)).scalars()):
                order = ORDER[name]
                rows = conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}')).all()
                out[name] = [tuple(r) for r in rows]
            return out
    finally:
        engine.dispose()


def close_n(url: str, deal_dir: Path, n: int) -> list[StoredPeriod]:
    """Close the first ``n`` dates of the deal into the store, in sequence."""
    deal = remit.load_deal(deal_dir)
    with Store.open(url) as store:
        return [close_period(store, deal, "next") for _ in range(n)]


def _close_child(url: str, deal_dir: str, when: str, conn: Any, barrier: Any) -> None:
    """In a child process: wait at ``barrier``, open the store and close ``when``. Reports
    ("ok", version) or ("error", message) through the pipe ``conn``."""
    deal = remit.load_deal(deal_dir)
    barrier.wait()
    try:
        with Store.open(url) as store:
            p = close_period(store, deal, when)
        conn.send(("ok", p.version))
    except RemitError as exc:
        conn.send(("error", str(exc)))
    finally:
        conn.close()


def race(url: str, deal_dir: Path, when: str, n: int) -> list[tuple[Any, ...]]:
    """``n`` processes released together by a barrier, each closing ``when``."""
    barrier = FORK.Barrier(n)
    pipes, procs = [], []
    for _ in range(n):
        parent, child = FORK.Pipe(duplex=False)
        p = FORK.Process(target=_close_child, args=(url, str(deal_dir), when, child, barrier))
        p.start()
        child.close()
        pipes.append(parent)
        procs.append(p)
    results = [pipe.recv() for pipe in pipes]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    return results


def current_rows(url: str) -> list[Any]:
    """(date, version, stale) of every stored period, in order."""
    from remit.store.models import PeriodRow as P

    engine = create_engine(parse_url(url))
    try:
        with engine.connect() as conn:
            q = select(P.distribution_date, P.version, P.stale).order_by(
                P.distribution_date, P.version
            )
            return list(conn.execute(q).all())
    finally:
        engine.dispose()


def amend_penalties(deal_dir: Path, when: object, delta: str = "10.00") -> None:
    """Correct a remittance: add ``delta`` to its prepayment penalties (paid to B-IO)."""
    import re
    from decimal import Decimal

    path = deal_dir / "remittances" / f"{when}.toml"
    text_ = path.read_text()
    m = re.search(r"^prepayment_penalties = ([0-9.]+)$", text_, re.M)
    assert m is not None
    new = Decimal(m.group(1)) + Decimal(delta)
    path.write_text(text_[: m.start(1)] + f"{new:.2f}" + text_[m.end(1) :])
