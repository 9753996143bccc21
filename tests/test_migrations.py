"""The Alembic migrations produce exactly the schema the models describe (SQLite and PostgreSQL)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from bot.migrate import alembic_config, upgrade_to_head
from bot.models import Base


def test_models_and_migrations_agree(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_idempotent_and_recorded(migrated_engine: Engine) -> None:
    upgrade_to_head(migrated_engine)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with migrated_engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    tables = set(inspect(migrated_engine).get_table_names())
    assert {table.name for table in Base.metadata.sorted_tables} <= tables


def test_migrations_keep_existing_rows(tmp_path: object) -> None:
    """A database created by the first migration, with data, upgrades to head without losing it."""
    from pathlib import Path

    from alembic import command

    from bot.db import make_engine

    engine = make_engine(f"sqlite:///{Path(str(tmp_path)) / 'old.db'}")
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql("INSERT INTO workspaces VALUES ('T1', 'de', '2026-01-01 00:00:00')")
        connection.exec_driver_sql(
            "INSERT INTO members (id, team_id, slack_user_id, created_at) VALUES (1, 'T1', 'U1', '2026-01-01 00:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO usage_logs (team_id, member_id, minutes, tool, use_case_slug, note, "
            "used_on, created_at) VALUES ('T1', 1, 45, 'chatgpt', NULL, 'x', '2026-01-02', "
            "'2026-01-02 10:00:00')"
        )
        connection.commit()
    upgrade_to_head(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT minutes, tool FROM usage_logs").all() == [(45, "chatgpt")]
        assert connection.exec_driver_sql("SELECT slack_user_id FROM members").all() == [("U1",)]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: object) -> None:
    from pathlib import Path

    from bot.db import make_engine

    engine = make_engine(f"sqlite:///{Path(str(tmp_path)) / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_existing_entries_and_checks_get_their_authors_department(tmp_path: object) -> None:
    """Before departments were stored with entries, the member's department was the only one known: the
    upgrade writes it onto their entries and self-checks and starts their history when they joined."""
    from pathlib import Path

    from alembic import command

    from bot.db import make_engine

    engine = make_engine(f"sqlite:///{Path(str(tmp_path)) / 'old.db'}")
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
        connection.exec_driver_sql("INSERT INTO workspaces VALUES ('T1', 'de', '2026-01-01 00:00:00')")
        for member_id, department in ((1, "'Vertrieb'"), (2, "NULL")):
            connection.exec_driver_sql(
                "INSERT INTO members (id, team_id, slack_user_id, department, ranking_opt_in, created_at) "
                f"VALUES ({member_id}, 'T1', 'U{member_id}', {department}, 0, '2026-01-0{member_id} 00:00:00')"
            )
            connection.exec_driver_sql(
                "INSERT INTO usage_logs (team_id, member_id, minutes, note, used_on, created_at) "
                f"VALUES ('T1', {member_id}, 45, '', '2026-02-02', '2026-02-02 10:00:00')"
            )
        connection.exec_driver_sql(
            "INSERT INTO assessments (team_id, member_id, levels, overall_level, recommended_track, created_at) "
            "VALUES ('T1', 1, '{}', 2, 'power', '2026-02-03 10:00:00')"
        )
        connection.commit()
    upgrade_to_head(engine)
    with engine.connect() as connection:
        logs = connection.exec_driver_sql("SELECT member_id, department FROM usage_logs ORDER BY member_id").all()
        assert [tuple(row) for row in logs] == [(1, "Vertrieb"), (2, None)]
        assert connection.exec_driver_sql("SELECT department FROM assessments").scalar() == "Vertrieb"
        history = connection.exec_driver_sql(
            "SELECT member_id, department, valid_from FROM department_memberships ORDER BY member_id"
        ).all()
        assert [(row[0], row[1], str(row[2])[:10]) for row in history] == [
            (1, "Vertrieb", "2026-01-01"),
            (2, None, "2026-01-02"),
        ]
    engine.dispose()
