"""Community rituals: the weekly KI-Sprechstunde, the monthly AI update with a rotating presenting
department, RSVPs, and the quarterly retrospective."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select

from bot.db import UnitOfWork
from bot.domain import fields
from bot.domain.calendar import (
    MONDAY,
    at_local,
    first_weekday_of_month,
    next_month_start,
    next_non_holiday,
    next_weekday,
    quarter_number,
)
from bot.domain.errors import UserError
from bot.domain.rituals import RitualKind
from bot.models import Member, RetroResponse, RetroSummary, RitualEvent, Rsvp
from bot.services.members import language_of, workspace_of
from bot.services.records import insert_ignoring_duplicate, result_of
from config.settings import WEEKDAYS, Settings

MAX_TOPIC = 200
MAX_ANSWER = 500


@dataclass(frozen=True)
class EventInfo:
    """A ritual event as its messages and forms show it."""

    id: int
    starts_at: datetime
    minutes: int
    topic: str | None
    department: str | None
    summary: str | None
    summary_link: str | None


def next_office_hours(today: date, settings: Settings) -> datetime:
    """The next session on or after `today`, in the workspace's time zone."""
    day = next_weekday(today, WEEKDAYS.index(settings.office_hours_day))
    return at_local(day, settings.office_hours_time, settings.zone)


def monthly_update_day(year: int, month: int, settings: Settings) -> date:
    """The first configured weekday of the month (default: first Thursday); a week later when that day is
    a public holiday (1 January 2026 is a Thursday)."""
    first = first_weekday_of_month(year, month, WEEKDAYS.index(settings.monthly_update_day))
    return next_non_holiday(first, settings.holiday_state, step=timedelta(weeks=1))


def next_monthly_update(today: date, settings: Settings) -> datetime:
    day = monthly_update_day(today.year, today.month, settings)
    if day < today:
        following = next_month_start(today)
        day = monthly_update_day(following.year, following.month, settings)
    return at_local(day, settings.monthly_update_time, settings.zone)


def event_at(uow: UnitOfWork, kind: RitualKind, starts_at: datetime, minutes: int) -> RitualEvent:
    insert_ignoring_duplicate(
        uow, RitualEvent, {"team_id": uow.team_id, "kind": kind, "starts_at": starts_at, "minutes": minutes}
    )
    return uow.session.scalars(
        select(RitualEvent).where(
            RitualEvent.team_id == uow.team_id, RitualEvent.kind == kind, RitualEvent.starts_at == starts_at
        )
    ).one()


def get_event(uow: UnitOfWork, event_id: int) -> RitualEvent:
    event = uow.session.scalar(
        select(RitualEvent).where(RitualEvent.team_id == uow.team_id, RitualEvent.id == event_id)
    )
    if event is None:
        raise UserError("ritual.error.unknown_event")
    return event


def event_info(event: RitualEvent) -> EventInfo:
    return result_of(event, EventInfo)


def set_topic(uow: UnitOfWork, event: RitualEvent, topic: str) -> None:
    cleaned = " ".join(topic.split())
    if not cleaned:
        raise UserError("ritual.error.topic_missing", example="example.office_hours_topic")
    if len(cleaned) > MAX_TOPIC:
        raise UserError("ritual.error.topic_too_long", max=MAX_TOPIC)
    event.topic = cleaned


def toggle_rsvp(uow: UnitOfWork, event: RitualEvent, member: Member) -> bool:
    """Attending after the click? A second click takes the RSVP back."""
    existing = uow.session.scalar(select(Rsvp.id).where(Rsvp.event_id == event.id, Rsvp.member_id == member.id))
    if existing is not None:
        uow.session.execute(delete(Rsvp).where(Rsvp.id == existing))
        return False
    insert_ignoring_duplicate(uow, Rsvp, {"team_id": uow.team_id, "event_id": event.id, "member_id": member.id})
    return True


def rsvp_count(uow: UnitOfWork, event: RitualEvent) -> int:
    return int(uow.session.scalar(select(func.count(Rsvp.id)).where(Rsvp.event_id == event.id)) or 0)


