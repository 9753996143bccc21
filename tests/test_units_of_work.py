"""Units of work that only read: on SQLite they do not take the write lock, and a write in one is refused
(on both databases, so that a request classed as a read cannot store anything unnoticed). A request's read
runs statement by statement, outside a transaction; every other unit of work runs in one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.db import SQLITE_BUSY_TIMEOUT_MS, Database, UnitOfWork, WriteInReadOnlyUnitOfWork, make_engine
from bot.models import Member, UsageLog
from bot.services.members import ensure_member, find_member
from bot.services.records import insert_ignoring_duplicate
from tests.conftest import TEAM, eventually
from tests.proxies import StallingProxy


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


def test_a_query_of_columns_sees_what_the_unit_changed_and_not_yet_wrote(database: Database) -> None:
    """`rows` runs on the connection, past the session: what the session holds unwritten is written first."""
    with database.unit_of_work(TEAM) as uow:
        member = ensure_member(uow, "U0ANNA", "de")
        member.track = "power"
        uow.session.add(UsageLog(team_id=TEAM, member_id=member.id, minutes=7, used_on=date(2026, 11, 26)))
        tracks = uow.rows(select(Member.track).where(Member.id == member.id), {}).scalars().all()
        minutes = uow.rows(select(func.sum(UsageLog.minutes)), {}).scalar_one()
    assert (tracks, minutes) == (["power"], 7)
    with database.unit_of_work(TEAM, read_only=True, deadline=time.monotonic() + 3) as uow:
        found = uow.rows(select(UsageLog.minutes).where(UsageLog.member_id == member.id), {}).scalars().all()
    assert found == [7]


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


def gave_up_waiting_for_the_lock(database: Database, request: Callable[[], None], seconds: float) -> bool:
    """Runs `request` while the members table is locked (PostgreSQL); whether it ended within `seconds`."""
    with database.engine.connect() as locker, locker.begin():
        locker.execute(text("LOCK TABLE members IN ACCESS EXCLUSIVE MODE"))
        waiting = threading.Thread(target=request)
        waiting.start()
        waiting.join(timeout=seconds)
        gave_up = not waiting.is_alive()
    waiting.join()
    return gave_up


@pytest.mark.parametrize("read_only", [True, False], ids=["read", "write"])
def test_a_statement_still_waiting_at_the_deadline_is_cancelled_and_its_connection_closed(
    database: Database, db_backend: str, read_only: bool
) -> None:
    """PostgreSQL: a request waiting for a lock past its deadline gives up (nothing stored), and the
    connection it used is not handed to the next request. SQLite's writers wait at most its busy timeout."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL only")
    outcome: list[object] = []

    def request() -> None:
        try:
            with database.unit_of_work(TEAM, time.monotonic() + 0.5, read_only=read_only) as uow:
                outcome.append(uow.session.scalar(text("SELECT pg_backend_pid()")))
                # Waits for the lock, which the test holds until this unit of work has given up.
                find_member(uow, "U0ANNA")
        except Exception as error:
            outcome.append(error)

    assert gave_up_waiting_for_the_lock(database, request, 30), "the request waited for the lock past its deadline"
    backend, error = outcome
    assert isinstance(error, OperationalError)

    def still_there() -> bool:
        # A transaction of its own each time: one transaction sees one snapshot of pg_stat_activity.
        with database.engine.connect() as connection:
            query = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            return bool(connection.scalar(query, {"pid": backend}))

    # Closed by this side; the server's process for it ends as soon as it notices.
    assert eventually(lambda: not still_there(), timeout=10)
    with database.unit_of_work(TEAM, time.monotonic() + 10) as uow:
        ensure_member(uow, "U0ANNA", "de")
        assert uow.session.scalar(text("SELECT pg_backend_pid()")) != backend


