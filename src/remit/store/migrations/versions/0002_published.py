"""Published statements imported beside the periods: published_statements, published_cells.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from remit.store.types import Exact

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "published_statements",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("deal_id", sa.String(100), sa.ForeignKey("deals.id"), nullable=False),
        sa.Column("distribution_date", sa.Date(), nullable=False),
        sa.Column("record_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("cell_count", sa.Integer(), nullable=False),
        sa.Column("code_version", sa.String(40), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("deal_id", "distribution_date", "version", name="uq_published_version"),
        sa.UniqueConstraint(
            "deal_id", "distribution_date", "file_sha256", name="uq_published_file"
        ),
    )
    op.create_table(
        "published_cells",
        sa.Column(
            "import_id",
            sa.Integer(),
            sa.ForeignKey("published_statements.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("section", sa.Text(), primary_key=True),
        sa.Column("row_key", sa.Text(), primary_key=True),
        sa.Column("column_key", sa.Text(), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(12), nullable=False),
        sa.Column("printed", sa.Text(), nullable=False),
        sa.Column("amount", Exact(2), nullable=True),
        sa.Column("number", Exact(8, 28), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("published_cells")
    op.drop_table("published_statements")
