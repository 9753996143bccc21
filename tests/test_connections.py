"""Pooled PostgreSQL connections: one used moments ago goes back to work without a ping (a round trip on
every request); one that sat idle is pinged first, and replaced when the server has closed it meanwhile."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

import bot.db
from bot.db import make_engine


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
