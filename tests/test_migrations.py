"""The Alembic migrations produce exactly the schema the models describe (SQLite and PostgreSQL)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from bot.migrate import upgrade_to_head
from bot.models import Base


def test_models_and_migrations_agree(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_idempotent_and_recorded(migrated_engine: Engine) -> None:
    upgrade_to_head(migrated_engine)
    with migrated_engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    tables = set(inspect(migrated_engine).get_table_names())
    assert {"workspaces", "members", "usage_logs"} <= tables


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: object) -> None:
    from pathlib import Path

    from bot.db import make_engine

    engine = make_engine(f"sqlite:///{Path(str(tmp_path)) / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
