"""How the bot logs: readable lines by default, JSON lines with `LOG_FORMAT=json` for a log collector. Each
record carries what it belongs to (the Slack request, the workspace, the scheduled job) from context
variables set where a request or job begins. Messages never hold what people typed; the JSON lines add
only those identifiers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
TEAM_ID: ContextVar[str | None] = ContextVar("team_id", default=None)
JOB_ID: ContextVar[str | None] = ContextVar("job_id", default=None)
CONTEXT = {"request_id": REQUEST_ID, "team_id": TEAM_ID, "job_id": JOB_ID}


@contextmanager
def logging_context(**values: str | None) -> Iterator[None]:
    """Within the block, records carry `values` (request_id, team_id, job_id)."""
    tokens = [(CONTEXT[name], CONTEXT[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


class JsonLines(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, the context that is set, and the
    exception's type and trace when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: value for name, variable in CONTEXT.items() if (value := variable.get()) is not None})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def formatter(log_format: str) -> logging.Formatter:
    return JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
