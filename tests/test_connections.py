"""Pooled connections: as many stay open as the process has threads that use them at once, so that none is
closed and opened again under load. On PostgreSQL one used moments ago goes back to work without a ping (a
round trip on every request); one that sat idle is pinged first, and replaced when the server has closed it
meanwhile."""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool

import bot.db
from bot.cli import connections_at_once
from bot.db import make_engine
from tests.conftest import make_settings
from tests.proxies import StallingProxy


def test_connections_used_at_once_by_every_thread_of_the_process_stay_open_for_the_next_requests(
    database_url: str, migrated_engine: Engine
) -> None:
    threads = connections_at_once(make_settings(database_url))
    engine = make_engine(make_settings(database_url).sqlalchemy_url, connections=threads)
    opened: list[object] = []
    event.listen(engine, "connect", lambda connection, _record: opened.append(connection))
    all_holding = threading.Barrier(threads)

    def request() -> None:
        with engine.connect() as connection:
            # Reads, as many requests hold them at once (on SQLite only one writer at a time can).
            connection.execution_options(sqlite_begin="DEFERRED").execute(text("SELECT 1"))
            all_holding.wait(timeout=10)

    try:
        for _burst in range(3):
            workers = [threading.Thread(target=request) for _ in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        # Opened for the first burst, used again by the next two.
        assert len(opened) == threads
        # One request after another uses the same connection; the others sit idle until needed.
        used = []
        for _ in range(3):
            with engine.connect() as connection:
                used.append(connection.connection.dbapi_connection)
        assert used[0] is used[1] is used[2]
    finally:
        engine.dispose()


def test_a_connection_is_pinged_only_after_sitting_idle_and_replaced_when_the_server_closed_it(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(postgres_url, pool_size=1, max_overflow=0)
    pings: list[Any] = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(connection) or ping(connection))
    try:
        with engine.connect() as connection:
            backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() == backend
        assert pings == []

        # The server ends the pooled connection (a restart, an idle timeout) while nobody uses it.
        url = make_url(postgres_url)
        server = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        monkeypatch.setattr(bot.db, "IDLE_PING_SECONDS", 0.0)
        with engine.connect() as connection:
            replaced = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert replaced != backend
        # The closed connection was pinged (and the new one too: nothing sits idle for less than no time).
        assert len(pings) == 2 and pings[0].closed
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("postgresql+psycopg://127.0.0.1/", 18),  # no database name: the server's default one
        ("sqlite:///kilotse.db", 18),
        ("sqlite://", None),  # in memory: one connection per thread, nothing to keep
        ("sqlite:///:memory:", None),
    ],
)
def test_the_pool_is_sized_by_what_kind_of_pool_the_database_has(url: str, kept: int | None) -> None:
    engine = make_engine(url, connections=18)
    try:
        if kept is None:
            assert not isinstance(engine.pool, QueuePool)
        else:
            assert isinstance(engine.pool, QueuePool) and engine.pool.size() == kept
    finally:
        engine.dispose()


def test_a_pooled_connection_whose_network_stalled_is_given_up_not_waited_for(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ping of an idle connection is bounded: a stall there (the server's host gone without closing
    anything) fails the request that needed the connection, instead of holding its thread for ever."""
    url = make_url(postgres_url)
    proxy = StallingProxy((url.host or "127.0.0.1", url.port or 5432))
    engine = make_engine(url.set(port=proxy.port), pool_size=1, max_overflow=0)
    outcome: list[object] = []

    def request() -> None:
        try:
            with engine.connect() as connection:
                outcome.append(connection.execute(text("SELECT 1")).scalar_one())
        except OperationalError as error:
            outcome.append(error)

    try:
        request()
        assert outcome == [1]
        proxy.flowing.clear()
        monkeypatch.setattr(bot.db, "IDLE_PING_SECONDS", 0.0)
        waiting = threading.Thread(target=request)
        waiting.start()
        # The ping gives up after PING_WAIT_SECONDS; a new connection then fails after the connect timeout.
        waiting.join(timeout=30)
        assert not waiting.is_alive(), "the request still waits on a connection that stalled"
        assert isinstance(outcome[1], OperationalError)
        proxy.flowing.set()
        request()
        assert outcome[2] == 1
    finally:
        proxy.flowing.set()
        engine.dispose()
        proxy.close()
