"""The schema: the migrations create exactly what the models describe, the store upgrades on
open, and a store opened twice is not migrated twice."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from remit.store import Store
from remit.store.engine import parse_url, script_directory
from remit.store.models import Base
from tests.store.helpers import dump


def test_migrations_match_the_models(db_url: str) -> None:
    Store.open(db_url).dispose()
    engine = create_engine(parse_url(db_url))
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            assert compare_metadata(ctx, Base.metadata) == []
            assert ctx.get_current_heads() == (script_directory().get_current_head(),)
    finally:
        engine.dispose()


def test_reopening_changes_nothing(db_url: str) -> None:
    Store.open(db_url).dispose()
    before = dump(db_url)
    assert before["alembic_version"] == [(script_directory().get_current_head(),)]
    Store.open(db_url).dispose()
    assert dump(db_url) == before
