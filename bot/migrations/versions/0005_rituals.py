"""Rituals: office hours and monthly updates with RSVPs, quarterly retrospective answers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ritual_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("department", sa.String(length=80), nullable=True),
        sa.Column("channel", sa.String(length=80), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=True),
        sa.Column("summary_link", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_ritual_events_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ritual_events")),
        sa.UniqueConstraint("team_id", "kind", "starts_at", name="uq_ritual_events_occurrence"),
    )
    op.create_table(
        "retro_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("works", sa.String(length=500), nullable=True),
        sa.Column("blocks", sa.String(length=500), nullable=True),
        sa.Column("needs", sa.String(length=500), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_retro_responses_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_retro_responses_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retro_responses")),
        sa.UniqueConstraint("team_id", "quarter", "member_id", name="uq_retro_responses_member"),
    )
    op.create_table(
        "rsvps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["ritual_events.id"], name=op.f("fk_rsvps_event_id_ritual_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_rsvps_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_rsvps_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rsvps")),
        sa.UniqueConstraint("event_id", "member_id", name="uq_rsvps_event_member"),
    )


def downgrade() -> None:
    op.drop_table("rsvps")
    op.drop_table("retro_responses")
    op.drop_table("ritual_events")
