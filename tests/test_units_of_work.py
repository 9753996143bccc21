"""Units of work that only read: on SQLite they do not take the write lock, and a write in one is refused
(on both databases, so that a request classed as a read cannot store anything unnoticed). A request's read
runs statement by statement, outside a transaction; every other unit of work runs in one."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from bot.db import SQLITE_BUSY_TIMEOUT_MS, Database, UnitOfWork, WriteInReadOnlyUnitOfWork
from bot.models import Member, UsageLog
from bot.services.members import ensure_member, find_member
from bot.services.records import insert_ignoring_duplicate
from tests.conftest import TEAM, eventually


def members(database: Database) -> int:
    with database.unit_of_work(TEAM, read_only=True) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Member)) or 0)


def in_ten_seconds() -> float:
    return time.monotonic() + 10


@pytest.mark.parametrize("deadline", [None, in_ten_seconds], ids=["job's read", "request's read"])
def test_a_read_only_unit_of_work_refuses_to_write(database: Database, deadline: Callable[[], float] | None) -> None:
    def reading() -> AbstractContextManager[UnitOfWork]:
        return database.unit_of_work(TEAM, deadline and deadline(), read_only=True)

    with database.unit_of_work(TEAM) as uow:
        ensure_member(uow, "U0ANNA", "de")
    with pytest.raises(WriteInReadOnlyUnitOfWork), reading() as uow:
        insert_ignoring_duplicate(uow, Member, {"team_id": TEAM, "slack_user_id": "U0JOHN"})
    with pytest.raises(WriteInReadOnlyUnitOfWork), reading() as uow:
        uow.session.add(Member(team_id=TEAM, slack_user_id="U0JOHN"))
        uow.session.flush()
    with pytest.raises(WriteInReadOnlyUnitOfWork), reading() as uow:
        member = find_member(uow, "U0ANNA")
        assert member is not None
        member.language = "en"
    assert members(database) == 1
    with database.unit_of_work(TEAM, read_only=True) as uow:
        member = find_member(uow, "U0ANNA")
        assert member is not None and member.language is None


def test_a_row_inserted_without_an_object_is_stamped_and_cleaned_like_an_added_one(database: Database) -> None:
    now = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    database.clock = lambda: now
    with database.unit_of_work(TEAM) as uow:
        member = ensure_member(uow, "U0ANNA", "de")
        values = {"member_id": member.id, "minutes": 5, "used_on": date(2026, 11, 26), "note": "Angebot\x00 mit\x07 KI"}
        inserted = uow.insert(UsageLog, **values)
        added = uow.add(UsageLog, **values)
    with database.unit_of_work(TEAM, read_only=True) as uow:
        rows = {row.id: row for row in uow.session.scalars(select(UsageLog))}
    assert inserted != added.id
    for row in rows.values():
        assert (row.team_id, row.note, row.created_at) == (TEAM, "Angebot mit KI", now)
    with pytest.raises(WriteInReadOnlyUnitOfWork), database.unit_of_work(TEAM, read_only=True) as uow:
        uow.insert(UsageLog, **values)


def test_setting_a_value_a_row_already_holds_is_no_write(database: Database) -> None:
    with database.unit_of_work(TEAM) as uow:
        ensure_member(uow, "U0ANNA", "de").track = "power"
    with database.unit_of_work(TEAM, read_only=True) as uow:
        member = find_member(uow, "U0ANNA")
        assert member is not None
        member.track = "power"
        uow.session.flush()


def test_a_read_does_not_wait_for_another_writer(database: Database) -> None:
    with database.unit_of_work(TEAM) as uow:
        ensure_member(uow, "U0ANNA", "de")
    with database.engine.connect() as other, other.begin():
        # A writer in the middle of its transaction (on SQLite it holds the database's write lock, which a
        # unit of work that begins IMMEDIATE would wait for, and give up on after the busy timeout).
        other.execute(text("DELETE FROM members WHERE id < 0"))
        started = time.monotonic()
        assert members(database) == 1
        assert time.monotonic() - started < SQLITE_BUSY_TIMEOUT_MS / 1000 / 2


def in_transaction(uow: UnitOfWork) -> bool:
    """Whether the database connection of `uow` is inside a transaction right now."""
    connection = uow.session.connection().connection.dbapi_connection
    if uow.session.get_bind().dialect.name == "sqlite":
        return bool(connection.in_transaction)  # type: ignore[union-attr]
    return str(connection.info.transaction_status.name) != "IDLE"  # type: ignore[union-attr]


def test_only_a_requests_read_runs_outside_a_transaction(database: Database) -> None:
    """A request that only reads spares the BEGIN and ROLLBACK (two round trips on PostgreSQL); a read for a
    job or an export keeps one snapshot, and every unit that may write keeps its transaction."""
    with database.unit_of_work(TEAM) as uow:
        ensure_member(uow, "U0ANNA", "de")
        assert in_transaction(uow)
    with database.unit_of_work(TEAM, in_ten_seconds(), read_only=True) as uow:
        assert find_member(uow, "U0ANNA") is not None
        assert not in_transaction(uow)
    with database.unit_of_work(TEAM, read_only=True) as uow:
        assert find_member(uow, "U0ANNA") is not None
        assert in_transaction(uow)
    with database.unit_of_work(TEAM, in_ten_seconds()) as uow:
        assert find_member(uow, "U0ANNA") is not None
        assert in_transaction(uow)


@pytest.mark.parametrize("read_only", [True, False], ids=["read", "write"])
def test_a_statement_still_waiting_at_the_deadline_is_cancelled_and_its_connection_closed(
    database: Database, db_backend: str, read_only: bool
) -> None:
    """PostgreSQL: a request waiting for a lock past its deadline gives up (nothing stored), and the
    connection it used is not handed to the next request. SQLite's writers wait at most its busy timeout."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL only")
    with database.engine.connect() as other, other.begin():
        other.execute(text("LOCK TABLE members IN ACCESS EXCLUSIVE MODE"))
        with (
            pytest.raises(OperationalError),
            database.unit_of_work(TEAM, time.monotonic() + 0.5, read_only=read_only) as uow,
        ):
            backend = uow.session.scalar(text("SELECT pg_backend_pid()"))
            # Waits for the lock, which `other` holds until after this unit of work has given up.
            find_member(uow, "U0ANNA")

    def still_there() -> bool:
        # A transaction of its own each time: one transaction sees one snapshot of pg_stat_activity.
        with database.engine.connect() as connection:
            query = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            return bool(connection.scalar(query, {"pid": backend}))

    # Closed by this side; the server's process for it ends as soon as it notices.
    assert eventually(lambda: not still_there(), timeout=10)
    with database.unit_of_work(TEAM, time.monotonic() + 10, read_only=True) as uow:
        assert find_member(uow, "U0ANNA") is None
