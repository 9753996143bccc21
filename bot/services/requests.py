"""Each Slack request is handled once: a signed request replayed within Slack's five minutes, or an event
Slack delivers again, finds its key already claimed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.db import Database
from bot.models import HandledRequest

# Longer than both Slack's signature window (5 minutes) and its event redeliveries (up to about an hour).
KEEP_KEYS = timedelta(hours=2)
# Old keys are pruned at most this often per database, not on every request: the prune is work on the
# answer's path that only has to happen now and then to keep the table small.
PRUNE_EVERY = timedelta(minutes=10)
_last_pruned: WeakKeyDictionary[Database, datetime] = WeakKeyDictionary()


def request_key(payload: dict[str, Any]) -> str | None:
    """What identifies one request: an event's id, else the trigger id of a command, click or shortcut. A
    modal submission has no key here: the view id already makes a second submission store nothing."""
    if payload.get("type") == "event_callback":
        event_id = payload.get("event_id")
        return f"event:{event_id}" if isinstance(event_id, str) and event_id else None
    if payload.get("type") == "view_submission":
        return None
    trigger = payload.get("trigger_id")
    return f"trigger:{trigger}"[:200] if isinstance(trigger, str) and trigger else None


def claim_request(database: Database, key: str, now: datetime) -> bool:
    """True for the first arrival of `key`; False when it was handled before. Old keys are pruned every
    `PRUNE_EVERY` (a key older than `KEEP_KEYS` may live that much longer, which changes nothing)."""
    with database.engine.begin() as connection:
        last = _last_pruned.get(database)
        if last is None or abs(now - last) >= PRUNE_EVERY:
            connection.execute(delete(HandledRequest).where(HandledRequest.received_at < now - KEEP_KEYS))
            _last_pruned[database] = now
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        inserted = connection.execute(
            insert(HandledRequest)
            .values(request_key=key, received_at=now)
            .on_conflict_do_nothing()
            .returning(HandledRequest.id)
        ).first()
        return inserted is not None
