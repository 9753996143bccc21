"""Per-member daily totals of the usage logs (`usage_day_totals`), filled from the existing logs and kept in
step by triggers on `usage_logs`: every insert adds the entry to its (member, day, department) row, every
delete takes it away (and drops a row whose day has no entry left), every change of member, day, department
or minutes does both. Whatever writes the logs (a service, erasure's and retention's bulk updates, a cascade)
cannot miss them. Adding and taking away is exact integer arithmetic; on PostgreSQL two writers of the same
day meet on the row's lock (`ON CONFLICT`), where recomputing the day from the logs could race.

The triggers are created before the totals are filled: on PostgreSQL that locks `usage_logs` against writers
until the migration commits, so no entry written meanwhile can be missing from the totals.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The Monday of a day's week, in each dialect's SQL (`{day}` is a column or a trigger's NEW.used_on).
MONDAY = {
    "sqlite": "date({day}, '-' || ((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7) || ' days')",
    "postgresql": "({day} - (CAST(extract(isodow FROM {day}) AS INTEGER) - 1))",
}
COLUMNS = "team_id, member_id, used_on, department, week_start, minutes, entries"
# Rows of the trigger's OLD entry: the day it counted in.
OLD_DAY = "member_id = OLD.member_id AND used_on = OLD.used_on AND department = coalesce(OLD.department, '')"
TAKE_AWAY = f"""
    UPDATE usage_day_totals SET minutes = minutes - OLD.minutes, entries = entries - 1 WHERE {OLD_DAY};
    DELETE FROM usage_day_totals WHERE {OLD_DAY} AND entries = 0;"""
WATCHED = ("team_id", "member_id", "used_on", "department", "minutes")
WATCHED_LIST = ", ".join(WATCHED)
CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in WATCHED)


def _add(dialect: str) -> str:
    return f"""
    INSERT INTO usage_day_totals ({COLUMNS})
    VALUES (NEW.team_id, NEW.member_id, NEW.used_on, coalesce(NEW.department, ''),
            {MONDAY[dialect].format(day="NEW.used_on")}, NEW.minutes, 1)
    ON CONFLICT (member_id, used_on, department)
    DO UPDATE SET minutes = usage_day_totals.minutes + excluded.minutes, entries = usage_day_totals.entries + 1;"""


def _create_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(
            f"""CREATE FUNCTION usage_day_totals_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {TAKE_AWAY}
  END IF;
  IF TG_OP <> 'DELETE' THEN {_add(dialect)}
  END IF;
  RETURN NULL;
END
$$"""
        )
        op.execute(
            "CREATE TRIGGER usage_day_totals_on_insert_delete AFTER INSERT OR DELETE ON usage_logs "
            "FOR EACH ROW EXECUTE FUNCTION usage_day_totals_keep()"
        )
        op.execute(
            f"CREATE TRIGGER usage_day_totals_on_update AFTER UPDATE OF {WATCHED_LIST} ON usage_logs "
            f"FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION usage_day_totals_keep()"
        )
        return
    changed = CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    op.execute(f"CREATE TRIGGER usage_day_totals_on_insert AFTER INSERT ON usage_logs BEGIN {_add(dialect)}\nEND")
    op.execute(f"CREATE TRIGGER usage_day_totals_on_delete AFTER DELETE ON usage_logs BEGIN {TAKE_AWAY}\nEND")
    op.execute(
        f"CREATE TRIGGER usage_day_totals_on_update AFTER UPDATE OF {WATCHED_LIST} ON usage_logs WHEN {changed} "
        f"BEGIN {TAKE_AWAY}{_add(dialect)}\nEND"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "usage_day_totals",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("used_on", sa.Date(), nullable=False),
        sa.Column("department", sa.String(length=80), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_usage_day_totals_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "used_on", "department", name=op.f("pk_usage_day_totals")),
    )
    op.create_index(
        "ix_usage_day_totals_team_day",
        "usage_day_totals",
        ["team_id", "used_on", "department", "member_id", "minutes"],
    )
    op.create_index(
        "ix_usage_day_totals_team_week", "usage_day_totals", ["team_id", "week_start", "member_id", "minutes"]
    )
    _create_triggers(dialect)
    op.execute(
        f"INSERT INTO usage_day_totals ({COLUMNS}) "
        f"SELECT team_id, member_id, used_on, coalesce(department, ''), {MONDAY[dialect].format(day='used_on')}, "
        "sum(minutes), count(*) FROM usage_logs GROUP BY team_id, member_id, used_on, coalesce(department, '')"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER usage_day_totals_on_update ON usage_logs")
        op.execute("DROP TRIGGER usage_day_totals_on_insert_delete ON usage_logs")
        op.execute("DROP FUNCTION usage_day_totals_keep()")
    else:
        for event in ("update", "delete", "insert"):
            op.execute(f"DROP TRIGGER usage_day_totals_on_{event}")
    op.drop_index("ix_usage_day_totals_team_week", table_name="usage_day_totals")
    op.drop_index("ix_usage_day_totals_team_day", table_name="usage_day_totals")
    op.drop_table("usage_day_totals")
