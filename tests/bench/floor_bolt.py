"""The floor for `/ki log` with this stack: the bare Bolt app of bare_bolt.py, whose listener answers a log only
after storing it, the least way any answer that says "saved" only once it is saved can: the statements
KI-Lotse's log sends (the request's claim against replays, the member's row, the day's and the week's minutes
for the daily limit, the new row) through SQLAlchemy Core on a pooled connection of KI-Lotse's engine, on a
worker thread, then the commit, then the ack. On SQLite the process's writers take turns on a lock, as
KI-Lotse's do: SQLite's own busy handler, which sleeps in growing steps, is slower under 20 at once. No ORM,
no unit of work, no translation, no Block Kit, and of the text only its minutes and its words read (no tool
catalog, no date, no checks): what KI-Lotse takes beyond this is its own; what this takes beyond the bare
app, any such answer takes.

It stores into a database KI-Lotse migrated, for colleagues KI-Lotse's warm-up made members (`bench_ack`).

`SLACK_API_URL=… DATABASE_URL=… python -m tests.bench.floor_bolt PORT SIGNING_SECRET`
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any

import uvicorn
from sqlalchemy import Engine, insert

from bot.db import make_engine
from bot.domain.calendar import week_start
from bot.models import UsageLog
from bot.runners import REQUEST_THREADS
from bot.services.members import _MEMBER_LOCKED
from bot.services.requests import _CLAIMS
from bot.services.usage import _DAY_AND_WEEK
from tests.bench.bare_bolt import build

_INSERT_LOG = insert(UsageLog.__table__)


def store_log(engine: Engine, writers: AbstractContextManager[Any], command: dict[str, Any]) -> str:
    _log, minutes, *words = str(command["text"]).split()
    now = datetime.now(UTC)
    today = now.date()
    monday = week_start(today)
    with writers, engine.connect() as connection, connection.begin():
        key = f"trigger:{command['trigger_id']}"
        if connection.execute(_CLAIMS[engine.dialect.name], {"key": key, "now": now}).first() is None:
            return "already handled"
        # The member's whole row, locked on PostgreSQL as KI-Lotse locks it (two logs against one daily limit).
        member = connection.execute(
            _MEMBER_LOCKED, {"team_id": command["team_id"], "user_id": command["user_id"]}
        ).one()
        connection.execute(
            _DAY_AND_WEEK,
            {
                "member_id": member.id,
                "day": today,
                "week_start": monday,
                "today": today,
                "first": monday,
                "last": today,
            },
        ).one()
        connection.execute(
            _INSERT_LOG,
            {
                "team_id": command["team_id"],
                "member_id": member.id,
                "minutes": int(minutes),
                "tool": None,
                "note": " ".join(words),
                "used_on": today,
                "department": member.department,
                "created_at": now,
            },
        )
    return f"Saved: {minutes} minutes"


if __name__ == "__main__":
    port, secret = int(sys.argv[1]), sys.argv[2]
    engine = make_engine(os.environ["DATABASE_URL"], connections=REQUEST_THREADS)
    writers: AbstractContextManager[Any] = threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()

    async def answer_log(command: dict[str, Any]) -> str:
        return await asyncio.to_thread(store_log, engine, writers, command)

    uvicorn.run(build(secret, answer_log), host="127.0.0.1", port=port, log_level="warning", access_log=False)
