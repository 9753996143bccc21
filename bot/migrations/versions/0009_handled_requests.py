"""Slack requests already handled (trigger id, event id), so that a replay or a redelivery does nothing; the
presenters of a monthly update as named in its notice.

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handled_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handled_requests")),
        sa.UniqueConstraint("request_key", name="uq_handled_requests_request_key"),
    )
    with op.batch_alter_table("handled_requests", schema=None) as batch_op:
        batch_op.create_index("ix_handled_requests_received_at", ["received_at"], unique=False)
    with op.batch_alter_table("ritual_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("presenter_user_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ritual_events", schema=None) as batch_op:
        batch_op.drop_column("presenter_user_ids")
    with op.batch_alter_table("handled_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_handled_requests_received_at")
    op.drop_table("handled_requests")
