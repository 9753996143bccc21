"""Runs the console workspace: the local Slack stand-in, the real Bolt app, and a terminal."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr

from bot.app import build_app
from bot.catalogs import Catalogs
from bot.console.local_slack import LocalSlackApi
from bot.console.workspace import CONSOLE_TEAM, CONSOLE_TOKEN, ConsoleWorkspace, console_user_id
from bot.db import Database
from bot.deps import Deps
from bot.follow_ups import DeferredExecutor, FollowUps
from bot.i18n import language_from_slack_locale
from config.settings import Settings
from jobs.scheduler import start_in_process


@dataclass(frozen=True)
class ConsoleSession:
    """Whom the console starts as and how: a script to run instead of the terminal, the Slack locale, and the
    console user names that may use admin commands (none named: the starting user)."""

    user: str = "max"
    script: Path | None = None
    locale: str | None = None
    admins: tuple[str, ...] = ()


def run_console(
    settings: Settings, database: Database, catalogs: Catalogs, session: ConsoleSession, out: TextIO = sys.stdout
) -> None:
    user, script, locale, admins = session.user, session.script, session.locale, session.admins
    slack = LocalSlackApi(team_id=CONSOLE_TEAM)
    url = slack.start()
    try:
        admin_ids = [*settings.admin_user_ids, *(console_user_id(name) for name in (admins or [user]))]
        local_settings = settings.model_copy(
            update={"slack_api_url": url, "admin_user_ids": admin_ids, "slack_bot_token": SecretStr(CONSOLE_TOKEN)}
        )
        deps = Deps(
            settings=local_settings, database=database, catalogs=catalogs, follow_ups=FollowUps(DeferredExecutor())
        )
        workspace = ConsoleWorkspace(
            slack,
            out,
            command=settings.slash_command,
            # The console's own words follow the users' locale, as Slack's do.
            language=language_from_slack_locale(locale) or settings.default_language,
            locale=locale or ("de-DE" if settings.default_language == "de" else "en-US"),
        )
        workspace.act_as(user)
        workspace.attach(build_app(deps, console=True), deps)
        if script is not None:
            with script.open(encoding="utf-8") as lines:
                workspace.run_lines(lines, echo=True)
        elif not sys.stdin.isatty():
            workspace.run_lines(sys.stdin, echo=True)
        else:
            # Scheduled jobs run at their real times only in an interactive console; scripts use `:run`.
            scheduler = start_in_process(deps)
            try:
                _interactive(workspace)
            finally:
                if scheduler is not None:
                    scheduler.shutdown(wait=False)
    finally:
        slack.stop()


def _interactive(workspace: ConsoleWorkspace) -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and history for input())

    def read(prompt: str) -> str | None:
        try:
            return input(prompt)
        except (EOFError, KeyboardInterrupt):
            print()
            return None

    workspace.read = read
    workspace.welcome()
    while True:
        try:
            line = input(f"{workspace.user_name}> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if line and not workspace.handle(line):
            return
