"""`buddy_checkin`: the weekly question to every pair in its group DM, at the configured local time
(default Thursday 10:00 in the mentee's time zone), and the end-of-programme question after 12 weeks.

The job runs every quarter of an hour; a pair is due from its local check-in time until the end of that
local day (the grace for a scheduler that was down), and asked once: the question is claimed in the
database (one check-in row per pair and week) before it is posted, whoever runs the job. Local times
come from zoneinfo, so a DST change neither skips nor doubles a week.
"""

from __future__ import annotations

from datetime import date

from apscheduler.triggers.cron import CronTrigger

from bot.domain.buddies import is_paused
from bot.domain.calendar import is_holiday, quarter_hour, reached, week_start
from bot.domain.deliveries import RecipientKey
from bot.i18n import Translator
from bot.render.buddies import checkin_message, feedback_message
from bot.services import buddies
from config.settings import WEEKDAYS, Settings
from jobs.pair_conversations import open_pair_conversation
from jobs.runtime import (
    AlreadyDelivered,
    JobContext,
    JobReport,
    Send,
    Skip,
    occurrence_key,
    post_claimed,
    run_occurrence,
)

JOB_ID = "buddy_checkin"
CHECKIN = "checkin"
FEEDBACK = "feedback"


def trigger(settings: Settings) -> CronTrigger:
    return CronTrigger(minute="0,15,30,45", timezone=settings.zone)


def due(ctx: JobContext, pair: buddies.CheckinPair) -> tuple[bool, str | None]:
    """Whether the pair's check-in is due now: from the check-in time until the end of that day (local
    time of the mentee, or of the second learning partner), so that a run missed while no scheduler ran
    happens later that day; and if not, because of what."""
    settings = ctx.deps.settings
    today = pair.local_now.date()
    if not ctx.manual and not reached(
        pair.local_now, WEEKDAYS.index(settings.buddy_checkin_day), settings.buddy_checkin_time
    ):
        return False, None
    if is_holiday(today, settings.holiday_state):
        return False, f"{today.isoformat()} holiday"
    if any(is_paused(until, today) for until in pair.paused_until):
        return False, "paused"
    if pair.deactivated:
        return False, "deactivated"
    return True, None


def run(ctx: JobContext, team_id: str, report: JobReport, occurrence: str | None = None) -> None:
    with ctx.deps.database.unit_of_work(team_id) as uow:
        pairs = buddies.pairs_to_ask(uow, ctx.now, ctx.deps.settings.zone)
    recipients: list[str] = []
    for pair in pairs:
        is_due, reason = due(ctx, pair)
        if reason:
            report.skipped.append(f"{team_id}: pair {pair.pair_id} {reason}")
        if not is_due:
            continue
        local_day = pair.local_now.date()
        if local_day >= pair.ends_on:
            if not pair.feedback_asked:
                recipients.append(RecipientKey(FEEDBACK, str(pair.pair_id)).encode())
        elif pair.asked_this_week:
            report.reasons.append(Skip.ALREADY_RAN)
        else:
            recipients.append(RecipientKey(CHECKIN, str(pair.pair_id), week_start(local_day).isoformat()).encode())
    if not recipients:
        return
    key = occurrence or occurrence_key(ctx, quarter_hour(ctx.now).isoformat())
    run_occurrence(ctx, team_id, JOB_ID, key, lambda _uow: recipients, sender(ctx, team_id), report)


def sender(ctx: JobContext, team_id: str) -> Send:
    database, settings = ctx.deps.database, ctx.deps.settings

    def send(recipient: str) -> None:
        key = RecipientKey.decode(recipient)
        pair_id = int(key.subject)
        # Claimed in the database before the post, whoever runs the job: one question per pair and week.
        with database.unit_of_work(team_id) as uow:
            if key.kind == CHECKIN:
                claimed = buddies.claim_checkin(uow, pair_id, _week(key), ctx.now)
            else:
                claimed = buddies.claim(uow, buddies.FEEDBACK_QUESTION, pair_id, ctx.now)
        if not claimed:
            raise AlreadyDelivered(recipient)
        post_claimed(lambda: post(key, pair_id), lambda: release(key, pair_id))

    def post(key: RecipientKey, pair_id: int) -> None:
        channel, chat = open_pair_conversation(ctx, team_id, pair_id)
        tr = Translator(chat.language)
        if key.kind == CHECKIN:
            message = checkin_message(tr, pair_id, _week(key))
        else:
            message = feedback_message(tr, pair_id, settings.buddy_programme_weeks)
        ctx.client.chat_postMessage(channel=channel, **message.post_args())

    def release(key: RecipientKey, pair_id: int) -> None:
        with database.unit_of_work(team_id) as uow:
            if key.kind == CHECKIN:
                buddies.release_checkin(uow, pair_id, _week(key))
            else:
                buddies.release(uow, buddies.FEEDBACK_QUESTION, pair_id)

    return send


def _week(key: RecipientKey) -> date:
    return date.fromisoformat(key.when or "")
