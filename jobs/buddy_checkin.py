"""`buddy_checkin`: the weekly question to every pair in its group DM, at the configured local time
(default Thursday 10:00 in the mentee's time zone), and the end-of-programme question after 12 weeks.

The job runs every quarter of an hour; a pair is due from its local check-in time until the end of that
local day (the grace for a scheduler that was down), and asked once: the question is claimed in the
database (one check-in row per pair and week) before it is posted, whoever runs the job. Local times
come from zoneinfo, so a DST change neither skips nor doubles a week.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from bot.domain.buddies import is_paused
from bot.domain.holidays import is_holiday
from bot.i18n import Translator
from bot.models import BuddyPair, Member
from bot.render.buddies import checkin_message, feedback_message
from bot.services import buddies
from bot.services.members import zone_of
from bot.services.usage import week_start
from config.settings import WEEKDAYS, Settings
from jobs.deliveries import open_pair_conversation
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
QUARTER = 15


def trigger(settings: Settings) -> CronTrigger:
    return CronTrigger(minute="0,15,30,45", timezone=settings.zone)


def _quarter(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % QUARTER, second=0, microsecond=0)


def due(ctx: JobContext, pair: BuddyPair, mentee: Member, people: list[Member]) -> tuple[bool, str | None]:
    """Whether the pair's check-in is due now: from the check-in time until the end of that day (local
    time of the mentee, or of the second learning partner), so that a run missed while no scheduler ran
    happens later that day; and if not, because of what."""
    settings = ctx.deps.settings
    local = ctx.now.astimezone(zone_of(mentee, settings.zone))
    today = local.date()
    if not ctx.manual and (
        WEEKDAYS[local.weekday()] != settings.buddy_checkin_day
        or local.time() < time.fromisoformat(settings.buddy_checkin_time)
    ):
        return False, None
    if is_holiday(today, settings.holiday_state):
        return False, f"{today.isoformat()} holiday"
    if any(is_paused(until, today) for until in (pair.paused_until, *(person.paused_until for person in people))):
        return False, "paused"
    if any(person.deactivated_at is not None for person in people):
        return False, "deactivated"
    return True, None


def run(ctx: JobContext, team_id: str, report: JobReport, occurrence: str | None = None) -> None:
    database, settings = ctx.deps.database, ctx.deps.settings
    recipients: list[str] = []
    with database.unit_of_work(team_id) as uow:
        rows = uow.session.execute(
            select(BuddyPair, Member)
            .join(Member, Member.id == BuddyPair.mentee_id)
            .where(BuddyPair.team_id == team_id, BuddyPair.status == buddies.ACTIVE)
        ).all()
        for pair, mentee in rows:
            people = [uow.session.get_one(Member, member_id) for member_id in buddies.members_of(pair)]
            is_due, reason = due(ctx, pair, mentee, people)
            if reason:
                report.skipped.append(f"{team_id}: pair {pair.id} {reason}")
            if not is_due:
                continue
            local_day = ctx.now.astimezone(zone_of(mentee, settings.zone)).date()
            week = week_start(local_day)
            if local_day >= pair.ends_on:
                if pair.feedback_asked_at is None:
                    recipients.append(f"feedback:{pair.id}")
            elif buddies.was_asked(uow, pair, week):
                report.reasons.append(Skip.ALREADY_RAN)
            else:
                recipients.append(f"checkin:{pair.id}:{week.isoformat()}")
    if not recipients:
        return
    key = occurrence or occurrence_key(ctx, _quarter(ctx.now).isoformat())
    run_occurrence(ctx, team_id, JOB_ID, key, lambda _uow: recipients, sender(ctx, team_id), report)


def sender(ctx: JobContext, team_id: str) -> Send:
    database, settings = ctx.deps.database, ctx.deps.settings

    def send(recipient: str) -> None:
        kind, _, key = recipient.partition(":")
        pair_key, _, week_text = key.partition(":")
        pair_id = int(pair_key)
        # Claimed in the database before the post, whoever runs the job: one question per pair and week.
        with database.unit_of_work(team_id) as uow:
            if kind == "checkin":
                week = date.fromisoformat(week_text)
                claimed = buddies.claim_checkin(uow, pair_id, week, ctx.now)
            else:
                claimed = buddies.claim_feedback_question(uow, pair_id, ctx.now)
        if not claimed:
            raise AlreadyDelivered(recipient)
        post_claimed(lambda: post(kind, pair_id, week_text), lambda: release(kind, pair_id, week_text))

    def post(kind: str, pair_id: int, week_text: str) -> None:
        channel, language, _users, _pair = open_pair_conversation(ctx, team_id, pair_id)
        tr = Translator(language)
        if kind == "checkin":
            message = checkin_message(tr, pair_id, date.fromisoformat(week_text))
        else:
            message = feedback_message(tr, pair_id, settings.buddy_programme_weeks)
        ctx.client.chat_postMessage(channel=channel, **message.post_args())

    def release(kind: str, pair_id: int, week_text: str) -> None:
        with database.unit_of_work(team_id) as uow:
            if kind == "checkin":
                buddies.release_checkin(uow, pair_id, date.fromisoformat(week_text))
            else:
                buddies.release_feedback_question(uow, pair_id)

    return send


def next_checkin(ctx_now: datetime, settings: Settings, mentee: Member, pair: BuddyPair) -> datetime | None:
    """When the pair will next be asked (skipping holidays and pauses), for `/ki buddy`."""
    zone = zone_of(mentee, settings.zone)
    hour, minute = (int(part) for part in settings.buddy_checkin_time.split(":"))
    local = ctx_now.astimezone(zone)
    for days in range(0, 7 * 8):
        day = local.date() + timedelta(days=days)
        candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        if (
            WEEKDAYS[day.weekday()] == settings.buddy_checkin_day
            and candidate > local
            and not is_holiday(day, settings.holiday_state)
            and not is_paused(pair.paused_until, day)
            and not is_paused(mentee.paused_until, day)
            and day < pair.ends_on
        ):
            return candidate
    return None
