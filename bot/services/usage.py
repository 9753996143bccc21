"""Logging time saved with AI, and the personal numbers built from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import CompoundSelect, and_, bindparam, case, func, literal, null, select, union_all

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
    return int(uow.rows(_MINUTES_BETWEEN, parameters).scalar_one())


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
    day_minutes, week_minutes = uow.rows(_DAY_AND_WEEK, parameters).one()
    return int(day_minutes), int(week_minutes)


def member_stats(uow: UnitOfWork, member: Member, today: date) -> MemberStats:
    """The person's numbers in two statements (their days with minutes, their tools and use cases with
    minutes): `/ki stats` and every App Home ask for them."""
    days = uow.rows(_DAYS, {"member_id": member.id}).all()
    shares = uow.rows(_SHARES, {"member_id": member.id}).all()
    monday, first_of_month = week_start(today), today.replace(day=1)
    tools = sorted(
        ((key, int(minutes)) for kind, key, _title, minutes in shares if kind == _TOOL),
        key=lambda tool: (-tool[1], tool[0] is None, tool[0] or ""),
    )
    use_cases = sorted(
        ((str(key), str(title), int(minutes)) for kind, key, title, minutes in shares if kind == _USE_CASE),
        key=lambda use_case: (-use_case[2], use_case[0]),
    )
    return MemberStats(
        # The week's and month's figures count entries dated later too.
        week_minutes=sum(int(minutes) for day, minutes, _ in days if day >= monday),
        month_minutes=sum(int(minutes) for day, minutes, _ in days if day >= first_of_month),
        total_minutes=sum(int(minutes) for _, minutes, _ in days),
        total_entries=sum(int(entries) for _, _, entries in days),
        streak_weeks=_streak_weeks({week_start(day) for day, _, _ in days}, today),
        top_tools=tools[:TOP_LIMIT],
        top_use_cases=use_cases[:TOP_LIMIT],
    )


# The statements of the person's numbers, built once.
_OWN = UsageLog.member_id == bindparam("member_id")
_MINUTES = func.sum(UsageLog.minutes)
# Each day the person logged: its minutes and entries.
_DAYS = select(UsageLog.used_on, _MINUTES, func.count(UsageLog.id)).where(_OWN).group_by(UsageLog.used_on)
# (kind, key, title, minutes) of each of the person's tools (key: the tool, None without one) and use cases
# (key: the slug), in one statement.
_TOOL, _USE_CASE = "tool", "use_case"
_SHARES: CompoundSelect[str, str | None, str | None, int] = union_all(
    select(literal(_TOOL), UsageLog.tool, null(), _MINUTES).where(_OWN).group_by(UsageLog.tool),
    select(literal(_USE_CASE), UseCase.slug, UseCase.title, _MINUTES)
    .join(UseCase, UseCase.id == UsageLog.use_case_id)
    .where(_OWN)
    .group_by(UseCase.slug, UseCase.title),
)


def _streak_weeks(weeks: set[date], today: date) -> int:
    """Weeks in a row with at least one log (`weeks`: the Mondays of the weeks with one), ending this week
    (or last week, if this one has none yet)."""
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
