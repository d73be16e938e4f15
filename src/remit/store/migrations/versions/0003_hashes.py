"""The sha256 of each period's stored state, ledger and statement JSON, so that a close can
tell that the period it starts from reads back as it was stored, and a reader that what it
shows is what was stored (periods stored before this revision get the hash of what they hold
now).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.add_column("periods", sa.Column("state_sha256", sa.String(64), nullable=True))
    op.add_column("periods", sa.Column("ledger_sha256", sa.String(64), nullable=True))
    op.add_column("periods", sa.Column("statement_json_sha256", sa.String(64), nullable=True))
    periods = sa.table(
        "periods",
        sa.column("id", sa.Integer()),
        sa.column("state_json", sa.Text()),
        sa.column("ledger_json", sa.Text()),
        sa.column("state_sha256", sa.String(64)),
        sa.column("ledger_sha256", sa.String(64)),
        sa.column("statement_json", sa.Text()),
        sa.column("statement_json_sha256", sa.String(64)),
    )
    conn = op.get_bind()
    c = periods.c
    rows = conn.execute(sa.select(c.id, c.state_json, c.ledger_json, c.statement_json))
    for pid, state, ledger, statement in rows.all():
        conn.execute(
            periods.update()
            .where(c.id == pid)
            .values(
                state_sha256=_sha256(state),
                ledger_sha256=_sha256(ledger),
                statement_json_sha256=_sha256(statement),
            )
        )


def downgrade() -> None:
    op.drop_column("periods", "statement_json_sha256")
    op.drop_column("periods", "ledger_sha256")
    op.drop_column("periods", "state_sha256")
