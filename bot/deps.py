"""What listeners and jobs need, handed to every listener by the app and to every job by the scheduler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.catalogs import Catalogs
from bot.db import Database
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
    clock: Callable[[], datetime] = utc_now

    def __post_init__(self) -> None:
        # Rows are stamped by the same clock, read at each write, so that replacing `clock` (tests, the
        # console's `:now`) moves stored times too.
        self.database.clock = lambda: self.clock()
