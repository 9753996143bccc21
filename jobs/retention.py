"""`retention`: every night, raw entries older than RETENTION_MONTHS go (logs de-identified, check-in notes and
retro free texts cleared) and people who left Slack that long ago are erased; see bot/services/privacy.py.
Counts of what was removed are kept on the run for `/ki admin datenschutz`."""

from __future__ import annotations

from datetime import time

from apscheduler.triggers.cron import CronTrigger

from bot.services import privacy
from config.settings import Settings
from jobs.runtime import JobContext, JobReport, Send, Skip, claim, finish, occurrence_key

JOB_ID = privacy.RETENTION_JOB
# At night, when nobody is logging.
AT = time(3, 30)


def trigger(settings: Settings) -> CronTrigger:
    return CronTrigger(hour=AT.hour, minute=AT.minute, timezone=settings.zone)


def run(ctx: JobContext, team_id: str, report: JobReport) -> None:
    settings, database = ctx.deps.settings, ctx.deps.database
    local = ctx.now.astimezone(settings.zone)
    today = local.date()
    if not ctx.manual and local.time() < AT:
        # Every tick looks for missed work: the day's run belongs to its time or the first tick after it.
        return
    run_id = claim(database, team_id, JOB_ID, occurrence_key(ctx, today.isoformat()), ctx)
    if run_id is None:
        report.reasons.append(Skip.ALREADY_RAN)
        return
    report.runs += 1
    with database.unit_of_work(team_id) as uow:
        removed = privacy.apply_retention(
            uow, today, settings.zone, settings.retention_months, settings.min_group_size, ctx.now
        )
    finish(database, team_id, run_id, ctx, outcome=removed.outcome())
    report.reasons.append(Skip.NO_MESSAGES)


def sender(ctx: JobContext, team_id: str) -> Send:
    """The job sends no messages; a run that stopped half-way is simply done again the next night."""

    def send(recipient: str) -> None:
        return None

    return send
