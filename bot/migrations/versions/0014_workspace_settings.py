"""Each workspace's own settings (channels, admins, language, time zone, holidays, minimum group, retention,
money figures, the rituals' times), where its admins changed them from the deployment's defaults.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, not a batch: on SQLite a batch copies the table and drops the old one, and dropping
# `workspaces` would delete every row that references it (ON DELETE CASCADE). SQLite has DROP COLUMN since 3.35.


def upgrade() -> None:
    op.add_column("workspaces", sa.Column("settings", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("workspaces", "settings")
