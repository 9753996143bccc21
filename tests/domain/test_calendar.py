from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import (
    MONDAY,
    at_local,
    first_weekday_of_month,
    first_workday,
    next_month_start,
    next_non_holiday,
    next_weekday,
    quarter_hour,
    quarter_number,
    quarter_start,
    reached,
    week_start,
)

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY = 3


def test_weeks_start_on_monday() -> None:
    assert week_start(date(2026, 12, 3)) == date(2026, 11, 30)
    assert week_start(date(2026, 11, 30)) == date(2026, 11, 30)


def test_weekdays_of_a_month() -> None:
    assert next_weekday(date(2026, 12, 3), THURSDAY) == date(2026, 12, 3)
    assert next_weekday(date(2026, 12, 4), THURSDAY) == date(2026, 12, 10)
    assert first_weekday_of_month(2026, 12, MONDAY) == date(2026, 12, 7)
    assert next_month_start(date(2026, 12, 17)) == date(2027, 1, 1)


def test_quarters() -> None:
    assert [quarter_number(date(2026, month, 1)) for month in (1, 3, 4, 12)] == [1, 1, 2, 4]
    assert quarter_start(2026, 4) == date(2026, 10, 1)
    assert quarter_hour(datetime(2026, 12, 3, 10, 44, 59, tzinfo=UTC)) == datetime(2026, 12, 3, 10, 30, tzinfo=UTC)


def test_holidays_move_to_the_next_day_or_week_without_one() -> None:
    assert next_non_holiday(date(2026, 12, 25), "BY") == date(2026, 12, 27)
    assert next_non_holiday(date(2026, 1, 1), "BY", step=timedelta(weeks=1)) == date(2026, 1, 8)
    assert next_non_holiday(date(2026, 12, 3), "BY") == date(2026, 12, 3)
    assert first_workday(date(2027, 1, 1), "BY") == date(2027, 1, 4)


def test_local_times_keep_the_wall_clock_across_dst() -> None:
    assert at_local(date(2026, 3, 30), time(10), BERLIN).astimezone(UTC).hour == 8
    assert at_local(date(2026, 3, 27), time(10), BERLIN).astimezone(UTC).hour == 9


def test_a_weekly_time_is_reached_from_its_moment_until_the_day_ends() -> None:
    thursday = date(2026, 12, 3)
    assert not reached(at_local(thursday, time(9, 59), BERLIN), THURSDAY, time(10))
    assert reached(at_local(thursday, time(10), BERLIN), THURSDAY, time(10))
    assert reached(at_local(thursday, time(23, 59), BERLIN), THURSDAY, time(10))
    assert not reached(at_local(thursday + timedelta(days=1), time(10), BERLIN), THURSDAY, time(10))
