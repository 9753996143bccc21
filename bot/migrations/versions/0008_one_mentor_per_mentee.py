"""A mentee has at most one running mentor pair: a partial unique index (the database itself refuses a
second one, even if two matching rounds raced).

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE_MENTOR_PAIR = "status = 'active' AND kind = 'mentor'"


def upgrade() -> None:
    # Rounds that raced before this index existed may have left a mentee with two mentors: the later pairs
    # end, the first stays.
    op.execute(
        sa.text(
            "UPDATE buddy_pairs SET status = 'ended', ended_at = CURRENT_TIMESTAMP "
            f"WHERE {ACTIVE_MENTOR_PAIR} AND id NOT IN ("
            f"SELECT MIN(id) FROM buddy_pairs WHERE {ACTIVE_MENTOR_PAIR} GROUP BY team_id, mentee_id)"
        )
    )
    op.create_index(
        "uq_buddy_pairs_active_mentee",
        "buddy_pairs",
        ["team_id", "mentee_id"],
        unique=True,
        postgresql_where=sa.text(ACTIVE_MENTOR_PAIR),
        sqlite_where=sa.text(ACTIVE_MENTOR_PAIR),
    )


def downgrade() -> None:
    op.drop_index("uq_buddy_pairs_active_mentee", table_name="buddy_pairs")
