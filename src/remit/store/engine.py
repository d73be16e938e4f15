"""Connecting to a store: the URL (given, else ``$REMIT_DB``, else ``remit.db`` here), the engine
with the settings each backend needs, the schema brought up to date on open under a lock,
and every way of failing turned into a :class:`~remit.errors.RemitError`."""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import NullPool

from remit.errors import RemitError

DEFAULT_URL = "sqlite:///remit.db"
ENV_VAR = "REMIT_DB"
WHERE = "(store)"
#: the field a problem with the store's URL names (a front end words it as its own option)
URL_FIELD = "url"
SCRIPT_LOCATION = "remit.store:migrations"
BUSY_TIMEOUT_S = 60
#: The crash tests' one hook (tests/store/test_crash.py): with this variable set to ``1`` a
#: process SIGKILLs itself the moment a write transaction has committed -- the crash between
#: the commit and the process's exit, after which the store must hold the work whole. Unset
#: (always, outside those tests) it costs one environment lookup per write transaction.
KILL_AFTER_COMMIT = "REMIT_TEST_KILL_AFTER_COMMIT"


def resolve_url(url: str | None) -> str:
    """The store URL: ``url`` if given, else ``$REMIT_DB``, else ``remit.db`` in the working
    directory. A plain path (no ``://``) is a SQLite file."""
    chosen = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    if "://" not in chosen:
        chosen = f"sqlite:///{chosen}"
    return chosen


def display(url: URL) -> str:
    """The URL without its password, for messages."""
    return url.render_as_string(hide_password=True)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a PostgreSQL advisory lock."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def parse_url(url: str) -> URL:
    try:
        u = make_url(url)
    except (ArgumentError, ValueError):
        raise RemitError.one(
            WHERE,
            URL_FIELD,
            url,
            "a database URL such as sqlite:///remit.db or postgresql://user@host:5432/db",
        ) from None
    backend = u.get_backend_name()
    if backend == "postgresql" and u.get_driver_name() in ("", "psycopg2"):
        u = u.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise RemitError.one(WHERE, URL_FIELD, display(u), "a sqlite:// or postgresql:// URL")
    return u


def make_engine(url: URL, *, create: bool) -> Engine:
    """An engine for ``url``. SQLite: transactions begun explicitly (``BEGIN IMMEDIATE`` for
    writers, so that two writers queue instead of deadlocking), foreign keys on, a busy
    timeout. PostgreSQL: psycopg 3 with a connect timeout."""
    if url.get_backend_name() == "sqlite":
        path = url.database
        if path and path != ":memory:" and not create and not Path(path).exists():
            raise RemitError.one(
                WHERE, URL_FIELD, display(url), "an existing store (close a period first)"
            )
        if path and path != ":memory:" and not Path(path).parent.is_dir():
            raise RemitError.one(
                WHERE, URL_FIELD, display(url), "a SQLite file in an existing directory"
            )
        try:
            engine = create_engine(
                url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_S}
            )
        except (ArgumentError, NoSuchModuleError) as exc:
            raise RemitError.one(WHERE, URL_FIELD, display(url), f"a usable URL ({exc})") from None

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            mode = conn.get_execution_options().get("remit_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    try:
        return create_engine(
            url,
            poolclass=NullPool,
            connect_args={"connect_timeout": 5, "application_name": "remit"},
        )
    except (ArgumentError, NoSuchModuleError) as exc:
        raise RemitError.one(WHERE, URL_FIELD, display(url), f"a usable URL ({exc})") from None


def unreachable(url: URL, exc: BaseException) -> RemitError:
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    return RemitError.one(
        WHERE, URL_FIELD, display(url), f"a database that can be reached ({first})"
    )


@contextmanager
def writing(engine: Engine, lock: str) -> Iterator[Connection]:
    """One transaction holding the write lock ``lock``: SQLite's database write lock
    (``BEGIN IMMEDIATE``), or a PostgreSQL transaction-level advisory lock on the name.
    Commits on leaving normally, rolls back on any exception. (After the commit, the crash
    tests' hook: see :data:`KILL_AFTER_COMMIT`.)"""
    with engine.connect() as raw:
        conn = raw.execution_options(remit_begin="IMMEDIATE")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(lock)})
            yield conn
        if os.environ.get(KILL_AFTER_COMMIT) == "1":  # committed: the crash tests' hook
            os.kill(os.getpid(), signal.SIGKILL)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def ensure_schema(engine: Engine, url: URL) -> None:
    """Bring the schema up to the code's head revision, in one transaction under the
    migration lock; refuse a store whose revision this code does not know (a newer remit
    wrote it)."""
    scripts = script_directory()
    head = scripts.get_current_head()
    known = {r.revision for r in scripts.walk_revisions()}

    def current(conn: Connection) -> tuple[str, ...]:
        return tuple(MigrationContext.configure(conn).get_current_heads())

    def check(revs: tuple[str, ...]) -> None:
        unknown = [r for r in revs if r not in known]
        if unknown:
            raise RemitError.one(
                WHERE,
                "alembic_version",
                ", ".join(unknown),
                f"a schema revision this remit knows (up to {head}): the store "
                f"{display(url)} was written by a newer remit; upgrade remit to use it",
            )

    with engine.connect() as conn, conn.begin():
        revs = current(conn)
    check(revs)
    if revs == (head,):
        return
    with writing(engine, "remit-migrations") as conn:
        revs = current(conn)
        check(revs)
        if revs == (head,):
            return
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_engine(url_text: str | None, *, create: bool = True) -> tuple[Engine, URL]:
    """Parse the URL, connect, migrate; every failure a RemitError naming the URL."""
    url = parse_url(resolve_url(url_text))
    engine = make_engine(url, create=create)
    try:
        ensure_schema(engine, url)
    except RemitError:
        engine.dispose()
        raise
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        raise unreachable(url, exc) from None
    return engine, url
