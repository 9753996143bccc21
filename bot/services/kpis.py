"""The KPIs of PRODUCT §2.7 for any period, per workspace and per department — one service for every
surface (leaderboard, `/ki top`, monthly report, CSV export, admins' App Home).

Privacy: no aggregate of fewer than `MIN_GROUP_SIZE` people is ever produced. Small departments are
pooled as "Weitere Teams"; if that pool would itself be too small, the smallest shown departments join
it, so that no hidden group can be recovered by subtracting the shown ones from the total. Figures of a
period depend only on that period's data: entries carry the department their author had when making them,
membership comes from the department history, and the pooling from who was in which department when the
period began, so that moving between departments never changes a figure already shown. Entries are read
as per-member daily totals (`usage_day_totals`, which the database keeps in step with the logs), grouped in
SQL over a covering index: a period costs as many rows as people × days, however many entries there are;
only people and their department history are loaded (one row each per person and move).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from bot.db import UnitOfWork
from bot.domain.buddies import Answer
from bot.domain.calendar import quarter_number, quarter_start, week_start
from bot.domain.rituals import RitualKind
from bot.domain.use_cases import Status
from bot.models import (
    Assessment,
    BuddyCheckIn,
    BuddyRating,
    DepartmentMembership,
    Member,
    RitualEvent,
    Rsvp,
    Tip,
    UsageDayTotal,
    UseCase,
    UseCaseAdoption,
    UseCaseStatusChange,
)
from config.settings import Settings

# Group keys that are not department names; renderers label them ("Ohne Team", "Weitere Teams").
NO_TEAM = ""
OTHER_TEAMS = "\x00other"
# An annualised ROI from fewer days than this is noise: on the first days of a month one quiet weekend reads
# as "-100 %". Below it, surfaces say "noch zu früh" instead of a figure.
MIN_DAYS_FOR_ROI = 7


@dataclass(frozen=True)
class KpiSettings:
    """What the figures depend on besides the data: the workspace's time zone, the minimum group and the
    money a saved hour and a person's training are worth."""

    zone: ZoneInfo
    min_group_size: int
    hourly_rate_eur: float
    investment_per_employee_eur: float

    @classmethod
    def from_settings(cls, settings: Settings) -> KpiSettings:
        return cls(
            settings.zone, settings.min_group_size, settings.hourly_rate_eur, settings.investment_per_employee_eur
        )


