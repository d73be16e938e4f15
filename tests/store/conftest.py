"""Store fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``REMIT_TEST_PG_URL`` (``scripts/with-postgres`` starts a throwaway
server and sets it). Without it the PostgreSQL cases are skipped on a workstation, and fail
when ``CI`` is set: in CI no store test may be skipped."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import EXAMPLE

PG_ENV = "REMIT_TEST_PG_URL"


def _ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _pg_dsn(url: str, database: str | None = None) -> str:
    u = make_url(url)
    if database is not None:
        u = u.set(database=database)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to a fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'remit.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        if _ci():
            pytest.fail(f"{PG_ENV} is not set: run the tests under scripts/with-postgres")
        pytest.skip(f"{PG_ENV} not set (run under scripts/with-postgres)")
    name = f"remit_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_pg_dsn(base), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_pg_dsn(base), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def deal_dir(tmp_path: Path) -> Path:
    """A private copy of the example deal directory (tests may edit its remittances)."""
    dest = tmp_path / "deal"
    shutil.copytree(EXAMPLE, dest)
    return dest