def reads_due_in_half_a_second(database: Database, count: int) -> list[BaseException]:
    """Runs `count` reads at once, each with half a second to its deadline; what they failed with. Each must
    have ended within 30 s."""
    errors: list[BaseException] = []

    def request() -> None:
        try:
            with database.unit_of_work(TEAM, time.monotonic() + 0.5, read_only=True) as uow:
                uow.session.execute(text("SELECT 1"))
        except Exception as error:
            errors.append(error)

    requests = [threading.Thread(target=request) for _ in range(count)]
    for waiting in requests:
        waiting.start()
    for waiting in requests:
        waiting.join(timeout=30)
    assert not any(waiting.is_alive() for waiting in requests), "a request still waits on a stalled connection"
    return errors


def test_connections_that_stall_past_their_deadline_are_cut_all_at_once(postgres_url: str) -> None:
    """A database that accepts but no longer answers (the network stalls): the cancel cannot reach it either,
    so each connection is cut on this side and every waiting request ends with an error, not when the
    network comes back."""
    url = make_url(postgres_url)
    proxy = StallingProxy((url.host or "127.0.0.1", url.port or 5432))
    engine = make_engine(url.set(port=proxy.port).render_as_string(hide_password=False), pool_size=3)
    database = Database(engine)
    try:
        # Three pooled connections, used moments ago.
        with engine.connect() as a, engine.connect() as b, engine.connect() as c:
            for connection in (a, b, c):
                connection.execute(text("SELECT 1"))
        proxy.flowing.clear()
        errors = reads_due_in_half_a_second(database, 3)
        assert len(errors) == 3 and all(isinstance(error, OperationalError) for error in errors), errors
    finally:
        proxy.flowing.set()
        proxy.close()
        engine.dispose()


# "sooner": the request starts well before the other unit's deadline, so the watcher is asleep until then and
# its wake-up finds the other unit gone and the request still to watch.
@pytest.mark.parametrize("other_deadline", [60.0, 1.0], ids=["one due later", "one due sooner"])
def test_a_unit_of_work_is_cancelled_at_its_deadline_whatever_the_others_watched_meanwhile(
    database: Database, db_backend: str, other_deadline: float
) -> None:
    """PostgreSQL: the deadlines' watcher is woken only by a unit of work due before the moment it looks
    again; one due later, or one whose unit of work ended before the watcher looked, must not let another
    wait past its deadline."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL only")
    other_open, other_may_end = threading.Event(), threading.Event()

    def other_unit() -> None:
        with database.unit_of_work(TEAM, time.monotonic() + other_deadline, read_only=True) as uow:
            uow.session.execute(text("SELECT 1"))
            other_open.set()
            other_may_end.wait(timeout=90)

    outcome: list[BaseException] = []

    def request() -> None:
        try:
            with database.unit_of_work(TEAM, time.monotonic() + 1.5) as uow:
                find_member(uow, "U0ANNA")  # waits for the lock the test holds
        except Exception as error:
            outcome.append(error)

    other = threading.Thread(target=other_unit)
    other.start()
    assert other_open.wait(timeout=10)
    if other_deadline < 60:
        other_may_end.set()  # ended before the watcher looks again at its deadline
        other.join()
    # Long before the other unit of work's deadline (60 s): the request did not wait for that one's turn.
    gave_up = gave_up_waiting_for_the_lock(database, request, 20)
    other_may_end.set()
    other.join()
    assert gave_up, "the request waited for the lock past its deadline"
    assert len(outcome) == 1 and isinstance(outcome[0], OperationalError), outcome


def test_a_connection_whose_answers_stall_is_cut_although_the_server_took_the_cancel(postgres_url: str) -> None:
    """A half-open network: what the bot sends still arrives (so the cancel reaches the server), but nothing
    comes back on the connection. The request still ends with an error, not when the network comes back."""
    url = make_url(postgres_url)
    proxy = StallingProxy((url.host or "127.0.0.1", url.port or 5432))
    engine = make_engine(url.set(port=proxy.port).render_as_string(hide_password=False), pool_size=1)
    database = Database(engine)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        proxy.stall_answers()
        errors = reads_due_in_half_a_second(database, 1)
        assert len(errors) == 1 and isinstance(errors[0], OperationalError), errors
    finally:
        proxy.resume_answers()
        proxy.close()
        engine.dispose()
