"""Engine set-up and the unit of work: one session and one transaction per Slack request or job run."""

from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import CompoundSelect, Engine, Result, Select, Table, create_engine, event, insert, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlalchemy.sql.dml import ReturningInsert

from bot.domain.privacy import clean_text
from bot.models import Base, stamped_columns, utcnow

Clock = Callable[[], datetime]

log = logging.getLogger(__name__)

# Slack waits 3 seconds for an answer. A request's unit of work commits only within this many seconds of the
# request's arrival, so that a person told "nothing was stored" never finds it stored later.
ANSWER_WINDOW_SECONDS = 2.5
# Waiting longer for another writer than a request may take at all is pointless.
SQLITE_BUSY_TIMEOUT_MS = 2000
# A database that accepts connections but never answers fails start-up and requests instead of hanging.
CONNECT_TIMEOUT_SECONDS = 3
# How long the cancel of a statement past its deadline may take to reach PostgreSQL before the connection
# is cut instead: Slack's window is nearly over by then.
CANCEL_TIMEOUT_SECONDS = 0.5
# A PostgreSQL connection that sat unused in the pool this long is pinged before it is used (see
# `_ping_when_idle`).
IDLE_PING_SECONDS = 10.0
# How long that ping may take before the connection counts as gone: a healthy server answers in a millisecond.
PING_WAIT_SECONDS = 1.0


class DatabaseTimeout(Exception):
    """The database did not answer within the request's window; the unit of work was rolled back."""


class WriteInReadOnlyUnitOfWork(Exception):
    """A unit of work opened to read tried to write: the caller chose the wrong kind."""


