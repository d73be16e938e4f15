"""Alembic environment: migrations run on the connection the store opened (in its transaction,
under its lock), passed in ``config.attributes["connection"]``; or, from the alembic command
line, on ``sqlalchemy.url`` from the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from remit.store.models import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if isinstance(given, Connection):
    run(given)
else:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url, or run migrations through remit.store.Store.open")
    with create_engine(url).connect() as conn:
        run(conn)
        conn.commit()
