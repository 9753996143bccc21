"""PostgreSQL's autovacuum comes by the daily totals after 1 % of their rows changed, not its default 20 %.

The KPI queries read the totals with index-only scans, which skip the table only for pages that vacuum has
marked all-visible. Every log changes its day's row, and each change leaves a dead row and an index entry
behind: at the default threshold the latest three months (what the monthly report and the 12-week series read)
were not vacuumed, and those queries took 7 times as long (2.2 → 17 ms for a month at 1M logs; bench_kpis).
At 1 % autovacuum runs after a few days of logs; it skips what is visible already, so each run is short.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCALE_FACTOR = 0.01


def _settings() -> list[str]:
    """The table's settings this server knows: vacuuming after inserts came with PostgreSQL 13."""
    version = op.get_bind().dialect.server_version_info or (0,)
    inserts = ["autovacuum_vacuum_insert_scale_factor"] if version >= (13,) else []
    return ["autovacuum_vacuum_scale_factor", *inserts]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        changed = ", ".join(f"{setting} = {SCALE_FACTOR}" for setting in _settings())
        op.execute(f"ALTER TABLE usage_day_totals SET ({changed})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE usage_day_totals RESET ({', '.join(_settings())})")
