"""Engine set-up and the unit of work: one session and one transaction per Slack request or job run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(url: URL | str, **kwargs: Any) -> Engine:
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL and foreign keys on; writers serialised with BEGIN IMMEDIATE.

    pysqlite's own transaction handling starts transactions lazily and cannot take the write lock up
    front, so a read-then-write unit of work (check the day's total, then insert) could race. Taking it
    at BEGIN makes such units of work correct; `read_only()` connections use a plain deferred BEGIN.
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
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def check_database(engine: Engine) -> None:
    """Raises if the database cannot answer a trivial query."""
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin="DEFERRED").execute(text("SELECT 1"))


class UnitOfWork:
    """A session bound to one workspace; commits when the block ends without error."""

    def __init__(self, session: Session, team_id: str) -> None:
        self.session = session
        self.team_id = team_id


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def unit_of_work(self, team_id: str) -> Iterator[UnitOfWork]:
        with self._sessions() as session, session.begin():
            yield UnitOfWork(session, team_id)

    def dispose(self) -> None:
        self.engine.dispose()
