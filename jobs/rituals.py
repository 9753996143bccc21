"""The ritual jobs: `office_hours`, `monthly_update` and `retrospective`.

Each runs every quarter of an hour and asks which of its steps are due: a step has a local time (e.g.
"announce the office hours on Tuesday 09:00") and an occurrence key; it is claimed like every job
occurrence, so it happens once. A scheduled run takes steps that are due and still within their grace (a
day; a reminder or an announcement only until the session starts), so a step missed while no scheduler
ran happens late but once; a run started by an admin or the console also takes steps of the current
cycle that were missed. Steps on a public
holiday of the state are skipped.

Direct messages are written in each person's language; posts in the community channel in the workspace's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.db import UnitOfWork
from bot.domain.calendar import at_local, is_holiday, next_non_holiday, quarter_number
from bot.domain.deliveries import RecipientKey
from bot.domain.rituals import RitualKind
from bot.i18n import Translator
from bot.render.calendar import invite
from bot.render.rituals import (
    monthly_notice,
    monthly_post,
    not_presenting,
    office_hours_post,
    reminder,
    retro_invite,
    summary_request,
)
from bot.services import rituals
from bot.services.members import workspace_of
from config.settings import Settings
from jobs.runtime import JobContext, JobReport, Send, Skip, run_occurrence

if TYPE_CHECKING:
    from bot.deps import Deps

GRACE = timedelta(hours=24)
MANUAL_WINDOW = timedelta(days=7)
NOTICE_AHEAD = timedelta(days=14)
ANNOUNCE_AHEAD = timedelta(days=7)
SUMMARY_AFTER = timedelta(hours=1)
QUARTER = timedelta(minutes=15)

# Recipients read `kind:user:day`: a direct message to the user, or (`channel`, no user) the channel post;
# the retrospective's invitations read `dm:user:quarter`.
CHANNEL = "channel"
REMIND = "remind"
NOTICE = "dm"
NOT_PRESENTING = "off"
SUMMARY = "summary"
INVITE = "dm"


@dataclass(frozen=True)
class Step:
    key: str  # occurrence, e.g. "announce:2026-12-01"
    due: datetime
    # Who gets what, decided inside the transaction that writes the deliveries.
    recipients: Callable[[UnitOfWork], list[str]]
    # On a public holiday: skip the step (office hours do not happen), or do it on the next day that is no
    # holiday (an update's notice must still reach the presenters).
    holiday_shifts: bool = False
    # How late a scheduled run may still take the step.
    grace: timedelta = GRACE


def trigger(settings: Settings) -> CronTrigger:
    return CronTrigger(minute="0,15,30,45", timezone=settings.zone)


def _shifted_due(step: Step, state: str, zone: ZoneInfo) -> datetime:
    due = step.due.astimezone(zone)
    if not step.holiday_shifts:
        return due
    return due + (next_non_holiday(due.date(), state) - due.date())


def run_steps(
    job_id: str, steps: Callable[[JobContext, str], list[Step]], ctx: JobContext, team_id: str, report: JobReport
) -> None:
    settings = ctx.deps.settings
    for step in steps(ctx, team_id):
        due = _shifted_due(step, settings.holiday_state, settings.zone)
        if not due <= ctx.now < due + (MANUAL_WINDOW if ctx.manual else step.grace):
            continue
        if is_holiday(due.date(), settings.holiday_state):
            report.reasons.append(Skip.HOLIDAY)
            continue
        run_occurrence(ctx, team_id, job_id, step.key, step.recipients, sender_for(job_id)(ctx, team_id), report)


# -- office hours ---------------------------------------------------------------------------------------

OFFICE_HOURS = "office_hours"


def office_hours_steps(ctx: JobContext, team_id: str) -> list[Step]:
    settings = ctx.deps.settings
    today = ctx.now.astimezone(settings.zone).date()
    steps = []
    for session in {
        rituals.next_office_hours(today - timedelta(days=6), settings),
        rituals.next_office_hours(today, settings),
    }:
        day = session.date()
        announce = at_local(day, settings.office_hours_announce_time, settings.zone)
        steps.append(
            Step(f"announce:{day}", announce, partial(_channel_post, day), grace=max(session - announce, QUARTER))
        )
        steps.append(
            Step(
                f"remind:{day}",
                session - timedelta(minutes=settings.reminder_minutes_before),
                partial(_rsvp_recipients, ctx, RitualKind.OFFICE_HOURS, session),
                grace=timedelta(minutes=settings.reminder_minutes_before),
            )
        )
    return sorted(steps, key=lambda step: step.due)


def _channel_post(day: date, _uow: UnitOfWork) -> list[str]:
    return [RecipientKey(CHANNEL, "", day.isoformat()).encode()]


def _rsvp_recipients(ctx: JobContext, kind: RitualKind, starts_at: datetime, uow: UnitOfWork) -> list[str]:
    event = rituals.event_at(uow, kind, starts_at, ctx.deps.settings.ritual_minutes)
    return [_to(REMIND, user, starts_at.date()) for user in rituals.rsvp_user_ids(uow, event)]


def _to(kind: str, user: str, day: date) -> str:
    return RecipientKey(kind, user, day.isoformat()).encode()


def _parse(recipient: str, starts: time, zone: ZoneInfo) -> tuple[str, str, datetime]:
    """`kind:user:day` → the kind, the user, and when the session of that day starts (`starts`, local)."""
    key = RecipientKey.decode(recipient)
    return key.kind, key.subject, at_local(date.fromisoformat(key.when or ""), starts, zone)


def office_hours_sender(ctx: JobContext, team_id: str) -> Send:
    settings, database = ctx.deps.settings, ctx.deps.database

    def send(recipient: str) -> None:
        kind, user, session = _parse(recipient, settings.office_hours_time, settings.zone)
        with database.unit_of_work(team_id) as uow:
            event = rituals.event_at(uow, RitualKind.OFFICE_HOURS, session, settings.ritual_minutes)
            event_id = event.id
            if kind == CHANNEL:
                tr = Translator(workspace_of(uow).default_language)
                message = office_hours_post(
                    tr, rituals.event_info(event), rituals.rsvp_count(uow, event), settings.zone
                )
            else:
                tr = Translator(rituals.recipient(uow, user)[0])
                message = reminder(tr, rituals.event_info(event), settings.zone, tr.t("ritual.office_hours_title"))
        if kind == CHANNEL:
            posted = ctx.client.chat_postMessage(channel=settings.community_channel, **message.post_args())
            _remember_post(ctx, team_id, event_id, str(posted.get("channel")), str(posted.get("ts")))
        else:
            ctx.client.chat_postMessage(channel=user, **message.post_args())

    return send


def _remember_post(ctx: JobContext, team_id: str, event_id: int, channel: str, ts: str) -> None:
    with ctx.deps.database.unit_of_work(team_id) as uow:
        rituals.remember_post(uow, event_id, channel, ts)


# -- monthly AI update ----------------------------------------------------------------------------------

MONTHLY_UPDATE = "monthly_update"


def monthly_steps(ctx: JobContext, team_id: str) -> list[Step]:
    settings = ctx.deps.settings
    today = ctx.now.astimezone(settings.zone).date()
    steps = []
    events = {
        rituals.next_monthly_update(today - timedelta(days=2), settings),
        rituals.next_monthly_update(today + NOTICE_AHEAD, settings),
    }
    for starts_at in events:
        day = starts_at.date()
        morning = settings.office_hours_announce_time
        steps += [
            Step(
                f"notice:{day}",
                at_local(day - NOTICE_AHEAD, morning, settings.zone),
                partial(_presenters, ctx, starts_at, True, NOTICE),
                holiday_shifts=True,
            ),
            Step(
                f"announce:{day}",
                at_local(day - ANNOUNCE_AHEAD, morning, settings.zone),
                partial(_channel_post, day),
                holiday_shifts=True,
            ),
            Step(
                f"remind:{day}",
                starts_at - timedelta(minutes=settings.reminder_minutes_before),
                partial(_rsvp_recipients, ctx, RitualKind.MONTHLY_UPDATE, starts_at),
                grace=timedelta(minutes=settings.reminder_minutes_before),
            ),
            Step(
                f"summary:{day}",
                starts_at + timedelta(minutes=settings.ritual_minutes) + SUMMARY_AFTER,
                partial(_presenters, ctx, starts_at, False, SUMMARY),
            ),
        ]
    return sorted(steps, key=lambda step: step.due)


def _presenters(ctx: JobContext, starts_at: datetime, choose: bool, kind: str, uow: UnitOfWork) -> list[str]:
    """The notice (`choose`) picks the department and names its members as the presenters; later steps ask
    those same people."""
    users = rituals.monthly_presenters(uow, starts_at, ctx.deps.settings.ritual_minutes, choose)
    return [_to(kind, user, starts_at.date()) for user in users]


def monthly_sender(ctx: JobContext, team_id: str) -> Send:
    settings, database = ctx.deps.settings, ctx.deps.database

    def send(recipient: str) -> None:
        kind, user, starts_at = _parse(recipient, settings.monthly_update_time, settings.zone)
        day = starts_at.date()
        today = ctx.now.astimezone(settings.zone).date()
        with database.unit_of_work(team_id) as uow:
            event = rituals.event_at(uow, RitualKind.MONTHLY_UPDATE, starts_at, settings.ritual_minutes)
            event_id, info = event.id, rituals.event_info(event)
            if kind == CHANNEL:
                tr = Translator(workspace_of(uow).default_language)
                message = monthly_post(tr, info, rituals.rsvp_count(uow, event), settings.zone)
                title = tr.t("ritual.monthly_title")
                description = tr.t("ritual.presenting", department=event.department or "–")
            else:
                language, department = rituals.recipient(uow, user)
                tr = Translator(language)
                if kind == NOTICE:
                    message = monthly_notice(tr, info, settings.zone, today)
                elif kind == NOT_PRESENTING:
                    message = not_presenting(tr, info, department or "", settings.zone)
                elif kind == SUMMARY:
                    message = summary_request(tr, info)
                else:
                    message = reminder(tr, info, settings.zone, tr.t("ritual.monthly_title"))
        if kind == CHANNEL:
            posted = ctx.client.chat_postMessage(channel=settings.community_channel, **message.post_args())
            _remember_post(ctx, team_id, event_id, str(posted.get("channel")), str(posted.get("ts")))
            ics = invite(
                f"ki-lotse-{team_id}-{event_id}@ki-lotse",
                title,
                description,
                starts_at,
                settings.ritual_minutes,
                ctx.now,
            )
            ctx.client.files_upload_v2(
                channel=str(posted.get("channel") or settings.community_channel),
                content=ics,
                filename=f"ki-update-{day.isoformat()}.ics",
                title=title,
            )
        else:
            ctx.client.chat_postMessage(channel=user, **message.post_args())

    return send


def announce_swap(deps: Deps, client: WebClient, team_id: str, starts_at: datetime, replaced: str | None) -> None:
    """After an admin swapped the presenting department: its members get the preparation template now, and
    the department that was replaced hears that it is off. When the scheduled notice has not gone out yet,
    this is that notice (so it does not come a second time); otherwise a swap of its own."""
    ctx = JobContext(deps, client, deps.clock(), manual=True)
    report = JobReport(MONTHLY_UPDATE)
    day = starts_at.date()

    def recipients(uow: UnitOfWork) -> list[str]:
        told = rituals.swap_notices(uow, starts_at, deps.settings.ritual_minutes, replaced)
        return [_to(NOTICE, user, day) for user in told.presenting] + [
            _to(NOT_PRESENTING, user, day) for user in told.off
        ]

    send = monthly_sender(ctx, team_id)
    if not run_occurrence(ctx, team_id, MONTHLY_UPDATE, f"notice:{day}", recipients, send, report):
        swap = f"swap:{day}:{uuid.uuid4().hex[:12]}"
        run_occurrence(ctx, team_id, MONTHLY_UPDATE, swap, recipients, send, report)


# -- quarterly retrospective ----------------------------------------------------------------------------

RETROSPECTIVE = "retrospective"


def retro_steps(ctx: JobContext, team_id: str) -> list[Step]:
    settings = ctx.deps.settings
    today = ctx.now.astimezone(settings.zone).date()
    day = rituals.retro_day(today.year, quarter_number(today))
    quarter = rituals.quarter_key(day)

    def everyone(uow: UnitOfWork) -> list[str]:
        return [RecipientKey(INVITE, user, quarter).encode() for user in rituals.retro_invitees(uow, today)]

    return [Step(f"retro:{quarter}", at_local(day, settings.retrospective_time, settings.zone), everyone)]


def run_retrospective(ctx: JobContext, team_id: str, report: JobReport) -> None:
    run_steps(RETROSPECTIVE, retro_steps, ctx, team_id, report)


def retro_sender(ctx: JobContext, team_id: str) -> Send:
    def send(recipient: str) -> None:
        key = RecipientKey.decode(recipient)
        user, quarter = key.subject, key.when or ""
        with ctx.deps.database.unit_of_work(team_id) as uow:
            language = rituals.recipient(uow, user)[0]
        ctx.client.chat_postMessage(channel=user, **retro_invite(Translator(language), quarter).post_args())

    return send


def sender_for(job_id: str) -> Callable[[JobContext, str], Send]:
    return {OFFICE_HOURS: office_hours_sender, MONTHLY_UPDATE: monthly_sender, RETROSPECTIVE: retro_sender}[job_id]


# Each ritual job runs its due steps; what a step sends is its sender's.
run_office_hours = partial(run_steps, OFFICE_HOURS, office_hours_steps)
run_monthly_update = partial(run_steps, MONTHLY_UPDATE, monthly_steps)
