"""Logging time saved with AI, and the personal numbers built from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, bindparam, case, func, select

from bot.db import UnitOfWork
from bot.domain.calendar import week_start
from bot.domain.errors import UserError
from bot.domain.usage import UsageEntry, check_day_total, check_used_on
from bot.models import Member, UsageLog, UseCase
from bot.services.members import lock_member
from bot.services.records import already_submitted

TOP_LIMIT = 3
RECENT_LIMIT = 10


@dataclass(frozen=True)
class UseCaseRef:
    """The use case an entry counts for, as replies and lists name it."""

    id: int
    slug: str
    title: str


@dataclass(frozen=True)
class LoggedUsage:
    entry: UsageEntry
    used_on: date
    week_minutes: int
    log_id: int
    use_case: UseCaseRef | None = None


@dataclass(frozen=True)
class LogLine:
    """One of a member's own entries, as their list shows it."""

    id: int
    used_on: date
    minutes: int
    tool: str | None
    use_case: UseCaseRef | None
    note: str


@dataclass(frozen=True)
class RemovedUsage:
    line: LogLine
    week_minutes: int


@dataclass(frozen=True)
class MemberStats:
    week_minutes: int
    month_minutes: int
    total_minutes: int
    total_entries: int
    streak_weeks: int
    top_tools: list[tuple[str | None, int]]
    top_use_cases: list[tuple[str, str, int]]


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
    earlier = already_submitted(uow, UsageLog, source_key)
    if earlier is not None:
        return LoggedUsage(entry, used_on, _week_minutes(uow, member, today), earlier.id, _ref(use_case))
    check_used_on(used_on, today)
    lock_member(uow, member)
    day_minutes, week_minutes = _day_and_week_minutes(uow, member, used_on, today)
    check_day_total(day_minutes, entry.minutes)
    log_id = uow.insert(
        UsageLog,
        member_id=member.id,
        minutes=entry.minutes,
        tool=entry.tool,
        use_case_id=use_case.id if use_case else None,
        note=entry.note,
        used_on=used_on,
        source_key=source_key,
        department=member.department,
    )
    if week_start(today) <= used_on <= today:
        week_minutes += entry.minutes
    return LoggedUsage(entry, used_on, week_minutes, log_id, _ref(use_case))


def update_log(
    uow: UnitOfWork,
    member: Member,
    log_id: int,
    entry: UsageEntry,
    used_on: date,
    today: date,
    use_case: UseCase | None = None,
) -> LoggedUsage:
    """Replaces one of the member's own entries. The day's limit counts the new minutes instead of the
    old ones; an entry may keep its date even if that is now more than two weeks back."""
    lock_member(uow, member)
    log = _own_log(uow, member, log_id)
    if used_on != log.used_on:
        check_used_on(used_on, today)
    others = _minutes_between(uow, member, used_on, used_on) - (log.minutes if log.used_on == used_on else 0)
    check_day_total(others, entry.minutes)
    log.minutes, log.tool, log.note, log.used_on = entry.minutes, entry.tool, entry.note, used_on
    log.use_case_id = use_case.id if use_case else None
    uow.session.flush()
    return LoggedUsage(entry, used_on, _week_minutes(uow, member, today), log.id, _ref(use_case))


def remove_log(uow: UnitOfWork, member: Member, log_id: int, today: date) -> RemovedUsage:
    """Deletes one of the member's own entries."""
    log = _own_log(uow, member, log_id)
    line = _line(log, uow.session.get(UseCase, log.use_case_id) if log.use_case_id else None)
    uow.session.delete(log)
    uow.session.flush()
    return RemovedUsage(line, _week_minutes(uow, member, today))


def own_log(uow: UnitOfWork, member: Member, log_id: int) -> LogLine:
    log = _own_log(uow, member, log_id)
    return _line(log, uow.session.get(UseCase, log.use_case_id) if log.use_case_id else None)


def recent_logs(uow: UnitOfWork, member: Member, limit: int = RECENT_LIMIT) -> list[LogLine]:
    """The member's latest entries, by the day they are for, newest first."""
    rows = uow.session.execute(
        select(UsageLog, UseCase)
        .outerjoin(UseCase, UseCase.id == UsageLog.use_case_id)
        .where(UsageLog.team_id == uow.team_id, UsageLog.member_id == member.id)
        .order_by(UsageLog.used_on.desc(), UsageLog.id.desc())
        .limit(limit)
    ).all()
    return [_line(log, use_case) for log, use_case in rows]


def _own_log(uow: UnitOfWork, member: Member, log_id: int) -> UsageLog:
    """Only the author reaches an entry: anyone else's id, a deleted one or a made-up one is unknown."""
    log = uow.session.scalar(
        select(UsageLog).where(UsageLog.team_id == uow.team_id, UsageLog.member_id == member.id, UsageLog.id == log_id)
    )
    if log is None:
        raise UserError("log.error.entry_gone", example="example.log_list")
    return log


