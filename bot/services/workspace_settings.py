"""Each workspace's own settings: channels, admins, language, time zone, holidays, minimum group, retention,
money figures and the rituals' times. The environment's values are the defaults; what an admin changed in the
setup form is stored on the workspace's row and laid over them for every request and job of that workspace.

Reading is cached per process for `CACHE_SECONDS` (the settings are read on every request; they change
rarely): a change is seen at once in the process that saved it and within that time in the others."""

from __future__ import annotations

import logging
import threading
import time as clock
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import time
from typing import Any
from weakref import WeakKeyDictionary

from pydantic import ValidationError
from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError

from bot.db import Database, UnitOfWork
from bot.domain import fields
from bot.domain.errors import UserError
from bot.models import Workspace
from bot.services import audit
from bot.services.records import insert_ignoring_duplicate
from config.settings import Settings

log = logging.getLogger(__name__)

# What an admin may set for their workspace, in the order the setup form shows it. Everything else (tokens,
# the database, the language model, the scheduler's process) belongs to whoever runs the deployment.
EDITABLE = (
    "community_channel",
    "admin_channel",
    "admin_user_ids",
    "default_language",
    "timezone",
    "holiday_state",
    "min_group_size",
    "retention_months",
    "hourly_rate_eur",
    "investment_per_employee_eur",
    "leaderboard_day",
    "leaderboard_time",
    "buddy_matching_day",
    "buddy_matching_time",
    "buddy_checkin_day",
    "buddy_checkin_time",
    "office_hours_day",
    "office_hours_time",
    "office_hours_announce_time",
    "monthly_update_day",
    "monthly_update_time",
    "report_time",
    "retrospective_time",
)
# A workspace may raise its minimum group size, never set it below this: groups of two would show a person.
LOWEST_MIN_GROUP = 3
CACHE_SECONDS = 30.0


def apply(base: Settings, stored: Mapping[str, Any]) -> Settings:
    """`base` with a workspace's stored values laid over it, checked by the same rules as the environment's."""
    if not stored:
        return base
    values = {name: getattr(base, name) for name in type(base).model_fields}
    values.update({name: value for name, value in stored.items() if name in EDITABLE})
    # Validated, not constructed: the environment was read once for `base` and is not read again.
    return type(base).model_validate(values)


def check(defaults: Settings, changes: Mapping[str, Any]) -> Settings:
    """The settings `changes` would give, or a UserError on the setup form's field of the first value refused."""
    try:
        result = apply(defaults, changes)
    except ValidationError as error:
        location = error.errors()[0]["loc"]
        name = str(location[0]) if location and str(location[0]) in EDITABLE else EDITABLE[0]
        raise UserError("setup.error.value", field=fields.SETUP_PREFIX + name) from None
    if result.min_group_size < LOWEST_MIN_GROUP:
        raise UserError("setup.error.min_group", field=fields.SETUP_PREFIX + "min_group_size", minimum=LOWEST_MIN_GROUP)
    if not result.admin_user_ids:
        # Nobody could open this form again.
        raise UserError("setup.error.no_admin", field=fields.SETUP_PREFIX + "admin_user_ids")
    return result


def _stored_form(value: Any) -> Any:
    """How a value is kept in the workspace's JSON: times as `HH:MM`, the rest as it is."""
    return f"{value:%H:%M}" if isinstance(value, time) else value


def save(uow: UnitOfWork, defaults: Settings, changes: Mapping[str, Any], actor_user_id: str) -> Settings:
    """Stores what differs from the deployment's `defaults` (so that a later change of a default reaches
    every workspace that never set that value). A value refused by `check` raises its UserError, nothing stored."""
    result = check(defaults, changes)
    workspace = _workspace(uow, result.default_language)
    stored = {
        name: _stored_form(getattr(result, name))
        for name in EDITABLE
        if getattr(result, name) != getattr(defaults, name)
    }
    workspace.settings = stored
    workspace.default_language = result.default_language
    audit.record(uow, actor_user_id, "settings", ", ".join(sorted(stored)))
    _forget_after_commit(uow)
    return result


