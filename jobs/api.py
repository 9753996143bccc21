"""What listeners and the console ask of the jobs: run one now, when each runs next, and the job work an
admin's or a person's command starts (the monthly report now, a presenter swap, a matching round right
after an opt-in). Everything else under jobs/ is the scheduler's."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.services.kpis import Period
from config.settings import Settings
from jobs import buddy_matching, monthly_report, rituals
from jobs.runtime import JobContext, JobReport, Skip
from jobs.scheduler import JOBS, run_job

if TYPE_CHECKING:
    from bot.deps import Deps

__all__ = [
    "JOB_IDS",
    "Skip",
    "announce_swap",
    "match_after_opt_in",
    "post_monthly_report",
    "run_job",
    "schedule",
]

JOB_IDS: tuple[str, ...] = tuple(JOBS)


def schedule(settings: Settings, now: datetime) -> list[tuple[str, datetime | None]]:
    """Each job with its next run time, for `/ki admin schedule`."""
    return [(spec.id, spec.trigger(settings).get_next_fire_time(None, now)) for spec in JOBS.values()]


def post_monthly_report(deps: Deps, team_id: str, month: Period, today: date) -> None:
    """`/ki admin report`: the month's report to the admins' channel, now."""
    client = deps.web_client(team_id)
    monthly_report.post_report(deps, client, team_id, month, deps.settings.admin_channel, today)


def announce_swap(deps: Deps, team_id: str, starts_at: datetime, replaced: str | None) -> None:
    """After an admin swapped the presenting department of the update at `starts_at`."""
    rituals.announce_swap(deps, deps.web_client(team_id), team_id, starts_at, replaced)


def match_after_opt_in(deps: Deps, team_id: str, member_id: int) -> None:
    """A matching round right after someone opted in; each opt-in is an occurrence of its own."""
    ctx = JobContext(deps, deps.web_client(team_id), deps.clock(), manual=True)
    occurrence = f"optin:{member_id}:{uuid.uuid4().hex[:12]}"
    buddy_matching.run(ctx, team_id, JobReport(buddy_matching.JOB_ID), occurrence=occurrence)