def rsvp_user_ids(uow: UnitOfWork, event: RitualEvent) -> list[str]:
    """Who said "Ich bin dabei" and is still with the company."""
    return list(
        uow.session.scalars(
            select(Member.slack_user_id)
            .join(Rsvp, Rsvp.member_id == Member.id)
            .where(Rsvp.event_id == event.id, Member.deactivated_at.is_(None))
            .order_by(Member.slack_user_id)
        ).all()
    )


def recipient(uow: UnitOfWork, slack_user_id: str) -> tuple[str, str | None]:
    """The language a direct message to this person is written in (their choice, else their Slack locale,
    else the workspace default) and their department."""
    member = uow.session.scalar(
        select(Member).where(Member.team_id == uow.team_id, Member.slack_user_id == slack_user_id)
    )
    if member is None:
        return workspace_of(uow).default_language, None
    return language_of(uow, member), member.department


def department_user_ids(uow: UnitOfWork, department: str) -> list[str]:
    return list(
        uow.session.scalars(
            select(Member.slack_user_id)
            .where(Member.team_id == uow.team_id, Member.department == department, Member.deactivated_at.is_(None))
            .order_by(Member.slack_user_id)
        ).all()
    )


def departments_with_members(uow: UnitOfWork) -> list[str]:
    names = uow.session.scalars(
        select(Member.department)
        .where(Member.team_id == uow.team_id, Member.department.is_not(None), Member.deactivated_at.is_(None))
        .distinct()
        .order_by(Member.department)
    ).all()
    return [name for name in names if name is not None]


def choose_presenters(uow: UnitOfWork, before: datetime) -> str | None:
    """The department with members that presented least recently (never before comes first; ties by
    name). Departments without members are skipped."""
    last = dict(
        uow.session.execute(
            select(RitualEvent.department, func.max(RitualEvent.starts_at))
            .where(
                RitualEvent.team_id == uow.team_id,
                RitualEvent.kind == RitualKind.MONTHLY_UPDATE,
                RitualEvent.department.is_not(None),
                RitualEvent.starts_at < before,
            )
            .group_by(RitualEvent.department)
        ).all()
    )
    candidates = departments_with_members(uow)
    if not candidates:
        return None
    never = [department for department in candidates if department not in last]
    if never:
        return never[0]
    return min(candidates, key=lambda department: (last[department], department))


def swap_usage(uow: UnitOfWork) -> UserError:
    """How to swap, with the departments one can name."""
    choices = ", ".join(departments_with_members(uow)) or "–"
    return UserError("ritual.error.swap_usage", example="example.monthly_swap", choices=choices)


def swap_presenters(uow: UnitOfWork, event: RitualEvent, department: str) -> str:
    if not department.strip():
        raise swap_usage(uow)
    match = next((d for d in departments_with_members(uow) if d.casefold() == department.strip().casefold()), None)
    if match is None:
        raise UserError(
            "ritual.error.no_such_department",
            word=department.strip()[:60],
            choices=", ".join(departments_with_members(uow)),
        )
    event.department = match
    return match


def name_presenters(uow: UnitOfWork, event: RitualEvent) -> list[str]:
    """The presenting department's members as the notice goes out: they, and only they, are the presenters
    of this update (choosing that department later makes nobody a presenter)."""
    event.presenter_user_ids = department_user_ids(uow, event.department) if event.department else []
    return event.presenter_user_ids


def presenters(uow: UnitOfWork, event: RitualEvent) -> list[str]:
    if event.presenter_user_ids is not None:
        return list(event.presenter_user_ids)
    # Updates whose notice went out before presenters were recorded: their department's members.
    return department_user_ids(uow, event.department) if event.department else []


def save_summary(uow: UnitOfWork, event: RitualEvent, member: Member, summary: str, link: str | None) -> None:
    if member.slack_user_id not in presenters(uow, event):
        raise UserError("ritual.error.not_presenter")
    if event.summary is not None:
        raise UserError("ritual.error.summary_exists")
    text = " ".join(summary.split())
    if not text:
        raise UserError("ritual.error.summary_missing")
    if len(text) > 300:
        raise UserError("ritual.error.summary_too_long", max=300)
    event.summary, event.summary_link = text, check_link(link) if link else None


