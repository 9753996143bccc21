"""A person's opt-in to have a new career stage announced in the community channel, and when they were last
invited to repeat the self-check.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain ALTER TABLE, not a batch: a batch copy on SQLite would drop `members` and cascade-delete every row
# that references it.


def upgrade() -> None:
    op.add_column("members", sa.Column("announce_stage", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("members", sa.Column("reassess_invited_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("members", "reassess_invited_at")
    op.drop_column("members", "announce_stage")
