"""The per-member daily totals always equal the usage logs they sum, and every figure read from them equals the
same figure read from the logs themselves, through random sequences of logging, editing, deleting, moving
between departments, leaving Slack, erasure, retention and days passing (SQLite and PostgreSQL).

The reference figures come from the queries the KPIs ran over `usage_logs` before the totals existed, kept
here: the whole KPI service runs once as it is and once with those queries in place of its reads."""

from __future__ import annotations

import inspect
import itertools
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, func, select

from bot.db import Database, UnitOfWork
from bot.domain.errors import UserError
from bot.domain.usage import UsageEntry
from bot.models import Member, UsageDayTotal, UsageLog
from bot.services import kpis, privacy
from bot.services.kpis import People, Period, Ranked, WeekPoint, week_of
from bot.services.members import ensure_member
from bot.services.profile import move_to
from bot.services.usage import log_usage, remove_log, update_log, week_start

BERLIN = ZoneInfo("Europe/Berlin")
PEOPLE = ("U1", "U2", "U3", "U4", "U5", "U6")
DEPARTMENTS = ("Vertrieb", "IT", None)
START = date(2026, 8, 3)
# Small groups so that departments are shown, pooled and dropped on erasure within six people.
FIGURES = kpis.KpiSettings(BERLIN, 2, 45.0, 2000.0)
ERASURE_MINIMUM = 3
RETENTION_MONTHS = 1
TEAMS = itertools.count()

person = st.sampled_from(PEOPLE)
minutes = st.integers(1, 480)
days_back = st.integers(0, 14)
pick = st.integers(0, 50)
steps = st.one_of(
    st.tuples(st.just("log"), person, minutes, days_back),
    st.tuples(st.just("edit"), person, pick, minutes, days_back),
    st.tuples(st.just("delete"), person, pick),
    st.tuples(st.just("move"), person, st.sampled_from(DEPARTMENTS)),
    st.tuples(st.just("leave"), person),
    st.tuples(st.just("erase"), person),
    st.tuples(st.just("retention")),
    st.tuples(st.just("wait"), st.integers(1, 40)),
)


class Clock:
    """The day the steps happen on; the unit of work's clock stamps rows at 10:00 of it in Berlin."""

    def __init__(self) -> None:
        self.today = START

    def now(self) -> datetime:
        return datetime.combine(self.today, time(10), BERLIN).astimezone(UTC)


def entry(amount: int) -> UsageEntry:
    return UsageEntry(minutes=amount, tool="chatgpt", use_case_slug=None, note="Notiz")


def own_logs(uow: UnitOfWork, member: Member) -> list[int]:
    return list(uow.session.scalars(select(UsageLog.id).where(UsageLog.member_id == member.id).order_by(UsageLog.id)))


def apply(uow: UnitOfWork, clock: Clock, step: tuple[Any, ...]) -> None:
    kind, *args = step
    today, now = clock.today, clock.now()
    if kind == "wait":
        clock.today += timedelta(days=args[0])
        return
    if kind == "retention":
        privacy.apply_retention(uow, today, BERLIN, RETENTION_MONTHS, ERASURE_MINIMUM, now)
        return
    member = ensure_member(uow, args[0], "de")
    if kind == "log":
        log_usage(uow, member, entry(args[1]), today - timedelta(days=args[2]), today)
    elif kind in ("edit", "delete"):
        logs = own_logs(uow, member)
        if not logs:
            return
        log_id = logs[args[1] % len(logs)]
        if kind == "edit":
            update_log(uow, member, log_id, entry(args[2]), today - timedelta(days=args[3]), today)
        else:
            remove_log(uow, member, log_id, today)
    elif kind == "move":
        move_to(uow, member, args[1])
    elif kind == "leave":
        privacy.deactivate(uow, member.slack_user_id, now)
    elif kind == "erase":
        privacy.erase(uow, member, now, ERASURE_MINIMUM)


def totals(uow: UnitOfWork) -> set[tuple[Any, ...]]:
    return {
        tuple(row)
        for row in uow.session.execute(
            select(
                UsageDayTotal.team_id,
                UsageDayTotal.member_id,
                UsageDayTotal.used_on,
                UsageDayTotal.department,
                UsageDayTotal.week_start,
                UsageDayTotal.minutes,
                UsageDayTotal.entries,
            )
        )
    }


def summed_logs(uow: UnitOfWork) -> set[tuple[Any, ...]]:
    """The totals as they must be: the logs grouped by member, day and department, the Monday worked out here."""
    return {
        (team, member_id, day, department or kpis.NO_TEAM, week_start(day), int(total), int(count))
        for team, member_id, day, department, total, count in uow.session.execute(
            select(
                UsageLog.team_id,
                UsageLog.member_id,
                UsageLog.used_on,
                UsageLog.department,
                func.sum(UsageLog.minutes),
                func.count(UsageLog.id),
            ).group_by(UsageLog.team_id, UsageLog.member_id, UsageLog.used_on, UsageLog.department)
        )
    }


