"""The Alembic migrations produce exactly the schema the models describe (SQLite and PostgreSQL)."""

import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from bot.db import Database, make_engine
from bot.docs.pack import stored_tables
from bot.domain.buddies import Answer
from bot.domain.use_cases import Status
from bot.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from bot.models import Base, BuddyCheckIn, UseCase, UseCaseStatusChange
from tests.conftest import PG_URL, make_settings


def test_models_and_migrations_agree(migrated_engine: Engine) -> None:
    """The migrations build the models' tables and Slack's installation tables, as slack_sdk defines them."""
    expected = MetaData()
    for table in stored_tables():
        table.to_metadata(expected)
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, expected) == []


def test_upgrade_is_idempotent_and_recorded(migrated_engine: Engine) -> None:
    upgrade_to_head(migrated_engine)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with migrated_engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    tables = set(inspect(migrated_engine).get_table_names())
    assert {table.name for table in Base.metadata.sorted_tables} <= tables


def test_postgresql_vacuums_the_daily_totals_after_a_hundredth_of_them_changed(
    migrated_engine: Engine, db_backend: str
) -> None:
    """The KPI queries' index-only scans skip only pages vacuum has seen (0020); SQLite has no autovacuum."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL only")
    with migrated_engine.connect() as connection:
        options = connection.scalar(text("SELECT reloptions FROM pg_class WHERE oid = 'usage_day_totals'::regclass"))
    assert set(options) == {"autovacuum_vacuum_scale_factor=0.01", "autovacuum_vacuum_insert_scale_factor=0.01"}


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_start_at_the_newest_revision_does_not_load_alembic(tmp_path: Path) -> None:
    """Alembic is only imported when a migration is pending, so a restarted process does not carry it."""
    url = f"sqlite:///{tmp_path / 'at_head.db'}"
    upgrade_to_head(create_engine(url))
    script = (
        "import sys\n"
        "from sqlalchemy import create_engine\n"
        "from bot.migrate import upgrade_to_head\n"
        f"upgrade_to_head(create_engine({url!r}))\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('alembic', 'mako')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    script = script.replace(url, fresh)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "'alembic'" in result.stdout
    assert current_revision(create_engine(fresh)) == head_revision()


@contextmanager
def migrated_up_to(engine: Engine, revision: str) -> Iterator[Connection]:
    """A connection to `engine`, its database migrated only up to `revision` and holding workspace T1: the
    test writes rows as they were stored then, committed when the block ends."""
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.exec_driver_sql("INSERT INTO workspaces VALUES ('T1', 'de', '2026-01-01 00:00:00')")
        yield connection
        connection.commit()


def test_migrations_keep_existing_rows(tmp_path: Path) -> None:
    """A database created by the first migration, with data, upgrades to head without losing it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with migrated_up_to(engine, "0001") as connection:
        connection.exec_driver_sql(
            "INSERT INTO members (id, team_id, slack_user_id, created_at) VALUES (1, 'T1', 'U1', '2026-01-01 00:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO usage_logs (team_id, member_id, minutes, tool, use_case_slug, note, "
            "used_on, created_at) VALUES ('T1', 1, 45, 'chatgpt', NULL, 'x', '2026-01-02', "
            "'2026-01-02 10:00:00')"
        )
    upgrade_to_head(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT minutes, tool FROM usage_logs").all() == [(45, "chatgpt")]
        assert connection.exec_driver_sql("SELECT slack_user_id FROM members").all() == [("U1",)]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_existing_entries_and_checks_get_their_authors_department(tmp_path: Path) -> None:
    """Before departments were stored with entries, the member's department was the only one known: the
    upgrade writes it onto their entries and self-checks and starts their history when they joined."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with migrated_up_to(engine, "0006") as connection:
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


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database of its own without any tables, to migrate step by step."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'steps.db'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_settings(PG_URL).sqlalchemy_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    engine = make_engine(make_settings(f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}").sqlalchemy_url)
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


GERMAN_STATUSES = ["idee", "pilot", "ausgerollt", "verworfen"]
GERMAN_ANSWERS = ["ja", "nein", "pause"]


def _stored(engine: Engine) -> tuple[list[str], list[str], list[str]]:
    with engine.connect() as connection:
        return (
            list(connection.execute(text("SELECT status FROM use_cases ORDER BY id")).scalars()),
            list(connection.execute(text("SELECT status FROM use_case_status_changes ORDER BY id")).scalars()),
            list(connection.execute(text("SELECT answer FROM buddy_checkins ORDER BY id")).scalars()),
        )


def test_stored_german_values_become_english_and_back(empty_engine: Engine) -> None:
    """Statuses and check-in answers stored in German before 0010 read as the English values afterwards (and
    as the enum members through the models); the downgrade restores the German ones."""
    config = alembic_config()
    created = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    with empty_engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009")
        connection.execute(
            text("INSERT INTO workspaces (team_id, default_language, created_at) VALUES ('T1', 'de', :at)"),
            {"at": created},
        )
        for member_id in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO members (id, team_id, slack_user_id, ranking_opt_in, created_at) "
                    "VALUES (:id, 'T1', :user, :no, :at)"
                ),
                {"id": member_id, "user": f"U{member_id}", "no": False, "at": created},
            )
        for case_id, status in enumerate(GERMAN_STATUSES, 1):
            connection.execute(
                text(
                    "INSERT INTO use_cases (id, team_id, slug, title, title_key, minutes_per_week, status, created_at) "
                    "VALUES (:id, 'T1', :slug, :slug, :slug, 60, :status, :at)"
                ),
                {"id": case_id, "slug": f"fall-{case_id}", "status": status, "at": created},
            )
            connection.execute(
                text(
                    "INSERT INTO use_case_status_changes (team_id, use_case_id, status, changed_at) "
                    "VALUES ('T1', :id, :status, :at)"
                ),
                {"id": case_id, "status": status, "at": created},
            )
        connection.execute(
            text(
                "INSERT INTO buddy_pairs (id, team_id, mentor_id, mentee_id, kind, status, started_on, ends_on, "
                "created_at) VALUES (1, 'T1', 1, 2, 'mentor', 'active', :start, :end, :at)"
            ),
            {"start": date(2026, 11, 2), "end": date(2027, 1, 25), "at": created},
        )
        for week, answer in enumerate(GERMAN_ANSWERS):
            connection.execute(
                text("INSERT INTO buddy_checkins (team_id, pair_id, week, answer) VALUES ('T1', 1, :week, :answer)"),
                {"week": date(2026, 11, 2 + 7 * week), "answer": answer},
            )
        connection.commit()

    upgrade_to_head(empty_engine)
    assert _stored(empty_engine) == (
        ["idea", "pilot", "rolled_out", "discarded"],
        ["idea", "pilot", "rolled_out", "discarded"],
        ["yes", "no", "pause"],
    )
    with Database(empty_engine).unit_of_work("T1") as uow:
        assert uow.session.scalars(select(UseCase.status).order_by(UseCase.id)).all() == list(Status)
        assert uow.session.scalars(select(UseCaseStatusChange.status).order_by(UseCaseStatusChange.id)).all() == list(
            Status
        )
        assert uow.session.scalars(select(BuddyCheckIn.answer).order_by(BuddyCheckIn.id)).all() == list(Answer)
    # The one-mentor index of 0008 still holds: a second running mentor for the mentee is refused.
    with pytest.raises(IntegrityError), empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO buddy_pairs (team_id, mentor_id, mentee_id, kind, status, started_on, ends_on, "
                "created_at) VALUES ('T1', 3, 2, 'mentor', 'active', :start, :end, :at)"
            ),
            {"start": date(2026, 11, 9), "end": date(2027, 2, 1), "at": created},
        )

    with empty_engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
        connection.commit()
    assert _stored(empty_engine) == (GERMAN_STATUSES, GERMAN_STATUSES, GERMAN_ANSWERS)