def make_first_admin(uow: UnitOfWork, default_language: str, slack_user_id: str) -> bool:
    """The person who installed the bot becomes the workspace's admin unless it has admins already (a
    reinstall keeps them). True when they were made admin."""
    workspace = _workspace(uow, default_language)
    stored = dict(workspace.settings or {})
    if stored.get("admin_user_ids"):
        return False
    stored["admin_user_ids"] = [slack_user_id]
    workspace.settings = stored
    audit.record(uow, slack_user_id, "settings", "admin_user_ids (installed the app)")
    _forget_after_commit(uow)
    return True


def forget_person(uow: UnitOfWork, slack_user_id: str) -> None:
    """Erasure: the person is no longer named among the workspace's admins."""
    workspace = uow.session.get(Workspace, uow.team_id)
    if workspace is None or not workspace.settings:
        return
    admins = workspace.settings.get("admin_user_ids") or []
    if slack_user_id in admins:
        workspace.settings = {**workspace.settings, "admin_user_ids": [a for a in admins if a != slack_user_id]}
        _forget_after_commit(uow)


def _workspace(uow: UnitOfWork, default_language: str) -> Workspace:
    insert_ignoring_duplicate(uow, Workspace, {"team_id": uow.team_id, "default_language": default_language})
    workspace = uow.session.get(Workspace, uow.team_id)
    assert workspace is not None
    return workspace


def _forget_after_commit(uow: UnitOfWork) -> None:
    """This process reads the workspace's settings anew once the change is committed (not before: a read
    in between would keep the old values for `CACHE_SECONDS`)."""
    team_id = uow.team_id
    event.listen(uow.session, "after_commit", lambda _session: WORKSPACE_SETTINGS.forget(team_id), once=True)


class WorkspaceSettingsCache:
    """Each workspace's settings, its stored values read at most every `CACHE_SECONDS` per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # By database and workspace: when read, over which defaults, and the settings they give.
        self._entries: WeakKeyDictionary[Database, dict[str, tuple[float, Settings, Settings]]] = WeakKeyDictionary()

    def settings_for(self, database: Database, defaults: Settings, team_id: str, *, strict: bool = False) -> Settings:
        """The workspace's settings. When the database does not answer within `READ_WAIT_SECONDS`, the last
        ones read serve; if there are none, `strict` raises `SettingsUnavailable` (a job skips the workspace
        until its next tick), else the defaults serve without admins: a request then finds the database
        unavailable itself, and nobody is an admin by a default that may not be the workspace's."""
        now = clock.monotonic()
        with self._lock:
            entry = self._entries.get(database, {}).get(team_id)
        if entry is not None and now - entry[0] < CACHE_SECONDS and entry[1] is defaults:
            return entry[2]
        try:
            value = _READS.submit(_read_stored, database, team_id).result(timeout=READ_WAIT_SECONDS)
        except (SQLAlchemyError, TimeoutError) as error:
            log.warning("workspace settings unreadable (%s)", type(error).__name__)
            if entry is not None and entry[1] is defaults:
                return entry[2]
            if strict:
                raise SettingsUnavailable(team_id) from error
            return defaults.model_copy(update={"admin_user_ids": []})
        try:
            settings = apply(defaults, value or {})
        except ValidationError:
            # Stored under other rules (a value the deployment no longer allows): its defaults serve.
            settings = defaults
        with self._lock:
            self._entries.setdefault(database, {})[team_id] = (now, defaults, settings)
        return settings

    def forget(self, team_id: str) -> None:
        with self._lock:
            for entries in self._entries.values():
                entries.pop(team_id, None)


class SettingsUnavailable(Exception):
    """The workspace's settings could not be read (the database did not answer)."""


def _read_stored(database: Database, team_id: str) -> dict[str, Any] | None:
    # A read: on SQLite it takes no write lock.
    with database.engine.connect() as connection:
        reading = connection.execution_options(sqlite_begin="DEFERRED")
        value = reading.execute(select(Workspace.settings).where(Workspace.team_id == team_id)).scalar()
    return value if isinstance(value, dict) else None


# How long a request waits for a workspace's settings before it goes on without them (a database that does
# not answer must not hold the answer past Slack's three seconds; the request then says nothing was stored).
READ_WAIT_SECONDS = 0.5
# The reads run here, so that the wait can be bounded whatever the database does.
READ_THREADS = 2
_READS = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="workspace-settings")
# One per process: every Deps of the process reads through it, so that a save is seen by all of them.
WORKSPACE_SETTINGS = WorkspaceSettingsCache()