def _line(log: UsageLog, use_case: UseCase | None) -> LogLine:
    return LogLine(
        id=log.id,
        used_on=log.used_on,
        minutes=log.minutes,
        tool=log.tool,
        use_case=_ref(use_case),
        note=log.note,
    )


def _ref(use_case: UseCase | None) -> UseCaseRef | None:
    return UseCaseRef(id=use_case.id, slug=use_case.slug, title=use_case.title) if use_case else None


def _week_minutes(uow: UnitOfWork, member: Member, today: date) -> int:
    return _minutes_between(uow, member, week_start(today), today)


# The statements on the path of `/ki log`, built once: building one costs more than running it.
_MINUTES_BETWEEN = select(func.coalesce(func.sum(UsageLog.minutes), 0)).where(
    UsageLog.member_id == bindparam("member_id"),
    UsageLog.used_on >= bindparam("first"),
    UsageLog.used_on <= bindparam("last"),
)
_DAY_AND_WEEK = select(
    func.coalesce(func.sum(case((UsageLog.used_on == bindparam("day"), UsageLog.minutes), else_=0)), 0),
    func.coalesce(
        func.sum(
            case(
                (
                    and_(UsageLog.used_on >= bindparam("week_start"), UsageLog.used_on <= bindparam("today")),
                    UsageLog.minutes,
                ),
                else_=0,
            )
        ),
        0,
    ),
).where(
    UsageLog.member_id == bindparam("member_id"),
    UsageLog.used_on >= bindparam("first"),
    UsageLog.used_on <= bindparam("last"),
)


def _minutes_between(uow: UnitOfWork, member: Member, first: date | None, last: date) -> int:
    parameters = {"member_id": member.id, "first": first or date.min, "last": last}
    return int(uow.session.scalar(_MINUTES_BETWEEN, parameters) or 0)


def _day_and_week_minutes(uow: UnitOfWork, member: Member, day: date, today: date) -> tuple[int, int]:
    """The member's minutes on `day` and in the week up to `today`, in one statement."""
    monday = week_start(today)
    parameters = {
        "member_id": member.id,
        "day": day,
        "week_start": monday,
        "today": today,
        "first": min(day, monday),
        "last": max(day, today),
    }
    day_minutes, week_minutes = uow.session.execute(_DAY_AND_WEEK, parameters).one()
    return int(day_minutes), int(week_minutes)


def member_stats(uow: UnitOfWork, member: Member, today: date) -> MemberStats:
    parameters = {"member_id": member.id, "week_start": week_start(today), "month_start": today.replace(day=1)}
    total_minutes, total_entries, week_minutes, month_minutes = uow.session.execute(_TOTALS, parameters).one()
    tools = uow.session.execute(_TOP_TOOLS, parameters).all()
    use_cases = uow.session.execute(_TOP_USE_CASES, parameters).all()
    return MemberStats(
        week_minutes=int(week_minutes),
        month_minutes=int(month_minutes),
        total_minutes=int(total_minutes),
        total_entries=int(total_entries),
        streak_weeks=_streak_weeks(uow, member, today),
        top_tools=[(tool, int(total)) for tool, total in tools],
        top_use_cases=[(slug, title, int(total)) for slug, title, total in use_cases],
    )


# The statements of `/ki stats`, built once. The week's and month's figures count entries dated later too.
def _minutes_from(first: str) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((UsageLog.used_on >= bindparam(first), UsageLog.minutes), else_=0)), 0)


_OWN = UsageLog.member_id == bindparam("member_id")
_TOTALS = select(
    func.coalesce(func.sum(UsageLog.minutes), 0),
    func.count(UsageLog.id),
    _minutes_from("week_start"),
    _minutes_from("month_start"),
).where(_OWN)
_MINUTES = func.sum(UsageLog.minutes).label("minutes")
# The member's tools by minutes saved, biggest first (ties alphabetically).
_TOP_TOOLS = (
    select(UsageLog.tool, _MINUTES)
    .where(_OWN)
    .group_by(UsageLog.tool)
    .order_by(_MINUTES.desc(), UsageLog.tool)
    .limit(TOP_LIMIT)
)
# (slug, title, minutes) of the member's use cases by minutes saved.
_TOP_USE_CASES = (
    select(UseCase.slug, UseCase.title, _MINUTES)
    .join(UseCase, UseCase.id == UsageLog.use_case_id)
    .where(_OWN)
    .group_by(UseCase.slug, UseCase.title)
    .order_by(_MINUTES.desc(), UseCase.slug)
    .limit(TOP_LIMIT)
)
_DAYS_WITH_LOGS = select(UsageLog.used_on).where(_OWN).distinct()


def _streak_weeks(uow: UnitOfWork, member: Member, today: date) -> int:
    """Weeks in a row with at least one log, ending this week (or last week, if this one has none yet)."""
    weeks = {week_start(day) for day in uow.session.scalars(_DAYS_WITH_LOGS, {"member_id": member.id})}
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
