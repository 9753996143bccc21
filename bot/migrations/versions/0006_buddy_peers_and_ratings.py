"""Buddy programme: learning partners (peer pairs and trios) and each person's rating when a programme ends.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("buddy_pairs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("third_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(length=10), server_default="mentor", nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_buddy_pairs_third_id_members"), "members", ["third_id"], ["id"], ondelete="CASCADE"
        )

    with op.batch_alter_table("buddy_enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waiting_since_round", sa.Date(), nullable=True))

    op.create_table(
        "buddy_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=280), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_buddy_ratings_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["buddy_pairs.id"], name=op.f("fk_buddy_ratings_pair_id_buddy_pairs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_buddy_ratings_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buddy_ratings")),
        sa.UniqueConstraint("pair_id", "member_id", name="uq_buddy_ratings_pair_member"),
    )
    with op.batch_alter_table("buddy_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_buddy_ratings_team_time", ["team_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("buddy_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_buddy_ratings_team_time")
    op.drop_table("buddy_ratings")

    with op.batch_alter_table("buddy_enrollments", schema=None) as batch_op:
        batch_op.drop_column("waiting_since_round")

    with op.batch_alter_table("buddy_pairs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_buddy_pairs_third_id_members"), type_="foreignkey")
        batch_op.drop_column("kind")
        batch_op.drop_column("third_id")
