"""Helpers for the crash tests: the three writing operations (a close, a restatement, an
import), run in a forked child that can be killed at a chosen point, and the exact judgement
of what a killed operation left in the store.

A killed operation may leave exactly one of two stores: the store as it was before (every row
of every table identical, ids and timestamps included), or the store as the same operation
run to completion leaves it (:func:`normal` form: the same rows once the surrogate ids are
replaced by natural keys and the clock's timestamps dropped). Anything else is torn."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import psycopg
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

import remit
from remit.errors import RemitError
from remit.store import Store
from remit.store.engine import KILL_AFTER_COMMIT, parse_url
from remit.workflows import close_period, import_statement, reproduce
from tests.conftest import GOLDEN
from tests.store.helpers import DEAL_ID, FORK, ORDER, amend_penalties, close_n

REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"
KINDS = ("close", "restate", "import")
REASON = "servicer corrected penalties"
#: The seed of the random kill times; REMIT_CRASH_SEED replays another.
SEED = int(os.environ.get("REMIT_CRASH_SEED", "20030625"))

Table = tuple[tuple[str, ...], list[tuple[Any, ...]]]
Snapshot = dict[str, Table]

#: natural keys of the tables with surrogate ids, the columns that hold such ids, and the
#: columns the clock fills
KEYS = {
    "periods": ("deal_id", "distribution_date", "version"),
    "published_statements": ("deal_id", "distribution_date", "version"),
}
REFS = {
    "periods": {"id": "periods", "prior_id": "periods"},
    "period_classes": {"period_id": "periods"},
    "period_delinquency": {"period_id": "periods"},
    "published_statements": {"id": "published_statements"},
    "published_cells": {"import_id": "published_statements"},
}
CLOCK = {"deals": {"created_at"}, "periods": {"closed_at"}, "published_statements": {"imported_at"}}


@dataclass(frozen=True)
class Op:
    """One writing operation on a store prepared for it: ``close`` the next date, ``restate``
    a date whose remittance was corrected (the later date goes stale), or ``import`` the
    published statement of the first date."""

    kind: str
    deal_dir: Path
    when: str

    def apply(self, store: Store) -> None:
        deal = remit.load_deal(self.deal_dir)
        if self.kind == "import":
            assert import_statement(store, deal, REFERENCE).created
        else:
            restate = self.kind == "restate"
            reason = REASON if restate else None
            p = close_period(store, deal, self.when, restate=restate, reason=reason)
            assert p.distribution_date.isoformat() == self.when

    def argv(self, url: str) -> list[str]:
        """The ``remit`` command line of the operation."""
        if self.kind == "import":
            return ["import", str(REFERENCE), "--deal", str(self.deal_dir), "--db", url]
        args = ["close", str(self.deal_dir), "--date", self.when, "--db", url, "--quiet"]
        return args + (["--restate", "--reason", REASON] if self.kind == "restate" else [])

    def check_whole(self, url: str) -> None:
        """What the operation stored reads back: a period that reproduces byte for byte, or
        the import with every cell."""
        with Store.open(url, create=False) as store:
            if self.kind == "import":
                pub = store.published(DEAL_ID, self.when)
                assert pub.text == REFERENCE.read_text("utf-8") and len(pub.cells) > 500
                return
            version = 2 if self.kind == "restate" else 1
            period = store.period(DEAL_ID, self.when)
            assert (period.version, period.amended) == (version, version == 2)
            assert reproduce(store, DEAL_ID, self.when).identical

    def next_succeeds(self, url: str) -> None:
        """The store takes the next operation: the next date closes, the stale later date is
        closed again, the same file is found already imported."""
        deal = remit.load_deal(self.deal_dir)
        with Store.open(url, create=False) as store:
            if self.kind == "import":
                assert not import_statement(store, deal, REFERENCE).created
            elif self.kind == "restate":
                p = close_period(store, deal, "2003-06-25", restate=True, reason=REASON)
                assert (p.version, p.stale) == (2, False)
            else:
                assert close_period(store, deal, "next").distribution_date.isoformat() == (
                    "2003-07-25"
                )


def prepare(kind: str, url: str, deal_dir: Path) -> Op:
    """Fill the store with what the operation needs, and describe the operation."""
    if kind == "close":
        close_n(url, deal_dir, 2)
        return Op(kind, deal_dir, "2003-06-25")
    if kind == "restate":
        close_n(url, deal_dir, 3)
        amend_penalties(deal_dir, "2003-05-27")
        return Op(kind, deal_dir, "2003-05-27")
    close_n(url, deal_dir, 1)
    return Op(kind, deal_dir, "2003-04-25")


# ---- the child ------------------------------------------------------------------------------


def _child(url: str, op: Op, kill_at: int, after_commit: bool, pipe: Any) -> None:
    """In a forked child: open the store and run ``op``. With ``kill_at`` > 0, SIGKILL this
    process at the ``kill_at``-th Python call from the store's opening on, or at the commit
    (just before the database commits) if that comes first; with ``after_commit``, the store's
    own hook SIGKILLs it just after the commit. Reports ("ok", calls, calls at the commit) or
    ("error", message) through ``pipe``."""
    calls = 0
    commit_at = 0

    def tracer(frame: FrameType, what: str, arg: object) -> None:
        nonlocal calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def on_commit(_conn: object) -> None:
        nonlocal commit_at
        commit_at = calls
        if kill_at > 0:
            os.kill(os.getpid(), signal.SIGKILL)

    if after_commit:
        os.environ[KILL_AFTER_COMMIT] = "1"
    sys.settrace(tracer)
    try:
        with Store.open(url, create=False) as store:
            event.listen(store.engine, "commit", on_commit)
            op.apply(store)
        sys.settrace(None)
        pipe.send(("ok", calls, commit_at))
    except RemitError as exc:
        sys.settrace(None)
        pipe.send(("error", str(exc)))
    finally:
        pipe.close()


def start(url: str, op: Op, kill_at: int = 0, after_commit: bool = False) -> tuple[Any, Any]:
    """Start :func:`_child`; (the process, the parent's end of its pipe)."""
    parent, child = FORK.Pipe(duplex=False)
    p = FORK.Process(target=_child, args=(url, op, kill_at, after_commit, child))
    p.start()
    child.close()
    return p, parent


def finish(p: Any, parent: Any) -> tuple[int | None, tuple[Any, ...] | None]:
    """Wait for a child: (its exit code, its report or None when it died first)."""
    msg = None
    if parent.poll(300):
        try:
            msg = parent.recv()
        except EOFError:  # killed before it could report
            msg = None
    p.join(300)
    parent.close()
    return p.exitcode, msg


def run_child(
    url: str, op: Op, kill_at: int = 0, after_commit: bool = False
) -> tuple[int | None, tuple[Any, ...] | None]:
    return finish(*start(url, op, kill_at, after_commit))


# ---- the store's contents -------------------------------------------------------------------


def settle(url: str) -> None:
    """Wait until no session of a killed client is left on a PostgreSQL database: its
    backend may still be finishing (a COMMIT sent just before the kill still commits), and
    only then is the outcome final. Every session counts (the tests leave none open).
    Nothing to wait for on SQLite: the kernel releases a dead process's locks before its
    parent learns of the death."""
    u = parse_url(url)
    if u.get_backend_name() != "postgresql":
        return
    admin = u.set(drivername="postgresql", database="postgres")
    deadline = time.monotonic() + 60
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
        q = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        while (row := c.execute(q, (u.database,)).fetchone()) is not None and row[0]:
            assert time.monotonic() < deadline, f"sessions left on {u.database}: {row[0]}"
            time.sleep(0.005)


def snapshot(url: str) -> Snapshot:
    """Every table's columns and rows in primary-key order, read in one snapshot (REPEATABLE
    READ on PostgreSQL). A table these tests do not know fails loudly."""
    settle(url)
    u = parse_url(url)
    pg = u.get_backend_name() == "postgresql"
    kw: dict[str, Any] = {"isolation_level": "REPEATABLE READ"} if pg else {}
    engine = create_engine(u, poolclass=NullPool, **kw)
    try:
        with engine.connect() as conn:
            if pg:
                q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            else:
                q = "SELECT name FROM sqlite_master WHERE type = 'table'"
            out: Snapshot = {}
            for name in sorted(conn.execute(text(q)).scalars()):
                assert name in ORDER, f"a table the crash tests do not know: {name}"
                res = conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {ORDER[name]}'))
                out[name] = (tuple(res.keys()), [tuple(r) for r in res.all()])
            return out
    finally:
        engine.dispose()


def normal(snap: Snapshot) -> Snapshot:
    """The snapshot with every surrogate id replaced by its row's natural key and the clock's
    columns dropped, rows sorted: equal for two runs of the same operation on the same store."""
    keys: dict[str, dict[Any, tuple[Any, ...]]] = {}
    for table, key in KEYS.items():
        cols, rows = snap.get(table, ((), []))
        keys[table] = {r[cols.index("id")]: tuple(r[cols.index(k)] for k in key) for r in rows}
    out: Snapshot = {}
    for table, (cols, rows) in snap.items():
        refs, drop = REFS.get(table, {}), CLOCK.get(table, set())
        kept = [i for i, c in enumerate(cols) if c not in drop]

        def value(i: int, v: Any, refs: dict[str, str] = refs, cols: tuple[str, ...] = cols) -> Any:
            target = refs.get(cols[i])
            return v if target is None or v is None else keys[target].get(v, ("dangling", v))

        new = [tuple(value(i, r[i]) for i in kept) for r in rows]
        out[table] = (tuple(cols[i] for i in kept), sorted(new, key=repr))
    return out


def differences(a: Snapshot, b: Snapshot) -> list[str]:
    """The tables whose contents differ, for a failure message."""
    return sorted(t for t in set(a) | set(b) if a.get(t) != b.get(t))


def outcome(url: str, before: Snapshot, whole: Snapshot) -> str:
    """``before`` (the store exactly as it was), ``whole`` (as the operation run to the end
    leaves it), or ``torn`` with the tables that are neither."""
    now = snapshot(url)
    if now == before:
        return "before"
    if normal(now) == normal(whole):
        return "whole"
    return f"torn: differs from the store before in {differences(now, before)}, from the " + (
        f"operation's whole result in {differences(normal(now), normal(whole))}"
    )


# ---- copies of a store ----------------------------------------------------------------------


@dataclass
class Saved:
    """A copy of a store (a file, or a PostgreSQL database) that :meth:`restore` puts back
    in place of the store, as it was when saved."""

    url: str
    copy: str

    @classmethod
    def of(cls, url: str, where: Path) -> Saved:
        settle(url)
        u = parse_url(url)
        if u.get_backend_name() == "sqlite":
            assert u.database is not None
            dest = where / f"saved-{uuid.uuid4().hex[:8]}.db"
            shutil.copy(u.database, dest)
            return cls(url, str(dest))
        name = f"{u.database}_s{uuid.uuid4().hex[:6]}"
        _admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{u.database}"')
        return cls(url, name)

    def restore(self) -> None:
        settle(self.url)
        u = parse_url(self.url)
        if u.get_backend_name() == "sqlite":
            assert u.database is not None
            for suffix in ("-journal", "-wal", "-shm"):
                Path(u.database + suffix).unlink(missing_ok=True)
            shutil.copy(self.copy, u.database)
            return
        _admin(self.url, f'DROP DATABASE "{u.database}" WITH (FORCE)')
        _admin(self.url, f'CREATE DATABASE "{u.database}" TEMPLATE "{self.copy}"')

    def clone(self) -> str:
        """A URL to a new copy of the saved store (dropped by :meth:`drop_clone`)."""
        u = parse_url(self.url)
        if u.get_backend_name() == "sqlite":
            dest = Path(self.copy).with_name(f"clone-{uuid.uuid4().hex[:8]}.db")
            shutil.copy(self.copy, dest)
            return f"sqlite:///{dest}"
        name = f"{u.database}_c{uuid.uuid4().hex[:6]}"
        _admin(self.url, f'CREATE DATABASE "{name}" TEMPLATE "{self.copy}"')
        return u.set(database=name).render_as_string(hide_password=False)

    def drop_clone(self, url: str) -> None:
        u = parse_url(url)
        if u.get_backend_name() == "postgresql":
            _admin(url, f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')

    def drop(self) -> None:
        if parse_url(self.url).get_backend_name() == "postgresql":
            _admin(self.url, f'DROP DATABASE IF EXISTS "{self.copy}" WITH (FORCE)')


def _admin(url: str, sql: str) -> None:
    u = parse_url(url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(u.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute(sql)


@dataclass(frozen=True)
class Probe:
    """The operation run to the end on a copy of the store: the store it leaves, how many
    Python calls it made and how many before the commit, and how long the child took."""

    whole: Snapshot
    calls: int
    commit_at: int
    seconds: float


def probe(saved: Saved, op: Op) -> Probe:
    url = saved.clone()
    try:
        t0 = time.monotonic()
        code, msg = run_child(url, op)
        seconds = time.monotonic() - t0
        assert code == 0 and msg is not None and msg[0] == "ok", (code, msg)
        op.check_whole(url)
        return Probe(snapshot(url), int(msg[1]), int(msg[2]), seconds)
    finally:
        saved.drop_clone(url)
