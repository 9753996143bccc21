"""`pilots`: a week before a pilot project's deadline its owner is asked, once, to record the result and a
learning (`/ki usecase status #slug ausgerollt|verworfen <Learning>`). Looked at every workday morning at the
report's time."""

from __future__ import annotations

from datetime import date
from functools import partial

from bot.db import UnitOfWork
from bot.domain.calendar import is_holiday
from bot.domain.deliveries import RecipientKey
from bot.i18n import Translator
from bot.render.pilots import reminder_message
from bot.services import pilots
from bot.services.members import language_of, member_by_id
from jobs.runtime import JobContext, JobReport, Send, morning_of, mornings, occurrence_key, run_occurrence

JOB_ID = "pilots"
REMIND = "pilot"


trigger = mornings


def run(ctx: JobContext, team_id: str, report: JobReport) -> None:
    today = morning_of(ctx)
    # Reminders go out on workdays; one due on a weekend or holiday waits for the next workday.
    if today is None or today.weekday() >= 5 or is_holiday(today, ctx.deps.settings.holiday_state):
        return
    key = occurrence_key(ctx, today.isoformat())
    run_occurrence(ctx, team_id, JOB_ID, key, partial(_reminded, ctx, today), sender(ctx, team_id), report)


def _reminded(ctx: JobContext, today: date, uow: UnitOfWork) -> list[str]:
    return [
        RecipientKey(REMIND, str(reminder.use_case_id), reminder.deadline.isoformat()).encode()
        for reminder in pilots.remind_owners(uow, today, ctx.now)
    ]


def sender(ctx: JobContext, team_id: str) -> Send:
    def send(recipient: str) -> None:
        key = RecipientKey.decode(recipient)
        with ctx.deps.database.unit_of_work(team_id, read_only=True) as uow:
            use_case = pilots.use_case_of(uow, int(key.subject))
            owner = member_by_id(uow, use_case.owner_id) if use_case and use_case.owner_id else None
            if use_case is None or owner is None:
                return  # gone meanwhile
            user, language, title, slug = owner.slack_user_id, language_of(uow, owner), use_case.title, use_case.slug
        message = reminder_message(
            Translator(language), title, slug, date.fromisoformat(key.when or ""), ctx.deps.settings.slash_command
        )
        ctx.client.chat_postMessage(channel=user, **message.post_args())

    return send
