"""The roadmap's Bestandsaufnahme: one answer per person and programme (tools, potential, time, champion).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inventory_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("programme_start", sa.Date(), nullable=False),
        sa.Column("tools", sa.JSON(), nullable=False),
        sa.Column("potential", sa.Text(), nullable=True),
        sa.Column("hours", sa.String(length=8), nullable=False),
        sa.Column("champion", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_inventory_answers_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_inventory_answers_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_answers")),
        sa.UniqueConstraint("member_id", "programme_start", name="uq_inventory_answers_member"),
    )


def downgrade() -> None:
    op.drop_table("inventory_answers")
