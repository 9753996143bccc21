"""Each Slack request is handled once: a signed request replayed within Slack's five minutes, or an event
Slack delivers again, finds its key already claimed.

An event is claimed as it arrives (`claim_request`, bot/runners/http.py): Slack redelivers events whose
acknowledgement came late. A command, click or shortcut is claimed by the member's turn, inside the unit of
work that stores what it does (`claim_in`, handlers/context.py): the claim and the work are committed together
or not at all, and a request that only reads claims nothing, since answering it again changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, Insert, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.db import Database, UnitOfWork
from bot.models import HandledRequest

# Longer than both Slack's signature window (5 minutes) and its event redeliveries (up to about an hour).
KEEP_KEYS = timedelta(hours=2)
# Old keys are pruned at most this often per database, not on every request: the prune is work on the
# answer's path that only has to happen now and then to keep the table small.
PRUNE_EVERY = timedelta(minutes=10)
_last_pruned: WeakKeyDictionary[Engine, datetime] = WeakKeyDictionary()


def _claim_statement(insert: Any) -> Insert:
    # Built once per dialect: on the answer's path, building the statement costs more than running it.
    statement: Insert = (
        insert(HandledRequest)
        .values(request_key=bindparam("key"), received_at=bindparam("now"))
        .on_conflict_do_nothing()
        .returning(HandledRequest.id)
    )
    return statement


_CLAIMS = {"postgresql": _claim_statement(postgresql.insert), "sqlite": _claim_statement(sqlite.insert)}
_PRUNE = delete(HandledRequest).where(HandledRequest.received_at < bindparam("before"))


def event_key(payload: dict[str, Any]) -> str | None:
    """What identifies an event Slack may deliver again: its event id."""
    if payload.get("type") != "event_callback":
        return None
    event_id = payload.get("event_id")
    return f"event:{event_id}" if isinstance(event_id, str) and event_id else None


def trigger_key(payload: dict[str, Any]) -> str | None:
    """What identifies a command, click or shortcut: its trigger id. A modal submission has no key here: the
    view id already makes a second submission store nothing."""
    if payload.get("type") in ("event_callback", "view_submission"):
        return None
    trigger = payload.get("trigger_id")
    return f"trigger:{trigger}"[:200] if isinstance(trigger, str) and trigger else None


def claim_request(database: Database, key: str, now: datetime) -> bool:
    """True for the first arrival of `key`, in a transaction of its own; False when it was handled before."""
    with database.engine.begin() as connection:
        return _claim(connection, key, now)


def claim_in(uow: UnitOfWork, key: str) -> bool:
    """The same inside the unit of work that does the request's work: rolled back with it, so that a request
    whose work was not stored may come again."""
    return _claim(uow.session.connection(), key, uow.now())


def _claim(connection: Connection, key: str, now: datetime) -> bool:
    """Old keys are pruned every `PRUNE_EVERY` (a key older than `KEEP_KEYS` may live that much longer, which
    changes nothing)."""
    last = _last_pruned.get(connection.engine)
    if last is None or abs(now - last) >= PRUNE_EVERY:
        connection.execute(_PRUNE, {"before": now - KEEP_KEYS})
        _last_pruned[connection.engine] = now
    return connection.execute(_CLAIMS[connection.dialect.name], {"key": key, "now": now}).first() is not None