@dataclass(frozen=True)
class Period:
    """Calendar days `start` … `end` (inclusive) in the workspace's time zone."""

    start: date
    end: date
    kind: str  # week | month | quarter

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware UTC datetimes, for timestamps such as created_at."""
        begin = datetime.combine(self.start, time.min, tzinfo=zone).astimezone(UTC)
        finish = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
        return begin, finish

    def days_of_data(self, today: date) -> int:
        """Days of the period that have begun by `today` (all of them once it is over)."""
        return max(0, min(self.days, (today - self.start).days + 1))

    def previous(self) -> Period:
        if self.kind == "week":
            return week_of(self.start - timedelta(days=7))
        if self.kind == "quarter":
            return quarter_of(self.start - timedelta(days=1))
        return month_of(self.start - timedelta(days=1))


def week_of(day: date) -> Period:
    start = week_start(day)
    return Period(start, start + timedelta(days=6), "week")


def month_of(day: date) -> Period:
    return Period(day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]), "month")


def quarter_of(day: date) -> Period:
    start = quarter_start(day.year, quarter_number(day))
    last_month = start.month + 2
    last = date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return Period(start, last, "quarter")


class _Usage:
    """Adoption and time saved of a group of people (a department or the whole workspace)."""

    members: int
    active_members: int
    minutes: int

    @property
    def adoption_rate(self) -> float:
        return self.active_members / self.members if self.members else 0.0

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def hours_per_member(self) -> float:
        return self.hours / self.members if self.members else 0.0


@dataclass(frozen=True)
class GroupKpis(_Usage):
    key: str  # a department name, NO_TEAM or OTHER_TEAMS
    members: int
    active_members: int
    minutes: int


@dataclass(frozen=True)
class WorkspaceKpis(_Usage):
    period: Period
    members: int
    active_members: int
    minutes: int
    euros: float
    new_use_cases: dict[Status, int]
    adoptions: int
    rolled_out: int
    checkins_due: int
    checkins_held: int
    tips: int
    # RSVPs for office hours and monthly updates held in the period.
    rsvps: dict[RitualKind, int]
    # None while the period has fewer than MIN_DAYS_FOR_ROI days of data.
    annual_value_eur: float | None
    investment_eur: float
    groups: list[GroupKpis] = field(default_factory=list)
    # False when the workspace itself has fewer members than the minimum group: nothing is shown.
    shown: bool = True
    # Departments of at least the minimum size that were pooled into OTHER_TEAMS only because the small ones
    # together stayed below the minimum.
    pooled_large: int = 0

    @property
    def innovation_rate(self) -> float:
        """Use cases rolled out in the period per 10 members."""
        return 10 * self.rolled_out / self.members if self.members else 0.0

    @property
    def checkin_rate(self) -> float | None:
        return self.checkins_held / self.checkins_due if self.checkins_due else None

    @property
    def roi(self) -> float | None:
        """(annualised value of time saved − investment) ÷ investment; None while it is too early to say."""
        if self.annual_value_eur is None:
            return None
        return (self.annual_value_eur - self.investment_eur) / self.investment_eur if self.investment_eur else 0.0


def pool_small_groups(sizes: dict[str, int], minimum: int) -> dict[str, str]:
    """Department → the group it is shown under. Groups below `minimum` become OTHER_TEAMS; if that pool
    is still too small, the smallest shown groups join it. Returns {} if even all together are too few."""
    if sum(sizes.values()) < minimum:
        return {}
    shown = {key for key, size in sizes.items() if size >= minimum}
    pooled = set(sizes) - shown
    while pooled and sum(sizes[key] for key in pooled) < minimum:
        smallest = min(shown, key=lambda key: (sizes[key], key))
        shown.discard(smallest)
        pooled.add(smallest)
    return {key: key for key in shown} | {key: OTHER_TEAMS for key in pooled}


def _group_of(department: str | None) -> str:
    return department if department is not None else NO_TEAM


@dataclass(frozen=True)
class _Person:
    """When someone was with the workspace, and from when they were in which department."""

    joined: datetime
    left: datetime | None
    # (from, department key), oldest first; the first starts when they joined.
    departments: list[tuple[datetime, str]]

    def overlaps(self, begin: datetime, until: datetime) -> bool:
        return self.joined < until and (self.left is None or self.left > begin)

    def department_at(self, moment: datetime) -> str:
        current = self.departments[0][1]
        for since, department in self.departments:
            if since <= moment:
                current = department
        return current

    def departments_between(self, begin: datetime, until: datetime) -> set[str]:
        """Every department the person was in at some moment of [begin, until)."""
        spans = [*self.departments[1:], (until, "")]
        return {
            department
            for (since, department), (following, _) in zip(self.departments, spans, strict=True)
            if following > since and since < until and following > begin
        }


class People:
    """Everyone who ever belonged to the workspace, with their department history: read once, so that the
    12 weeks of a series need no query per person. Past periods depend only on these rows, never on anyone's
    department of today."""

    def __init__(self, uow: UnitOfWork) -> None:
        members = uow.session.execute(
            select(Member.id, Member.created_at, Member.deactivated_at, Member.department).where(
                Member.team_id == uow.team_id
            )
        ).all()
        history: dict[int, list[tuple[datetime, str]]] = {}
        for member_id, since, department in uow.session.execute(
            select(DepartmentMembership.member_id, DepartmentMembership.valid_from, DepartmentMembership.department)
            .where(DepartmentMembership.team_id == uow.team_id)
            .order_by(DepartmentMembership.member_id, DepartmentMembership.valid_from, DepartmentMembership.id)
        ).all():
            history.setdefault(member_id, []).append((since, _group_of(department)))
        self.people: dict[int, _Person] = {}
        for member_id, joined, left, department in members:
            # Without a recorded choice the department is the one they have had since joining (rows written by
            # the migration say the same); before their first recorded choice, none.
            rows = history.get(member_id)
            spans = [(joined, NO_TEAM), *rows] if rows else [(joined, _group_of(department))]
            self.people[member_id] = _Person(joined, left, spans)

    def at_start(self, begin: datetime) -> dict[str, int]:
        """People per department when the period began: what its pooling is decided from."""
        sizes: dict[str, int] = {}
        for person in self.people.values():
            if person.joined <= begin and (person.left is None or person.left > begin):
                key = person.department_at(begin)
                sizes[key] = sizes.get(key, 0) + 1
        return sizes

    def present(self, begin: datetime, until: datetime) -> set[int]:
        """The people who were in the workspace at some moment of the period, whatever their department."""
        return {member_id for member_id, person in self.people.items() if person.overlaps(begin, until)}

    def during(self, begin: datetime, until: datetime) -> dict[str, set[int]]:
        """Department → the people who were in it at some moment of the period."""
        members: dict[str, set[int]] = {}
        for member_id, person in self.people.items():
            if person.overlaps(begin, until):
                for key in person.departments_between(max(begin, person.joined), until):
                    members.setdefault(key, set()).add(member_id)
        return members


def workspace_kpis(
    uow: UnitOfWork, period: Period, settings: KpiSettings, *, today: date, people: People | None = None
) -> WorkspaceKpis:
    """The members of a department in a period are those who were in it at some moment of the period (a
    person who moved counts in both), and whoever made an entry there that is dated within it; an entry
    counts for the department its author had when making it. So a move today leaves every past figure
    as it was.

    Which departments are shown and which pooled is decided from who was in them when the period began:
    that never changes once the period has started, so nobody can shift the pooling by moving and subtract
    the two versions. A department that was too small (or did not exist) at the start stays pooled for the
    whole period; a shown one cannot shrink below the minimum, since everyone in it at the start stays
    counted (people who leave stay in the periods they were part of)."""
    minimum = settings.min_group_size
    begin, until = period.utc_bounds(settings.zone)
    people = people or People(uow)
    usage = _usage(uow, period, people, begin, until)
    at_start = people.at_start(begin)
    pooling = pool_small_groups(at_start, minimum)
    members = len(usage.people)
    total_minutes = sum(usage.minutes.values())
    euros = total_minutes / 60 * settings.hourly_rate_eur
    new_use_cases = {status: 0 for status in Status} | {
        status: int(n)
        for status, n in uow.session.execute(
            select(UseCase.status, func.count(UseCase.id))
            .where(UseCase.team_id == uow.team_id, UseCase.created_at >= begin, UseCase.created_at < until)
            .group_by(UseCase.status)
        ).all()
    }
    checkins_due, checkins_held = uow.session.execute(
        select(
            func.count(BuddyCheckIn.id), func.count(BuddyCheckIn.id).filter(BuddyCheckIn.answer == Answer.YES)
        ).where(BuddyCheckIn.team_id == uow.team_id, BuddyCheckIn.asked_at >= begin, BuddyCheckIn.asked_at < until)
    ).one()
    kpis = WorkspaceKpis(
        period=period,
        members=members,
        active_members=usage.active,
        minutes=total_minutes,
        euros=euros,
        new_use_cases=new_use_cases,
        adoptions=_count(uow, UseCaseAdoption.id, UseCaseAdoption.team_id, UseCaseAdoption.created_at, begin, until),
        rolled_out=int(
            uow.session.scalar(
                select(func.count(func.distinct(UseCaseStatusChange.use_case_id))).where(
                    UseCaseStatusChange.team_id == uow.team_id,
                    UseCaseStatusChange.status == Status.ROLLED_OUT,
                    UseCaseStatusChange.changed_at >= begin,
                    UseCaseStatusChange.changed_at < until,
                )
            )
            or 0
        ),
        checkins_due=int(checkins_due),
        checkins_held=int(checkins_held),
        tips=_count(uow, Tip.id, Tip.team_id, Tip.created_at, begin, until),
        rsvps={kind: 0 for kind in RitualKind}
        | {
            kind: int(n)
            for kind, n in uow.session.execute(
                select(RitualEvent.kind, func.count(Rsvp.id))
                .join(RitualEvent, RitualEvent.id == Rsvp.event_id)
                .where(Rsvp.team_id == uow.team_id, RitualEvent.starts_at >= begin, RitualEvent.starts_at < until)
                .group_by(RitualEvent.kind)
            ).all()
        },
        # Annualised from the days that have passed: a running month is not diluted by its future days.
        annual_value_eur=(
            euros * 365 / period.days_of_data(today) if period.days_of_data(today) >= MIN_DAYS_FOR_ROI else None
        ),
        investment_eur=members * settings.investment_per_employee_eur,
        shown=members >= minimum,
        pooled_large=sum(1 for key, group in pooling.items() if group == OTHER_TEAMS and at_start[key] >= minimum),
    )
    if not pooling:
        # Too few people when the period began to show any department: the workspace total only.
        return kpis
    # A department nobody was in when the period began is pooled; a person in two departments of one group
    # counts once there.
    group_members: dict[str, set[int]] = {}
    group_authors: dict[str, set[int]] = {}
    group_minutes: dict[str, int] = {}
    for key, people_in in usage.members.items():
        group = pooling.get(key, OTHER_TEAMS)
        group_members.setdefault(group, set()).update(people_in)
        group_authors.setdefault(group, set()).update(usage.authors.get(key, set()))
        group_minutes[group] = group_minutes.get(group, 0) + usage.minutes.get(key, 0)
    # Departments by name, then "Ohne Team", then "Weitere Teams": the same order on every database.
    order = sorted(group_members, key=lambda key: (key == OTHER_TEAMS, key == NO_TEAM, key.casefold()))
    kpis.groups.extend(
        GroupKpis(key, len(group_members[key]), len(group_authors[key]), group_minutes[key]) for key in order
    )
    return kpis


@dataclass(frozen=True)
class _PeriodUsage:
    # Department → its members in the period, those of them who made entries there, and their minutes.
    members: dict[str, set[int]]
    authors: dict[str, set[int]]
    minutes: dict[str, int]

    @property
    def people(self) -> set[int]:
        return set().union(*self.members.values())

    @property
    def active(self) -> int:
        return len(set().union(*self.authors.values()))


def _usage(uow: UnitOfWork, period: Period, people: People, begin: datetime, until: datetime) -> _PeriodUsage:
    """Entries are grouped by the department stored on them and counted per author id (an erased person's
    entries pass to a placeholder member and keep their department); one row per (department, author) is
    read, never the entries themselves."""
    members = people.during(begin, until)
    authors: dict[str, set[int]] = {}
    minutes: dict[str, int] = {}
    for department, member_id, total in _minutes_per_author(
        uow, UsageDayTotal.department, UsageDayTotal.used_on, period.start, period.end
    ):
        authors.setdefault(department, set()).add(member_id)
        # An entry made later but dated within the period makes its author a member of its department then.
        members.setdefault(department, set()).add(member_id)
        minutes[department] = minutes.get(department, 0) + int(total)
    return _PeriodUsage(members, authors, minutes)


# A column of the daily totals, e.g. `UsageDayTotal.used_on`.
TotalsColumn = InstrumentedAttribute[Any]


def _totals_within(uow: UnitOfWork, day: TotalsColumn, first: date, last: date) -> ColumnElement[bool]:
    """The workspace's daily totals whose `day` (the day used, or its week's Monday) lies in first … last."""
    return and_(UsageDayTotal.team_id == uow.team_id, day >= first, day <= last)


def _minutes_per_author(
    uow: UnitOfWork, key: TotalsColumn, day: TotalsColumn, first: date, last: date
) -> Sequence[Row[Any, int, Any]]:
    """(key, author id, minutes) for each key and author, summed over the totals whose `day` lies in first … last."""
    return uow.session.execute(
        select(key, UsageDayTotal.member_id, func.sum(UsageDayTotal.minutes))
        .where(_totals_within(uow, day, first, last))
        .group_by(key, UsageDayTotal.member_id)
    ).all()


def _count(uow: UnitOfWork, column: object, team: object, stamp: object, begin: datetime, until: datetime) -> int:
    return int(
        uow.session.scalar(
            select(func.count(column)).where(team == uow.team_id, stamp >= begin, stamp < until)  # type: ignore[arg-type,operator]
        )
        or 0
    )


@dataclass(frozen=True)
class WeekPoint:
    week_start: date
    # None when the week had fewer members than the minimum group: the week is shown without figures.
    hours: float | None
    adoption_rate: float | None
    # The week is still running (its figures will grow).
    current: bool = False


def last_series_week(period: Period, today: date) -> Period:
    """Where the weekly series of a period ends: the current week while the period runs, else the last week
    that ends within it. Never a week that has not begun, never a week that mostly lies after the period."""
    if today <= period.end:
        return week_of(today)
    last = week_of(period.end)
    return last if last.end <= period.end else week_of(period.end - timedelta(days=7))


def weekly_series(
    uow: UnitOfWork,
    last_week: Period,
    zone: ZoneInfo,
    today: date,
    minimum: int,
    weeks: int = 12,
    *,
    people: People | None = None,
) -> list[WeekPoint]:
    """Hours saved and adoption rate per week, oldest first, for the chart and the CSV. Each week is a
    figure of its own and follows the minimum-group rule by itself: the people counted in that week (those
    in the workspace during it, and whoever made an entry dated within it). All weeks are read in one query,
    one row per week and author."""
    people = people or People(uow)
    first = last_week.start - timedelta(weeks=weeks - 1)
    authors: dict[date, set[int]] = {}
    minutes: dict[date, int] = {}
    for monday, member_id, total in _minutes_per_author(
        uow, UsageDayTotal.week_start, UsageDayTotal.week_start, first, last_week.start
    ):
        authors.setdefault(monday, set()).add(member_id)
        minutes[monday] = minutes.get(monday, 0) + int(total)
    points = []
    for back in range(weeks - 1, -1, -1):
        period = week_of(last_week.start - timedelta(weeks=back))
        begin, until = period.utc_bounds(zone)
        active = authors.get(period.start, set())
        members = len(active | people.present(begin, until))
        shown = members >= minimum
        points.append(
            WeekPoint(
                period.start,
                minutes.get(period.start, 0) / 60 if shown else None,
                len(active) / members if shown else None,
                current=period.end >= today,
            )
        )
    return points


def maturity_distribution(uow: UnitOfWork, period: Period, zone: ZoneInfo, minimum: int) -> dict[str, dict[int, int]]:
    """Per shown group: how many people's latest self-check by the end of the period is at level 1, 2, 3,
    grouped by the department they were in when they took it (pooled by the same rule, counted over the
    people who took a check). Neither a later move nor a later check changes a past period's figures."""
    _, until = period.utc_bounds(zone)
    latest = (
        select(Assessment.member_id, func.max(Assessment.id).label("latest"))
        .where(Assessment.team_id == uow.team_id, Assessment.created_at < until)
        .group_by(Assessment.member_id)
        .subquery()
    )
    department = func.coalesce(Assessment.department, NO_TEAM)
    rows = uow.session.execute(
        select(department, Assessment.overall_level, func.count(Assessment.id))
        .join(latest, latest.c.latest == Assessment.id)
        .join(Member, Member.id == Assessment.member_id)
        .where(or_(Member.deactivated_at.is_(None), Member.deactivated_at >= until))
        .group_by(department, Assessment.overall_level)
    ).all()
    sizes: dict[str, int] = {}
    for key, _, count in rows:
        sizes[key] = sizes.get(key, 0) + int(count)
    groups = pool_small_groups(sizes, minimum)
    distribution: dict[str, dict[int, int]] = {}
    for key, level, count in rows:
        if key in groups:
            levels = distribution.setdefault(groups[key], {1: 0, 2: 0, 3: 0})
            levels[int(level)] += int(count)
    return distribution


