"""`buddy_matching`: the weekly matching round (and the round right after someone opts in)."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.db import UnitOfWork
from bot.domain.buddies import PairKind
from bot.domain.calendar import is_holiday
from bot.domain.deliveries import RecipientKey
from bot.i18n import Translator
from bot.render.buddies import intro_message, peer_intro_message, waiting_message
from bot.services import buddies
from bot.services.members import ensure_member, language_of
from config.settings import WEEKDAYS, Settings
from jobs.pair_conversations import open_pair_conversation
from jobs.runtime import (
    AlreadyDelivered,
    JobContext,
    JobReport,
    Send,
    due_times,
    occurrence_key,
    post_claimed,
    run_occurrence,
)

JOB_ID = "buddy_matching"
INTRO = "intro"
WAITING = "waiting"
# A round missed at its time (no scheduler running) still happens within this long.
GRACE = timedelta(hours=24)


def trigger(settings: Settings) -> CronTrigger:
    at = settings.buddy_matching_time
    return CronTrigger(day_of_week=settings.buddy_matching_day, hour=at.hour, minute=at.minute, timezone=settings.zone)


def run(ctx: JobContext, team_id: str, report: JobReport, occurrence: str | None = None) -> None:
    settings = ctx.deps.settings
    today = ctx.now.astimezone(settings.zone).date()
    if not ctx.manual and occurrence is None:
        due = due_times(trigger(settings), ctx.now, GRACE)
        if not due:
            return
        if is_holiday(due[-1].astimezone(settings.zone).date(), settings.holiday_state):
            report.skipped.append(f"{team_id}: {due[-1].astimezone(settings.zone).date().isoformat()} holiday")
            return
        key = due[-1].astimezone(settings.zone).date().isoformat()
    else:
        key = occurrence or occurrence_key(ctx, today.isoformat())

    def match(uow: UnitOfWork) -> list[str]:
        # In the same transaction as the deliveries: a crash cannot leave a pair without its intro.
        # Learning partners only in the rounds of the schedule (or run by an admin), not right after an opt-in.
        result = buddies.run_matching(
            uow, today, ctx.now, settings.zone, settings.buddy_programme_weeks, scheduled=occurrence is None
        )
        return [RecipientKey(INTRO, str(pair.id)).encode() for pair in result.new_pairs] + [
            RecipientKey(WAITING, str(enrollment.member_id)).encode()
            for enrollment, _ in result.waiting
            if enrollment.waiting_told_at is None
        ]

    run_occurrence(ctx, team_id, JOB_ID, key, match, sender(ctx, team_id), report)


def sender(ctx: JobContext, team_id: str) -> Send:
    database, settings = ctx.deps.database, ctx.deps.settings

    def send(recipient: str) -> None:
        key = RecipientKey.decode(recipient)
        if key.kind == INTRO:
            channel, chat = open_pair_conversation(ctx, team_id, int(key.subject))
            weekday = WEEKDAYS.index(settings.buddy_checkin_day)
            tr, users, pair = Translator(chat.language), chat.users, chat.pair
            if pair.kind == PairKind.PEER:
                intro = peer_intro_message(tr, users, buddies.pair_info(pair), weekday)
            else:
                intro = intro_message(
                    tr, users[0], users[1], buddies.pair_info(pair), weekday, settings.buddy_programme_weeks
                )
            ctx.client.chat_postMessage(channel=channel, **intro.post_args())
        elif key.kind == WAITING:
            member_id = int(key.subject)
            with database.unit_of_work(team_id) as uow:
                member = next((m for e, m in buddies.waiting_list(uow) if e.member_id == member_id), None)
                if member is None:
                    return  # matched or left in the meantime: nothing to tell
                # Two rounds at once (opt-ins) both see the mentee waiting; only the one that claims tells.
                if not buddies.claim(uow, buddies.WAITING_NOTICE, member_id, ctx.now):
                    raise AlreadyDelivered(recipient)
                language = language_of(uow, ensure_member(uow, member.slack_user_id, settings.default_language))
                user = member.slack_user_id
            post_claimed(
                lambda: ctx.client.chat_postMessage(channel=user, **waiting_message(Translator(language)).post_args()),
                lambda: release_waiting(member_id),
            )

    def release_waiting(member_id: int) -> None:
        with database.unit_of_work(team_id) as uow:
            buddies.release(uow, buddies.WAITING_NOTICE, member_id)

    return send