def check_link(link: str) -> str:
    """A plain https URL to a host, nothing that Slack could read as markup."""
    link = link.strip()
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        host = None
    if (
        parts.scheme.lower() != "https"
        or not host
        or parts.username is not None
        or len(link) > 300
        or any(char.isspace() or not char.isprintable() or char in "<>|\"'`" for char in link)
    ):
        raise UserError("ritual.error.link", field=fields.SUMMARY_LINK)
    return link


# -- retrospective -------------------------------------------------------------------------------------


def quarter_key(day: date) -> str:
    return f"{day.year}-Q{quarter_number(day)}"


def retro_day(year: int, quarter: int) -> date:
    """First Monday of the quarter's last month."""
    return first_weekday_of_month(year, quarter * 3, MONDAY)


def retro_closes(quarter: str) -> date:
    """The day the survey of `quarter` (`2026-Q4`) closes and its results come out: the first day of the
    next quarter. The invitation goes out on the first Monday of the quarter's last month, so people have
    four weeks or more to answer; after that, nothing can be added and the results never change."""
    year, _, number = quarter.partition("-Q")
    return next_month_start(date(int(year), 3 * int(number), 1))


def record_retro(
    uow: UnitOfWork,
    member: Member,
    quarter: str,
    works: str | None,
    blocks: str | None,
    needs: str | None,
    rating: int,
    today: date,
) -> None:
    if not 1 <= rating <= 5:
        raise UserError("retro.error.rating")
    if today >= retro_closes(quarter):
        raise UserError("retro.error.closed")
    answers = [" ".join((text or "").split())[:MAX_ANSWER] or None for text in (works, blocks, needs)]
    existing = uow.session.scalar(
        select(RetroResponse).where(
            RetroResponse.team_id == uow.team_id, RetroResponse.quarter == quarter, RetroResponse.member_id == member.id
        )
    )
    if existing is not None:
        raise UserError("retro.error.already", field=fields.RETRO_RATING)
    uow.add(
        RetroResponse,
        quarter=quarter,
        member_id=member.id,
        works=answers[0],
        blocks=answers[1],
        needs=answers[2],
        rating=rating,
    )


@dataclass(frozen=True)
class RetroResults:
    quarter: str
    responses: int
    average: float
    ratings: dict[int, int]
    works: list[str]
    blocks: list[str]
    needs: list[str]


@dataclass(frozen=True)
class RetroOutcome:
    """What admins get for a quarter: while the survey runs, only when results come (`opens_on`); after,
    the frozen count and — from the minimum group on — the results."""

    quarter: str
    responses: int
    opens_on: date
    closed: bool
    results: RetroResults | None = None


def retro_results(uow: UnitOfWork, quarter: str, minimum: int, today: date) -> RetroOutcome:
    """Results are released once, after the survey closed, and stored as released: looking at 5 answers
    and again at 6 would isolate the 6th person's rating and text, so nothing is shown while answers can
    still come, and what was shown stays as it was. Texts come without names, in alphabetical order so
    that the order gives nothing away."""
    opens_on = retro_closes(quarter)
    if today < opens_on:
        count = uow.session.scalar(
            select(func.count(RetroResponse.id)).where(
                RetroResponse.team_id == uow.team_id, RetroResponse.quarter == quarter
            )
        )
        return RetroOutcome(quarter, int(count or 0), opens_on, closed=False)
    summary = _frozen_retro(uow, quarter, minimum)
    results = None
    if summary.results is not None:
        stored = summary.results
        results = RetroResults(
            quarter=quarter,
            responses=summary.responses,
            average=float(stored["average"]),
            ratings={int(n): int(count) for n, count in stored["ratings"].items()},
            works=list(stored["works"]),
            blocks=list(stored["blocks"]),
            needs=list(stored["needs"]),
        )
    return RetroOutcome(quarter, summary.responses, opens_on, closed=True, results=results)


