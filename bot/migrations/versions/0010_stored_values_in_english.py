"""Fixed values are stored in English: use case statuses ("idee" → "idea", "ausgerollt" → "rolled_out",
"verworfen" → "discarded") and check-in answers ("ja" → "yes", "nein" → "no"). Every other fixed value was
English already, so the partial index of 0008 (`status = 'active' AND kind = 'mentor'`) stays as it is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUSES = {"idee": "idea", "ausgerollt": "rolled_out", "verworfen": "discarded"}
# (table, column) → {German value: English value}
RENAMED = {
    ("use_cases", "status"): _STATUSES,
    ("use_case_status_changes", "status"): _STATUSES,
    ("buddy_checkins", "answer"): {"ja": "yes", "nein": "no"},
}


def _rewrite(english: bool) -> None:
    for (table, column), values in RENAMED.items():
        for german, translated in values.items():
            old, new = (german, translated) if english else (translated, german)
            op.execute(
                sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old").bindparams(old=old, new=new)
            )


def upgrade() -> None:
    _rewrite(english=True)


def downgrade() -> None:
    _rewrite(english=False)
