"""What listeners and jobs need, handed to every listener by the app and to every job by the scheduler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.catalogs import Catalogs
from bot.db import Database
from bot.follow_ups import FollowUps
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

    @property
    def coach_follow_ups(self) -> FollowUps:
        return self.coach_calls or self.follow_ups

    def __post_init__(self) -> None:
        # Rows are stamped by the same clock, read at each write, so that replacing `clock` (tests, the
        # console's `:now`) moves stored times too.
        self.database.clock = lambda: self.clock()
