"""The calendar every schedule stands on: weeks, months and quarters, public holidays of a German state
(Bundesland, from the `holidays` package), weekdays, and local times of day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

MONDAY = 0
SATURDAY = 5
QUARTER_HOUR_MINUTES = 15


@cache
def _state_holidays(state: str, year: int) -> holidays.HolidayBase:
    return holidays.Germany(subdiv=state, years=year)


def is_holiday(day: date, state: str) -> bool:
    return day in _state_holidays(state, day.year)


def next_non_holiday(day: date, state: str, step: timedelta = timedelta(days=1)) -> date:
    """`day`, or the first day `step`s later that is no public holiday."""
    while is_holiday(day, state):
        day += step
    return day


def first_workday(month_start: date, state: str) -> date:
    """The month's first day that is neither a weekend nor a public holiday."""
    day = month_start
    while day.weekday() >= SATURDAY or is_holiday(day, state):
        day += timedelta(days=1)
    return day


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def next_weekday(day: date, weekday: int) -> date:
    """The first day on or after `day` that falls on `weekday` (0 is Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def first_weekday_of_month(year: int, month: int, weekday: int) -> date:
    return next_weekday(date(year, month, 1), weekday)


def next_month_start(day: date) -> date:
    """The first day of the month after `day`'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def quarter_number(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def quarter_hour(moment: datetime) -> datetime:
    """The start of the quarter of an hour `moment` falls in."""
    return moment.replace(minute=moment.minute - moment.minute % QUARTER_HOUR_MINUTES, second=0, microsecond=0)


def at_local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at the wall-clock time `at` in `zone`."""
    return datetime.combine(day, at, tzinfo=zone)


def reached(local: datetime, weekday: int, at: time) -> bool:
    """Whether the local moment is on `weekday` at or after `at`: something due that day at that time is
    due from then until the day ends."""
    return local.weekday() == weekday and local.time() >= at
