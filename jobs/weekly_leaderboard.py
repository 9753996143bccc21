"""`weekly_leaderboard`: last week's team leaderboard in the community channel (default Monday 09:00)."""

from __future__ import annotations

from datetime import date, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.domain.calendar import is_holiday
from bot.domain.deliveries import RecipientKey
from bot.i18n import Translator
from bot.render.kpis import leaderboard_message
from bot.services import kpis, tips
from bot.services.members import workspace_of
from bot.slack.client import reaction_count
from config.settings import Settings
from jobs.runtime import JobContext, JobReport, Send, due_times, occurrence_key, run_occurrence

JOB_ID = "weekly_leaderboard"
CHANNEL = "channel"


def trigger(settings: Settings) -> CronTrigger:
    at = settings.leaderboard_time
    return CronTrigger(day_of_week=settings.leaderboard_day, hour=at.hour, minute=at.minute, timezone=settings.zone)


# A post missed at its time (no scheduler running) still goes out within this long.
GRACE = timedelta(hours=24)


def run(ctx: JobContext, team_id: str, report: JobReport, occurrence: str | None = None) -> None:
    settings = ctx.deps.settings
    today = ctx.now.astimezone(settings.zone).date()
    if not ctx.manual:
        due = due_times(trigger(settings), ctx.now, GRACE)
        if not due:
            return
        today = due[-1].astimezone(settings.zone).date()
        if is_holiday(today, settings.holiday_state):
            report.skipped.append(f"{team_id}: {today.isoformat()} holiday")
            return
    last_week = kpis.week_of(today - timedelta(days=7))
    key = occurrence or occurrence_key(ctx, last_week.start.isoformat())
    run_occurrence(
        ctx,
        team_id,
        JOB_ID,
        key,
        lambda _uow: [RecipientKey(CHANNEL, last_week.start.isoformat()).encode()],
        sender(ctx, team_id),
        report,
    )


def sender(ctx: JobContext, team_id: str) -> Send:
    settings, database = ctx.deps.settings, ctx.deps.database

    def send(recipient: str) -> None:
        week = kpis.week_of(date.fromisoformat(RecipientKey.decode(recipient).subject))
        with database.unit_of_work(team_id) as uow:
            tr = Translator(workspace_of(uow).default_language)
            board = kpis.leaderboard(
                uow, week, kpis.KpiSettings.from_settings(settings), today=ctx.now.astimezone(settings.zone).date()
            )
            posted = tips.posted_between(uow, *week.utc_bounds(settings.zone))
        # The tip the community found most helpful, by its reactions in the channel: only tips people shared.
        reactions = {tip.id: reaction_count(ctx.client, tip.channel, tip.message_ts) for tip in posted}
        featured = tips.most_helpful(posted, reactions)
        message = leaderboard_message(tr, board, settings, featured=featured)
        ctx.client.chat_postMessage(channel=settings.community_channel, **message.post_args())

    return send