def _logged_in(uow: UnitOfWork, period: Period) -> Any:
    return and_(UsageLog.team_id == uow.team_id, UsageLog.used_on >= period.start, UsageLog.used_on <= period.end)


def usage_from_logs(uow: UnitOfWork, period: Period, people: People, begin: datetime, until: datetime) -> Any:
    members = people.during(begin, until)
    authors: dict[str, set[int]] = {}
    for department, member_id in uow.session.execute(
        select(UsageLog.department, UsageLog.member_id).where(_logged_in(uow, period)).distinct()
    ).all():
        key = department if department is not None else kpis.NO_TEAM
        authors.setdefault(key, set()).add(member_id)
        members.setdefault(key, set()).add(member_id)
    minutes = {
        department if department is not None else kpis.NO_TEAM: int(total)
        for department, total in uow.session.execute(
            select(UsageLog.department, func.sum(UsageLog.minutes))
            .where(_logged_in(uow, period))
            .group_by(UsageLog.department)
        ).all()
    }
    return kpis._PeriodUsage(members, authors, minutes)


# The reference below stands in for kpis.weekly_series, so it takes the same arguments, read by its signature.
SERIES_SIGNATURE = inspect.signature(kpis.weekly_series)


def series_from_logs(*args: Any, **kwargs: Any) -> list[WeekPoint]:
    call = SERIES_SIGNATURE.bind(*args, **kwargs)
    call.apply_defaults()
    uow, last_week, zone, today, minimum, weeks, people = (
        call.arguments[name] for name in ("uow", "last_week", "zone", "today", "minimum", "weeks", "people")
    )
    people = people or People(uow)
    points = []
    for back in range(weeks - 1, -1, -1):
        period = week_of(last_week.start - timedelta(weeks=back))
        begin, until = period.utc_bounds(zone)
        usage = usage_from_logs(uow, period, people, begin, until)
        members = len(usage.people)
        shown = members >= minimum
        points.append(
            WeekPoint(
                period.start,
                sum(usage.minutes.values()) / 60 if shown else None,
                usage.active / members if shown else None,
                current=period.end >= today,
            )
        )
    return points


def top_from_logs(uow: UnitOfWork, period: Period, limit: int = 5) -> list[Ranked]:
    """Summed here, entry by entry, rather than by the database: a reference that shares no query with the
    service it checks."""
    entries = uow.session.execute(
        select(Member.slack_user_id, UsageLog.minutes)
        .join(Member, Member.id == UsageLog.member_id)
        .where(_logged_in(uow, period), Member.ranking_opt_in.is_(True), Member.deactivated_at.is_(None))
    ).all()
    totals: Counter[str] = Counter()
    for user, minutes in entries:
        totals[user] += minutes
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [Ranked(user, minutes) for user, minutes in ranked]


@contextmanager
def figures_from_logs() -> Iterator[None]:
    with (
        patch.object(kpis, "_usage", usage_from_logs),
        patch.object(kpis, "weekly_series", series_from_logs),
        patch.object(kpis, "top_individuals", top_from_logs),
    ):
        yield


def every_figure(uow: UnitOfWork, today: date) -> list[Any]:
    """Month reports (with previous month and 12-week series) and leaderboards of every period the steps reached."""
    figures: list[Any] = []
    month = kpis.month_of(START)
    while month.start <= today:
        figures.append(kpis.month_figures(uow, month, FIGURES, today))
        month = kpis.month_of(month.end + timedelta(days=1))
    for period in (kpis.week_of(today), kpis.week_of(today - timedelta(days=7)), kpis.quarter_of(today)):
        figures.append(kpis.leaderboard(uow, period, FIGURES, today=today))
    figures.append(kpis.weekly_series(uow, kpis.week_of(today), BERLIN, today, FIGURES.min_group_size, weeks=30))
    return figures


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(steps, min_size=1, max_size=30))
def test_totals_follow_the_logs_and_figures_match_the_logs(database: Database, sequence: list[Any]) -> None:
    clock = Clock()
    team = f"TPROP{next(TEAMS)}"
    stepping = Database(database.engine, clock=clock.now)
    with stepping.unit_of_work(team) as uow:
        for user in PEOPLE:
            ensure_member(uow, user, "de").ranking_opt_in = user in ("U1", "U2", "U4")
    for step in sequence:
        try:
            with stepping.unit_of_work(team) as uow:
                apply(uow, clock, step)
        except UserError:
            pass  # refused (a day's limit, a date too old): nothing was written
        with stepping.unit_of_work(team) as uow:
            assert totals(uow) == summed_logs(uow), f"after {step}"
    with stepping.unit_of_work(team) as uow:
        from_totals = every_figure(uow, clock.today)
        with figures_from_logs():
            from_logs = every_figure(uow, clock.today)
    assert from_totals == from_logs
