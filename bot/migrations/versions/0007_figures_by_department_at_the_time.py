"""Figures by the department people had at the time: the department on each usage log and self-check, a
history of department memberships, and each quarter's retrospective results frozen once.

Existing rows are backfilled from each member's current department (the only one known so far), the
history with one row per member valid from when they joined.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("usage_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department", sa.String(length=80), nullable=True))
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department", sa.String(length=80), nullable=True))
    op.create_table(
        "department_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=80), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_department_memberships_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_department_memberships_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department_memberships")),
    )
    op.create_index("ix_department_memberships_team_time", "department_memberships", ["team_id", "valid_from"])
    op.create_table(
        "retro_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_retro_summaries_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retro_summaries")),
        sa.UniqueConstraint("team_id", "quarter", name="uq_retro_summaries_quarter"),
    )
    for table in ("usage_logs", "assessments"):
        op.execute(
            f"UPDATE {table} SET department = "
            f"(SELECT members.department FROM members WHERE members.id = {table}.member_id)"
        )
    op.execute(
        "INSERT INTO department_memberships (team_id, member_id, department, valid_from) "
        "SELECT team_id, id, department, created_at FROM members"
    )


def downgrade() -> None:
    op.drop_table("retro_summaries")
    op.drop_index("ix_department_memberships_team_time", table_name="department_memberships")
    op.drop_table("department_memberships")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("department")
    with op.batch_alter_table("usage_logs", schema=None) as batch_op:
        batch_op.drop_column("department")
