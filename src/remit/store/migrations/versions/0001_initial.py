"""The initial schema: deals, specs, periods, period_classes, period_delinquency.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from remit.store.types import Exact

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def money(name: str) -> sa.Column[object]:
    return sa.Column(name, Exact(2), nullable=False)


def upgrade() -> None:
    op.create_table(
        "deals",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "specs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_table(
        "periods",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("deal_id", sa.String(100), sa.ForeignKey("deals.id"), nullable=False),
        sa.Column("distribution_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("period_no", sa.Integer(), nullable=False),
        sa.Column("prior_id", sa.Integer(), sa.ForeignKey("periods.id"), nullable=True),
        sa.Column("amended", sa.Boolean(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("spec_sha256", sa.String(64), sa.ForeignKey("specs.sha256"), nullable=False),
        sa.Column("remittance_source", sa.Text(), nullable=False),
        sa.Column("remittance_text", sa.Text(), nullable=False),
        sa.Column("remittance_sha256", sa.String(64), nullable=False),
        sa.Column("ledger_json", sa.Text(), nullable=False),
        sa.Column("state_json", sa.Text(), nullable=False),
        sa.Column("statement_text", sa.Text(), nullable=False),
        sa.Column("statement_json", sa.Text(), nullable=False),
        sa.Column("statement_sha256", sa.String(64), nullable=False),
        sa.Column("code_version", sa.String(40), nullable=False),
        sa.Column("closed_by", sa.String(200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        money("pool_beginning"),
        money("pool_ending"),
        sa.Column("count_beginning", sa.Integer(), nullable=False),
        sa.Column("count_ending", sa.Integer(), nullable=False),
        money("scheduled_principal"),
        money("unscheduled_principal"),
        money("realized_losses"),
        money("cumulative_loss"),
        sa.UniqueConstraint("deal_id", "distribution_date", "version", name="uq_period_version"),
    )
    op.create_index("ix_periods_deal_date", "periods", ["deal_id", "distribution_date"])
    op.create_table(
        "period_classes",
        sa.Column(
            "period_id",
            sa.Integer(),
            sa.ForeignKey("periods.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("class_name", sa.String(40), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        money("original_face"),
        money("beginning_balance"),
        money("interest_distribution"),
        money("principal_distribution"),
        money("realized_loss"),
        money("ending_balance"),
        sa.Column("factor", Exact(8), nullable=False),
        money("unpaid_interest"),
        money("basis_risk_carryforward"),
        money("unpaid_realized_loss"),
        money("cumulative_realized_loss"),
    )
    op.create_table(
        "period_delinquency",
        sa.Column(
            "period_id",
            sa.Integer(),
            sa.ForeignKey("periods.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("status", sa.String(20), primary_key=True),
        sa.Column("bucket", sa.String(10), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
        money("balance"),
    )


def downgrade() -> None:
    op.drop_table("period_delinquency")
    op.drop_table("period_classes")
    op.drop_index("ix_periods_deal_date", table_name="periods")
    op.drop_table("periods")
    op.drop_table("specs")
    op.drop_table("deals")
