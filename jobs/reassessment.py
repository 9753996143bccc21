"""`reassessment`: a friendly DM inviting people to repeat the self-check three months (the maturity
catalog's `reassess_after_days`) after their last one: on workdays at the office hours' announcement time,
never while someone is paused, at most once a quarter (bot/services/maturity.py)."""

from __future__ import annotations

from datetime import date, time
from functools import partial

from apscheduler.triggers.cron import CronTrigger

from bot.db import UnitOfWork
from bot.domain.calendar import is_holiday
from bot.domain.deliveries import RecipientKey
from bot.i18n import Translator
from bot.render.maturity import reassessment_message
from bot.services import maturity
from bot.services.members import language_of, member_by_id
from config.settings import Settings
from jobs.runtime import JobContext, JobReport, Send, occurrence_key, run_occurrence

JOB_ID = "reassessment"
INVITE = "reassess"


def at(settings: Settings) -> time:
    return settings.office_hours_announce_time


def trigger(settings: Settings) -> CronTrigger:
    moment = at(settings)
    return CronTrigger(day_of_week="mon-fri", hour=moment.hour, minute=moment.minute, timezone=settings.zone)


def run(ctx: JobContext, team_id: str, report: JobReport) -> None:
    settings = ctx.deps.settings
    local = ctx.now.astimezone(settings.zone)
    today = local.date()
    if not ctx.manual:
        if local.weekday() >= 5 or local.time() < at(settings):
            return
        if is_holiday(today, settings.holiday_state):
            report.skipped.append(f"{team_id}: {today.isoformat()} holiday")
            return
    key = occurrence_key(ctx, today.isoformat())
    run_occurrence(ctx, team_id, JOB_ID, key, partial(_invited, ctx, today), sender(ctx, team_id), report)


def _invited(ctx: JobContext, today: date, uow: UnitOfWork) -> list[str]:
    after = ctx.deps.catalogs.maturity.reassess_after_days
    invites = maturity.invite_to_reassess(uow, today, ctx.deps.settings.zone, after, ctx.now)
    return [RecipientKey(INVITE, str(invite.member_id), invite.last_taken.isoformat()).encode() for invite in invites]


def sender(ctx: JobContext, team_id: str) -> Send:
    def send(recipient: str) -> None:
        key = RecipientKey.decode(recipient)
        with ctx.deps.database.unit_of_work(team_id, read_only=True) as uow:
            member = member_by_id(uow, int(key.subject))
            if member is None:
                return  # erased meanwhile
            user, language = member.slack_user_id, language_of(uow, member)
        message = reassessment_message(Translator(language), date.fromisoformat(key.when or ""))
        ctx.client.chat_postMessage(channel=user, **message.post_args())

    return send