def _frozen_retro(uow: UnitOfWork, quarter: str, minimum: int) -> RetroSummary:
    stored = select(RetroSummary).where(RetroSummary.team_id == uow.team_id, RetroSummary.quarter == quarter)
    summary = uow.session.scalar(stored)
    if summary is not None:
        return summary
    rows = uow.session.execute(
        select(RetroResponse.works, RetroResponse.blocks, RetroResponse.needs, RetroResponse.rating).where(
            RetroResponse.team_id == uow.team_id, RetroResponse.quarter == quarter
        )
    ).all()
    results = None
    if len(rows) >= minimum:
        results = {
            "average": sum(row[3] for row in rows) / len(rows),
            "ratings": {str(n): sum(1 for row in rows if row[3] == n) for n in range(1, 6)},
            "works": sorted(row[0] for row in rows if row[0]),
            "blocks": sorted(row[1] for row in rows if row[1]),
            "needs": sorted(row[2] for row in rows if row[2]),
        }
    # Two admins asking at once store one summary; both read the one that was stored.
    insert_ignoring_duplicate(
        uow, RetroSummary, {"team_id": uow.team_id, "quarter": quarter, "responses": len(rows), "results": results}
    )
    return uow.session.scalars(stored).one()


def parse_quarter(text: str, today: date) -> str:
    """`Q4 2026` (as the bot writes quarters) or `2026-Q4` → the key `2026-Q4`; nothing → this quarter."""
    text = text.strip().upper()
    if not text:
        return quarter_key(today)
    match = re.fullmatch(r"Q([1-4])[ /-]?(\d{4})|(\d{4})[ /-]?Q([1-4])", text)
    if match is None:
        raise UserError("retro.error.quarter", example="example.retro")
    number, year = (match[1], match[2]) if match[1] else (match[4], match[3])
    return f"{int(year)}-Q{number}"


@dataclass(frozen=True)
class Upcoming:
    office_hours: datetime
    monthly_update: datetime
    presenters: str | None


def upcoming(uow: UnitOfWork, today: date, settings: Settings) -> Upcoming:
    """The next office hours and monthly update, for App Home (read only)."""
    update_at = next_monthly_update(today, settings)
    presenters = uow.session.scalar(
        select(RitualEvent.department).where(
            RitualEvent.team_id == uow.team_id,
            RitualEvent.kind == RitualKind.MONTHLY_UPDATE,
            RitualEvent.starts_at == update_at,
        )
    )
    return Upcoming(next_office_hours(today, settings), update_at, presenters)


# -- what the ritual jobs ask --------------------------------------------------------------------------


def remember_post(uow: UnitOfWork, event_id: int, channel: str, ts: str) -> None:
    """The event's channel post, kept so that RSVP clicks can update the count in place."""
    event = get_event(uow, event_id)
    event.channel, event.message_ts = channel, ts


def monthly_presenters(uow: UnitOfWork, starts_at: datetime, minutes: int, choose: bool) -> list[str]:
    """The Slack ids of the update's presenters. The notice (`choose`) picks the department and names its
    members as the presenters; later steps ask those same people."""
    event = event_at(uow, RitualKind.MONTHLY_UPDATE, starts_at, minutes)
    if choose and event.department is None:
        event.department = choose_presenters(uow, before=starts_at)
    if event.department is None:
        return []
    return name_presenters(uow, event) if choose else presenters(uow, event)


@dataclass(frozen=True)
class SwapNotices:
    presenting: list[str]  # Slack ids of the new presenters
    off: list[str]  # those of the department that was replaced


def swap_notices(uow: UnitOfWork, starts_at: datetime, minutes: int, replaced: str | None) -> SwapNotices:
    """Whom to tell after an admin swapped the update's presenting department: its members are named the
    presenters now."""
    event = event_at(uow, RitualKind.MONTHLY_UPDATE, starts_at, minutes)
    presenting = name_presenters(uow, event)
    off = department_user_ids(uow, replaced) if replaced is not None and replaced != event.department else []
    return SwapNotices(presenting, off)


def retro_invitees(uow: UnitOfWork, today: date) -> list[str]:
    """The Slack ids of everyone still with the company and not pausing today."""
    return list(
        uow.session.scalars(
            select(Member.slack_user_id).where(
                Member.team_id == uow.team_id,
                Member.deactivated_at.is_(None),
                (Member.paused_until.is_(None)) | (Member.paused_until < today),
            )
        ).all()
    )
