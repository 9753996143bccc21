"""Logging time saved with AI, and the personal numbers built from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.db import UnitOfWork
from bot.domain.usage import UsageEntry, check_day_total, check_used_on
from bot.models import Member, UsageLog, UseCase
from bot.services.records import already_submitted

TOP_LIMIT = 3


@dataclass(frozen=True)
class LoggedUsage:
    entry: UsageEntry
    used_on: date
    week_minutes: int
    use_case: UseCase | None = None


@dataclass(frozen=True)
class MemberStats:
    week_minutes: int
    month_minutes: int
    total_minutes: int
    total_entries: int
    streak_weeks: int
    top_tools: list[tuple[str | None, int]]
    top_use_cases: list[tuple[str, str, int]]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def log_usage(
    uow: UnitOfWork,
    member: Member,
    entry: UsageEntry,
    used_on: date,
    today: date,
    use_case: UseCase | None = None,
    source_key: str | None = None,
) -> LoggedUsage:
    """Stores one entry after checking the date and the day's total. A repeated submission with the same
    `source_key` (a modal sent twice) stores nothing more and answers like the first."""
    if already_submitted(uow, UsageLog, source_key) is not None:
        return LoggedUsage(entry, used_on, _minutes_between(uow, member, week_start(today), today), use_case)
    check_used_on(used_on, today)
    # Lock the member row so that two logs sent at once cannot both pass the daily limit (PostgreSQL;
    # SQLite serialises writers at BEGIN IMMEDIATE already).
    uow.session.execute(select(Member.id).where(Member.id == member.id).with_for_update())
    day_total = _minutes_between(uow, member, used_on, used_on)
    check_day_total(day_total, entry.minutes)
    uow.session.add(
        UsageLog(
            team_id=uow.team_id,
            member_id=member.id,
            minutes=entry.minutes,
            tool=entry.tool,
            use_case_id=use_case.id if use_case else None,
            note=entry.note,
            used_on=used_on,
            source_key=source_key,
        )
    )
    uow.session.flush()
    return LoggedUsage(entry, used_on, _minutes_between(uow, member, week_start(today), today), use_case)


def _minutes_between(uow: UnitOfWork, member: Member, first: date | None, last: date) -> int:
    query = select(func.coalesce(func.sum(UsageLog.minutes), 0)).where(
        UsageLog.member_id == member.id, UsageLog.used_on <= last
    )
    if first is not None:
        query = query.where(UsageLog.used_on >= first)
    return int(uow.session.scalar(query) or 0)


def member_stats(uow: UnitOfWork, member: Member, today: date) -> MemberStats:
    far_future = today + timedelta(days=3650)
    total_minutes, total_entries = uow.session.execute(
        select(func.coalesce(func.sum(UsageLog.minutes), 0), func.count(UsageLog.id)).where(
            UsageLog.member_id == member.id
        )
    ).one()
    return MemberStats(
        week_minutes=_minutes_between(uow, member, week_start(today), far_future),
        month_minutes=_minutes_between(uow, member, today.replace(day=1), far_future),
        total_minutes=int(total_minutes),
        total_entries=int(total_entries),
        streak_weeks=_streak_weeks(uow, member, today),
        top_tools=_top_tools(uow, member),
        top_use_cases=_top_use_cases(uow, member),
    )


def _top_tools(uow: UnitOfWork, member: Member) -> list[tuple[str | None, int]]:
    """The member's tools by minutes saved, biggest first (ties alphabetically)."""
    minutes = func.sum(UsageLog.minutes).label("minutes")
    rows = uow.session.execute(
        select(UsageLog.tool, minutes)
        .where(UsageLog.member_id == member.id)
        .group_by(UsageLog.tool)
        .order_by(minutes.desc(), UsageLog.tool)
        .limit(TOP_LIMIT)
    ).all()
    return [(tool, int(total)) for tool, total in rows]


def _top_use_cases(uow: UnitOfWork, member: Member) -> list[tuple[str, str, int]]:
    """(slug, title, minutes) of the member's use cases by minutes saved."""
    minutes = func.sum(UsageLog.minutes).label("minutes")
    rows = uow.session.execute(
        select(UseCase.slug, UseCase.title, minutes)
        .join(UseCase, UseCase.id == UsageLog.use_case_id)
        .where(UsageLog.member_id == member.id)
        .group_by(UseCase.slug, UseCase.title)
        .order_by(minutes.desc(), UseCase.slug)
        .limit(TOP_LIMIT)
    ).all()
    return [(slug, title, int(total)) for slug, title, total in rows]


def _streak_weeks(uow: UnitOfWork, member: Member, today: date) -> int:
    """Weeks in a row with at least one log, ending this week (or last week, if this one has none yet)."""
    days = uow.session.scalars(select(UsageLog.used_on).where(UsageLog.member_id == member.id).distinct()).all()
    weeks = {week_start(day) for day in days}
    current = week_start(today)
    if current not in weeks:
        current -= timedelta(weeks=1)
    streak = 0
    while current in weeks:
        streak += 1
        current -= timedelta(weeks=1)
    return streak


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()
