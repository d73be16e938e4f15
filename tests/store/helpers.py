"""Helpers for the store tests: a full dump of a store for before/after comparisons, closing
a number of periods, and running a close in a child process."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import uuid
from pathlib import Path
from types import FrameType
from typing import Any

import psycopg
from sqlalchemy import create_engine, event, select, text

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


def _close_child(
    url: str, deal_dir: str, when: str, kill_at: int, conn: Any, barrier: Any = None
) -> None:
    """In a child process: open the store and close ``when``. With ``kill_at`` > 0, SIGKILL
    this process at the ``kill_at``-th Python function call from the store's opening on, or
    at the commit (just before the database commits) if that comes first; with ``kill_at``
    == -1, SIGKILL it just after the commit. Reports ("ok", version, calls, calls at the
    commit) or ("error", message, calls, 0) through the pipe ``conn``."""
    deal = remit.load_deal(deal_dir)
    calls = 0
    commit_at = 0

    def tracer(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def on_commit(_conn: object) -> None:
        nonlocal commit_at
        commit_at = calls
        if kill_at > 0:
            os.kill(os.getpid(), signal.SIGKILL)

    def on_begin(*_args: object) -> None:
        if kill_at == -1 and commit_at:
            os.kill(os.getpid(), signal.SIGKILL)

    if barrier is not None:
        barrier.wait()
    sys.settrace(tracer)  # type: ignore[arg-type]
    store = None
    try:
        store = Store.open(url)
        event.listen(store.engine, "commit", on_commit)
        event.listen(store.engine, "begin", on_begin)
        # the close reads nothing after its commit: its connection going back is the first
        # thing that happens after it
        event.listen(store.engine, "checkin", on_begin)
        p = close_period(store, deal, when)
        sys.settrace(None)
        conn.send(("ok", p.version, calls, commit_at))
    except RemitError as exc:
        sys.settrace(None)
        conn.send(("error", str(exc), calls, 0))
    finally:
        if store is not None:
            store.dispose()
        conn.close()


def clone(url: str, where: Path) -> str:
    """A copy of the store at ``url`` (a file copy, or a PostgreSQL database from a template)."""
    u = parse_url(url)
    if u.get_backend_name() == "sqlite":
        assert u.database is not None
        dest = where / f"clone-{uuid.uuid4().hex[:8]}.db"
        shutil.copy(u.database, dest)
        return f"sqlite:///{dest}"
    name = f"{u.database}_c{uuid.uuid4().hex[:6]}"
    admin = u.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{u.database}"')
    return u.set(database=name).render_as_string(hide_password=False)


def drop_clone(url: str) -> None:
    u = parse_url(url)
    if u.get_backend_name() == "postgresql":
        admin = u.set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')


def close_in_child(
    url: str, deal_dir: Path, when: str, kill_at: int = 0
) -> tuple[int | None, tuple[Any, ...] | None]:
    """Run :func:`_close_child` in a forked process; (exit code, message or None)."""
    parent, child = FORK.Pipe(duplex=False)
    p = FORK.Process(target=_close_child, args=(url, str(deal_dir), when, kill_at, child))
    p.start()
    child.close()
    msg = None
    if parent.poll(120):
        try:
            msg = parent.recv()
        except EOFError:  # killed before it could report
            msg = None
    p.join(120)
    return p.exitcode, msg


def race(url: str, deal_dir: Path, when: str, n: int) -> list[tuple[Any, ...]]:
    """``n`` processes released together by a barrier, each closing ``when``."""
    barrier = FORK.Barrier(n)
    pipes, procs = [], []
    for _ in range(n):
        parent, child = FORK.Pipe(duplex=False)
        p = FORK.Process(target=_close_child, args=(url, str(deal_dir), when, 0, child, barrier))
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