@dataclass(frozen=True)
class Ranked:
    user_id: str
    minutes: int


def top_individuals(uow: UnitOfWork, period: Period, limit: int = 5) -> list[Ranked]:
    """Only people who opted in to appear by name."""
    total = func.sum(UsageDayTotal.minutes).label("minutes")
    rows = uow.session.execute(
        select(Member.slack_user_id, total)
        .join(Member, Member.id == UsageDayTotal.member_id)
        .where(
            _totals_within(uow, UsageDayTotal.used_on, period.start, period.end),
            Member.ranking_opt_in.is_(True),
            Member.deactivated_at.is_(None),
        )
        .group_by(Member.slack_user_id)
        .order_by(total.desc(), Member.slack_user_id)
        .limit(limit)
    ).all()
    return [Ranked(user, int(minutes)) for user, minutes in rows]


@dataclass(frozen=True)
class Highlights:
    """The week's new use cases and learnings (failed experiments are celebrated, not hidden)."""

    new_use_cases: list[str]
    learnings: list[tuple[str, str]]
    tips: int
    # Use cases that reached "ausgerollt" in the period (a pilot that ended well, among others).
    rolled_out: list[str] = field(default_factory=list)


def highlights(uow: UnitOfWork, period: Period, zone: ZoneInfo) -> Highlights:
    begin, until = period.utc_bounds(zone)
    new = uow.session.scalars(
        select(UseCase.title)
        .where(UseCase.team_id == uow.team_id, UseCase.created_at >= begin, UseCase.created_at < until)
        .order_by(UseCase.created_at)
        .limit(10)
    ).all()
    changes = uow.session.execute(
        select(UseCase.title, UseCaseStatusChange.status, UseCaseStatusChange.learning)
        .join(UseCase, UseCase.id == UseCaseStatusChange.use_case_id)
        .where(
            UseCaseStatusChange.team_id == uow.team_id,
            UseCaseStatusChange.status.in_((Status.DISCARDED, Status.ROLLED_OUT)),
            UseCaseStatusChange.changed_at >= begin,
            UseCaseStatusChange.changed_at < until,
        )
        .order_by(UseCaseStatusChange.changed_at)
    ).all()
    return Highlights(
        list(new),
        [(title, learning or "") for title, status, learning in changes if status == Status.DISCARDED][:10],
        _count(uow, Tip.id, Tip.team_id, Tip.created_at, begin, until),
        list(dict.fromkeys(title for title, status, _ in changes if status == Status.ROLLED_OUT))[:10],
    )