def make_engine(url: URL | str, *, connections: int | None = None, **kwargs: Any) -> Engine:
    """`connections`: how many threads of the process may hold a connection at once. The pool keeps that many
    open: with fewer (the pool's default is 5), each connection beyond them was closed as it came back and
    opened again for the next request, which on PostgreSQL starts a server process each time (under 20
    requests at once: 487 connections opened for 1,270 requests)."""
    url = make_url(url)
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    dialect = url.get_dialect()
    pool_class = kwargs.get("poolclass") or (
        dialect.get_pool_class(url) if issubclass(dialect, DefaultDialect) else QueuePool
    )
    # Only a queue pool keeps connections for several threads (an in-memory SQLite database has one per thread).
    if connections is not None and issubclass(pool_class, QueuePool):
        kwargs.setdefault("pool_size", connections)
        # The connection used last is used next: one request after another keeps using the same one, and
        # those not needed now sit idle (pinged only when used again, `_ping_when_idle`), instead of each
        # request taking the one that waited longest.
        kwargs.setdefault("pool_use_lifo", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    else:
        _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """A pooled connection that sat unused for a while may have been closed by the server since (a restart, an
    idle timeout): it is pinged before use, and replaced when it does not answer. One used moments ago is not:
    a ping on every checkout (`pool_pre_ping`) is a round trip on every request. A file SQLite database cannot
    go away under an open connection, so it is never pinged."""

    @event.listens_for(engine, "connect")
    def fresh(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["last_used"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def returned(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["last_used"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("last_used", 0.0) < IDLE_PING_SECONDS:
            return
        # Bounded like a unit of work: on a connection whose network stalled (no answer, and nothing that
        # closes it) the ping would wait for ever, before any unit of work's deadline is watched.
        with _DEADLINES.watching_connection(dbapi_connection, time.monotonic() + PING_WAIT_SECONDS) as watched:
            try:
                engine.dialect.do_ping(dbapi_connection)
                answered = True
            except engine.dialect.loaded_dbapi.Error:
                answered = False
        # Read once the watcher has let go: a cancel begun after the ping answered could still meet the request's
        # first statement on this connection.
        if not answered or watched.cancelled:
            # The pool replaces this connection with a new one and tries again.
            raise DisconnectionError("a pooled connection did not answer its ping")


def _configure_sqlite(engine: Engine) -> None:
    """WAL and foreign keys on; writers serialised with BEGIN IMMEDIATE.

    pysqlite's own transaction handling starts transactions lazily and cannot take the write lock up
    front, so a read-then-write unit of work (check the day's total, then insert) could race. Taking it
    at BEGIN makes such units of work correct. A unit of work that only reads begins DEFERRED
    (`sqlite_begin`): in WAL mode it reads its snapshot without waiting for, or holding up, any writer. A
    deferred transaction that later writes could fail with SQLITE_BUSY when its lock is upgraded, hence
    every unit of work that may write stays IMMEDIATE.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # `sqlite_begin=None`: no transaction, each statement on its own (a request's read, `Database`).
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        if mode is not None:
            connection.exec_driver_sql(f"BEGIN {mode}")


def check_database(engine: Engine) -> None:
    """Raises if the database cannot answer a trivial query."""
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin="DEFERRED").execute(text("SELECT 1"))


RowT = TypeVar("RowT", bound=Base)
Columns = TypeVarTuple("Columns")


class UnitOfWork:
    """A session bound to one workspace; commits when the block ends without error."""

    def __init__(self, session: Session, team_id: str, clock: Clock = utcnow, read_only: bool = False) -> None:
        self.session = session
        self.team_id = team_id
        self.clock = clock
        self.read_only = read_only

    def now(self) -> datetime:
        """The current moment by the application's clock, which tests and the console's `:now` set."""
        return self.clock()

    def add(self, model: type[RowT], **values: Any) -> RowT:
        """A new row of this unit's workspace, flushed so that it has its id. Every row the services create
        goes through here, so none can land in another workspace."""
        row = model(team_id=self.team_id, **values)
        self.session.add(row)
        self.session.flush()
        return row

    def insert(self, model: type[RowT], **values: Any) -> int:
        """A new row of this unit's workspace written at once, without making an object of it: its id. For rows
        written on the answer's path (a log), where the object is not needed; stamped and cleaned as `add`'s
        rows are (`_stamp_new_rows`, `_clean_texts`)."""
        if self.read_only:
            raise WriteInReadOnlyUnitOfWork()
        row = {**values, "team_id": self.team_id}
        for key in stamped_columns(model):
            if row.get(key) is None:
                row[key] = self.clock()
        for key, value in row.items():
            if isinstance(value, str) and not value.isprintable():
                row[key] = clean_text(value)
        self.session.flush()  # rows it refers to that the session holds unwritten come first
        return int(self.session.connection().execute(_inserting(model), row).scalar_one())

    def rows(
        self, query: Select[*Columns] | CompoundSelect[*Columns], parameters: Mapping[str, Any]
    ) -> Result[*Columns]:
        """A query of columns, not of mapped objects, run on the unit's connection: the session's way costs
        twice as much, for loading objects that such a query does not have. What the session holds unwritten
        is written first, as its own queries would do. Past the session's check of a read-only unit of work:
        only plain SELECTs, never one with a data-modifying WITH."""
        self.session.flush()
        return self.session.connection().execute(query, parameters)

    def savepoint(self) -> SessionTransaction:
        """A nested transaction: work refused inside it leaves nothing behind, the rest of the unit stays."""
        return self.session.begin_nested()


@cache
def _inserting(model: type[Base]) -> ReturningInsert[Any]:
    # Built once per model: on the answer's path, building a statement costs more than running it. Into the
    # table, not the mapped class: the ORM's bulk insert would take half of the answer's database time to
    # work out what the table's own insert already says.
    table = model.__table__
    assert isinstance(table, Table)
    return insert(table).returning(table.c.id)


class Database:
    def __init__(self, engine: Engine, clock: Clock = utcnow) -> None:
        self.engine = engine
        # Stamps new rows (`created_at` …); `Deps` points it at the application's clock.
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _stamp_new_rows)
        event.listen(self._sessions, "before_flush", _clean_texts)
        # A unit of work that only reads begins DEFERRED on SQLite (`_configure_sqlite`). A request's read (it has a
        # deadline) runs without a transaction: each statement reads its own snapshot, as it does in a PostgreSQL
        # transaction under READ COMMITTED, and a BEGIN and a ROLLBACK would be two more round trips on every
        # request that only reads. Other reads (an export, a report) keep one snapshot on SQLite.
        self._read_sessions = sessionmaker(engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False)
        statement_by_statement = (
            {"isolation_level": "AUTOCOMMIT"} if engine.dialect.name == "postgresql" else {"sqlite_begin": None}
        )
        self._request_read_sessions = sessionmaker(
            engine.execution_options(**statement_by_statement), expire_on_commit=False
        )
        # SQLite takes one writer at a time, and a writer that finds the database locked sleeps in growing steps
        # (SQLite's busy handler) before it looks again: under 20 requests at once, a tail of 350 ms. Writers of
        # this process queue on a lock instead, which wakes the next one as soon as the last one ends; other
        # processes still meet at SQLite's lock.
        self._writers = threading.RLock() if engine.dialect.name == "sqlite" else None
        for reads in (self._read_sessions, self._request_read_sessions):
            event.listen(reads, "before_flush", _refuse_flushed_writes)
            event.listen(reads, "do_orm_execute", _refuse_statement_writes)

    @contextmanager
    def unit_of_work(
        self, team_id: str, deadline: float | None = None, *, read_only: bool = False
    ) -> Iterator[UnitOfWork]:
        """One transaction, or for a request's read one statement at a time. With a `deadline` (a
        `time.monotonic()` value) no statement waits past it, and a unit of work that ends after it is rolled
        back with `DatabaseTimeout` instead of committed.

        `read_only`: the unit of work only reads, so on SQLite it does not take the write lock; a write in
        it raises `WriteInReadOnlyUnitOfWork`. A request's read (with a deadline) reads statement by statement,
        outside a transaction: each statement sees the latest committed state, as in a PostgreSQL transaction
        under READ COMMITTED."""
        if read_only:
            sessions = self._read_sessions if deadline is None else self._request_read_sessions
        else:
            sessions = self._sessions
        queued = self._writer_turn(deadline) if not read_only else nullcontext()
        with queued, sessions() as session, session.begin():
            session.info["clock"] = self.clock
            with self._watching(session, deadline):
                yield UnitOfWork(session, team_id, self.clock, read_only)
                if deadline is not None and time.monotonic() > deadline:
                    raise DatabaseTimeout()

    @contextmanager
    def _writer_turn(self, deadline: float | None) -> Iterator[None]:
        """This process's turn to write (SQLite). Waits as long as SQLite would; without the turn by then, the
        unit of work goes on and meets SQLite's own lock, as it would without the queue."""
        if self._writers is None:
            yield
            return
        wait = SQLITE_BUSY_TIMEOUT_MS / 1000
        if deadline is not None:
            wait = min(wait, max(deadline - time.monotonic(), 0.0))
        queued = self._writers.acquire(timeout=wait)
        try:
            yield
        finally:
            if queued:
                self._writers.release()

    def _watching(self, session: Session, deadline: float | None) -> AbstractContextManager[None]:
        """No statement waits past the deadline: on PostgreSQL it is cancelled (`_Deadlines`); SQLite's
        writers wait at most SQLITE_BUSY_TIMEOUT_MS, and for this process's writers at most until the
        deadline (`_writer_turn`)."""
        if deadline is None or self.engine.dialect.name != "postgresql":
            return nullcontext()
        return _DEADLINES.watching(session, deadline)

    def dispose(self) -> None:
        self.engine.dispose()


@dataclass
class _Watched:
    """A unit of work the watcher looks after."""

    deadline: float
    connection: Any
    # A duplicate of the connection's socket, taken while the unit of work holds the connection: cutting
    # through it can never reach another socket that got the number after the connection closed.
    socket: socket.socket | None
    # Set by the watcher, under `_Deadlines._changed`, when it begins to cancel the unit of work.
    cancelled: bool = False
    # Set under `lock` when the unit of work has let go of its connection: nothing touches it afterwards. The
    # cancel waits on it.
    let_go: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Deadlines:
    """Ends the statement a PostgreSQL connection runs, or the lock it waits for, once its unit of work's
    deadline has passed: PostgreSQL's cancel request, sent from a thread of its own. Limiting each unit of
    work with `statement_timeout` did the same at the cost of a round trip on every request.

    A unit of work that was cancelled ends with an error (`DatabaseTimeout` if nothing else failed first) and
    its connection is closed, not pooled again: a cancel travels on a connection of its own and could
    otherwise meet the next unit of work's statement. Once its unit of work has ended, a connection is not
    touched."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._watched: dict[int, _Watched] = {}
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None
        # When the watcher looks again by itself (None: not until it is woken). A unit of work whose deadline
        # comes later (nearly every one: each has the same time from its request's arrival) does not wake it:
        # waking it on every request was a switch between threads on every request.
        self._looks_at: float | None = None

    @contextmanager
    def watching(self, session: Session, deadline: float) -> Iterator[None]:
        connection = session.connection()
        with self.watching_connection(connection.connection.dbapi_connection, deadline) as watched:
            try:
                yield
            finally:
                if watched.cancelled:
                    connection.invalidate()
        if watched.cancelled:
            # Cancelled after its last statement: its commit could meet the cancel.
            raise DatabaseTimeout()

    @contextmanager
    def watching_connection(self, dbapi_connection: Any, deadline: float) -> Iterator[_Watched]:
        """What runs on `dbapi_connection` meanwhile is cancelled, or the connection cut, at `deadline`."""
        watched = _Watched(deadline, dbapi_connection, _duplicate_socket(dbapi_connection))
        with self._changed:
            token = next(self._tokens)
            self._watched[token] = watched
            if self._thread is None or not self._thread.is_alive():
                self._looks_at = None
                self._thread = threading.Thread(target=self._cancel_when_due, name="db-deadlines", daemon=True)
                self._thread.start()
            if self._looks_at is None or deadline < self._looks_at:
                self._looks_at = deadline
                self._changed.notify()
        try:
            yield watched
        finally:
            with self._changed:
                del self._watched[token]
            with watched.lock:
                watched.let_go.set()
                if watched.socket is not None:
                    watched.socket.close()

    def _cancel_when_due(self) -> None:
        while True:
            with self._changed:
                now = time.monotonic()
                pending = [watched for watched in self._watched.values() if not watched.cancelled]
                due = [watched for watched in pending if watched.deadline <= now]
                if not due:
                    self._looks_at = min((watched.deadline for watched in pending), default=None)
                    self._changed.wait(self._looks_at - now if self._looks_at is not None else None)
                    continue
                for watched in due:
                    watched.cancelled = True
            for watched in due:
                # Each on a thread of its own: a cancel that cannot reach the server waits for its timeout, and
                # when the network stalls every unit of work in flight is due at once.
                threading.Thread(target=_cancel_or_cut, args=(watched,), name="db-cancel", daemon=True).start()


def _duplicate_socket(dbapi_connection: Any) -> socket.socket | None:
    try:
        return socket.socket(fileno=os.dup(dbapi_connection.pgconn.socket))
    except Exception:  # no socket to duplicate: the connection has nothing to cut either
        return None


def _cancel_or_cut(watched: _Watched) -> None:
    try:
        watched.connection.cancel_safe(timeout=CANCEL_TIMEOUT_SECONDS)
    except Exception as error:  # the connection closed meanwhile, or the server is unreachable
        log.info("no cancel sent for a unit of work past its deadline (%s)", type(error).__name__)
    else:
        # The server took the cancel. Its answer comes back on the connection, unless that connection's way
        # back stalls while new connections get through (a half-open network): then the unit of work is still
        # waiting when this wait ends, and its connection is cut. A cancelled connection is not used again,
        # so cutting one that is slow to let go is harmless.
        if watched.let_go.wait(CANCEL_TIMEOUT_SECONDS):
            return
    _cut(watched)


def _cut(watched: _Watched) -> None:
    """The server could not be told to cancel (the network stalls): the connection is cut on this side, so
    that the thread waiting on it gets an error now instead of when the network comes back."""
    with watched.lock:
        if watched.let_go.is_set() or watched.socket is None:
            return
        with suppress(OSError):
            watched.socket.shutdown(socket.SHUT_RDWR)
    log.warning("cut a database connection that stalled past its unit of work's deadline")


_DEADLINES = _Deadlines()


def _refuse_flushed_writes(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """An attribute set to the value it had is no write; anything else flushed from a read-only unit of
    work is."""
    if session.new or session.deleted or any(session.is_modified(row) for row in session.dirty):
        raise WriteInReadOnlyUnitOfWork()


def _refuse_statement_writes(execute: ORMExecuteState) -> None:
    if execute.is_insert or execute.is_update or execute.is_delete:
        raise WriteInReadOnlyUnitOfWork()


def _stamp_new_rows(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """New rows get their creation time from the application's clock, not the column's default (the
    machine's clock), so that a faked "now" files a self-check or a tip under the right week."""
    now = session.info.get("clock", utcnow)()
    for row in session.new:
        model: type[Base] = type(row)
        for key in stamped_columns(model):
            if getattr(row, key) is None:
                setattr(row, key, now)


def _clean_texts(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """No stored text carries control characters, whichever way it came in (PostgreSQL refuses NUL)."""
    for row in (*session.new, *session.dirty):
        for attribute in inspect(row).mapper.column_attrs:
            value = getattr(row, attribute.key, None)
            if isinstance(value, str) and not value.isprintable():
                setattr(row, attribute.key, clean_text(value))
