"""The APScheduler set-up shared by the in-process scheduler and the separate `clock` process."""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from config.settings import Settings

# A run missed by up to an hour (restart, deploy) still happens once; older ones are dropped.
MISFIRE_GRACE_SECONDS = 3600


def configure(scheduler: BaseScheduler, settings: Settings) -> BaseScheduler:
    scheduler.configure(
        timezone=settings.zone,
        job_defaults={"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS, "max_instances": 1},
    )
    return scheduler


def run_clock_process(settings: Settings) -> None:
    """`python -m bot scheduler`: runs the registered jobs until stopped."""
    scheduler = configure(BlockingScheduler(), settings)
    scheduler.start()