@dataclass(frozen=True)
class Leaderboard:
    kpis: WorkspaceKpis
    highlights: Highlights
    ranked: list[Ranked]


def leaderboard(uow: UnitOfWork, period: Period, settings: KpiSettings, *, today: date) -> Leaderboard:
    """Everything the weekly post and `/ki top` show; individuals only when the workspace is big enough."""
    kpis = workspace_kpis(uow, period, settings, today=today)
    ranked = top_individuals(uow, period) if kpis.shown else []
    return Leaderboard(kpis, highlights(uow, period, settings.zone), ranked)


@dataclass(frozen=True)
class BuddyFeedbackSummary:
    """Ratings of ended buddy programmes given in a period; the average only from the minimum group of
    people on, and only once the period is over."""

    answers: int
    average: float | None
    # The period is still running: no average yet, whatever the count.
    running: bool = False


def buddy_feedback(uow: UnitOfWork, period: Period, zone: ZoneInfo, minimum: int, today: date) -> BuddyFeedbackSummary:
    """An average that changes with each new rating would give each rating away to whoever looks before
    and after it; so a period's average exists only after the period, when it can no longer change."""
    begin, until = period.utc_bounds(zone)
    answers, people, total = uow.session.execute(
        select(
            func.count(BuddyRating.id),
            func.count(func.distinct(BuddyRating.member_id)),
            func.coalesce(func.sum(BuddyRating.rating), 0),
        ).where(BuddyRating.team_id == uow.team_id, BuddyRating.created_at >= begin, BuddyRating.created_at < until)
    ).one()
    if today <= period.end:
        return BuddyFeedbackSummary(answers, None, running=True)
    return BuddyFeedbackSummary(answers, total / answers if people >= minimum else None)


@dataclass(frozen=True)
class MonthFigures:
    """Everything the monthly report and the CSV export show for one month."""

    current: WorkspaceKpis
    previous: WorkspaceKpis
    maturity: dict[str, dict[int, int]]
    series: list[WeekPoint]
    buddy_feedback: BuddyFeedbackSummary


def month_figures(uow: UnitOfWork, month: Period, settings: KpiSettings, today: date) -> MonthFigures:
    people = People(uow)

    def kpis_for(period: Period) -> WorkspaceKpis:
        return workspace_kpis(uow, period, settings, today=today, people=people)

    current = kpis_for(month)
    return MonthFigures(
        current=current,
        previous=kpis_for(month.previous()),
        maturity=maturity_distribution(uow, month, settings.zone, settings.min_group_size),
        series=(
            weekly_series(
                uow, last_series_week(month, today), settings.zone, today, settings.min_group_size, people=people
            )
            if current.shown
            else []
        ),
        buddy_feedback=buddy_feedback(uow, month, settings.zone, settings.min_group_size, today),
    )
