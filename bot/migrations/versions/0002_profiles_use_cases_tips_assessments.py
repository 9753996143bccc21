"""Profiles (track, career stage, privacy notice), departments, use cases, tips, self-checks, modules.

Usage logs reference use cases by id instead of a free-text tag.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_key", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_departments_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("team_id", "name_key", name="uq_departments_team_name"),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("overall_level", sa.Integer(), nullable=False),
        sa.Column("recommended_track", sa.String(length=40), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_assessments_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_assessments_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("team_id", "source_key", name="uq_assessments_team_source"),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_member_time", ["member_id", "created_at"], unique=False)

    op.create_table(
        "module_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("module_key", sa.String(length=60), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_module_completions_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_module_completions_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module_completions")),
        sa.UniqueConstraint("member_id", "module_key", name="uq_module_completions_member_module"),
    )
    op.create_table(
        "tips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_tips_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_tips_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tips")),
    )
    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.create_index("ix_tips_team_time", ["team_id", "created_at"], unique=False)

    op.create_table(
        "use_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("title_key", sa.String(length=80), nullable=False),
        sa.Column("department", sa.String(length=80), nullable=True),
        sa.Column("minutes_per_week", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("learning", sa.String(length=200), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name=op.f("fk_use_cases_owner_id_members"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_use_cases_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_cases")),
        sa.UniqueConstraint("team_id", "slug", name="uq_use_cases_team_slug"),
        sa.UniqueConstraint("team_id", "source_key", name="uq_use_cases_team_source"),
        sa.UniqueConstraint("team_id", "title_key", name="uq_use_cases_team_title"),
    )
    op.create_table(
        "use_case_adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("use_case_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_use_case_adoptions_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_use_case_adoptions_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["use_case_id"],
            ["use_cases.id"],
            name=op.f("fk_use_case_adoptions_use_case_id_use_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_case_adoptions")),
        sa.UniqueConstraint("use_case_id", "member_id", name="uq_use_case_adoptions_case_member"),
    )
    op.create_table(
        "use_case_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("use_case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("learning", sa.String(length=200), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["members.id"],
            name=op.f("fk_use_case_status_changes_changed_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_use_case_status_changes_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["use_case_id"],
            ["use_cases.id"],
            name=op.f("fk_use_case_status_changes_use_case_id_use_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_case_status_changes")),
    )
    with op.batch_alter_table("use_case_status_changes", schema=None) as batch_op:
        batch_op.create_index("ix_use_case_status_changes_team_time", ["team_id", "changed_at"], unique=False)

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("track", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("career_stage", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("privacy_notice_shown_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("usage_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("use_case_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("source_key", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_usage_logs_use_case", ["use_case_id"], unique=False)
        batch_op.create_unique_constraint("uq_usage_logs_team_source", ["team_id", "source_key"])
        batch_op.create_foreign_key(
            batch_op.f("fk_usage_logs_use_case_id_use_cases"), "use_cases", ["use_case_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.drop_column("use_case_slug")


def downgrade() -> None:
    with op.batch_alter_table("usage_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("use_case_slug", sa.VARCHAR(length=40), nullable=True))
        batch_op.drop_constraint(batch_op.f("fk_usage_logs_use_case_id_use_cases"), type_="foreignkey")
        batch_op.drop_constraint("uq_usage_logs_team_source", type_="unique")
        batch_op.drop_index("ix_usage_logs_use_case")
        batch_op.drop_column("source_key")
        batch_op.drop_column("use_case_id")

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("deactivated_at")
        batch_op.drop_column("privacy_notice_shown_at")
        batch_op.drop_column("career_stage")
        batch_op.drop_column("track")

    with op.batch_alter_table("use_case_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_use_case_status_changes_team_time")

    op.drop_table("use_case_status_changes")
    op.drop_table("use_case_adoptions")
    op.drop_table("use_cases")
    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.drop_index("ix_tips_team_time")

    op.drop_table("tips")
    op.drop_table("module_completions")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_member_time")

    op.drop_table("assessments")
    op.drop_table("departments")
