"""What listeners and jobs need, handed to every listener by the app and to every job by the scheduler."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore

from bot.catalogs import Catalogs
from bot.db import Database
from bot.follow_ups import FollowUps
from bot.services.workspace_settings import WORKSPACE_SETTINGS
from bot.slack.client import make_web_client
from bot.slack.colleagues import ColleagueNames
from bot.slack.profiles import ProfileDirectory
from config.settings import Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    """What listeners and jobs need; Bolt hands it to every listener as the `deps` argument."""

    settings: Settings
    database: Database
    catalogs: Catalogs
    profiles: ProfileDirectory = field(default_factory=ProfileDirectory)
    # The workspace's names, which the prompt coach never sends to its language model.
    colleagues: ColleagueNames = field(default_factory=ColleagueNames)
    clock: Callable[[], datetime] = utc_now
    # Where work after a request's answer runs: in the caller's thread unless a pool is given (the servers).
    follow_ups: FollowUps = field(default_factory=FollowUps)
    # Where the prompt coach waits for its model (up to COACH_TIMEOUT_SECONDS): a pool of its own in the
    # servers, so that a slow model never holds up anyone's DMs or App Home; else the follow-ups.
    coach_calls: FollowUps | None = None
    # Several workspaces (Slack's OAuth install): each one's bot token; None: SLACK_BOT_TOKEN serves one.
    installations: InstallationStore | None = None
    # The deployment's settings (the environment's), when `settings` are one workspace's (`for_team`).
    deployment: Settings | None = None

    @property
    def defaults(self) -> Settings:
        """The deployment's settings: what a workspace has until its admins change it."""
        return self.deployment or self.settings

    def for_team(self, team_id: str | None, *, strict: bool = False) -> Deps:
        """The same dependencies with workspace `team_id`'s settings (its stored values over the deployment's
        defaults). Bolt hands every listener this; every job gets it for the workspace it acts for, `strict`:
        a job does not act without the workspace's own settings (bot/services/workspace_settings.py)."""
        if not team_id:
            return self
        view = copy.copy(self)  # not `replace`: that would run __post_init__ and move the database's clock
        view.deployment = self.defaults
        view.settings = WORKSPACE_SETTINGS.settings_for(self.database, self.defaults, team_id, strict=strict)
        return view

    def bot_token(self, team_id: str) -> str | None:
        """The token that acts for workspace `team_id`; None for a workspace that is not installed (any more)."""
        if self.installations is None:
            return self.settings.secret("slack_bot_token")
        bot = self.installations.find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None

    def serves(self, team_id: str) -> bool:
        """Whether the bot may act for the workspace: always with one token; with OAuth while installed."""
        return self.installations is None or self.bot_token(team_id) is not None

    def web_client(self, team_id: str, *, patient: bool = True) -> WebClient:
        """The Web API client acting for workspace `team_id` (patient by default: for work nobody waits on)."""
        return make_web_client(self.settings, self.bot_token(team_id) or "", patient=patient)

    @property
    def coach_follow_ups(self) -> FollowUps:
        return self.coach_calls or self.follow_ups

    def __post_init__(self) -> None:
        # Rows are stamped by the same clock, read at each write, so that replacing `clock` (tests, the
        # console's `:now`) moves stored times too.
        self.database.clock = lambda: self.clock()
