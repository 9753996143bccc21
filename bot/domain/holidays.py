"""German public holidays of a state (Bundesland), from the `holidays` package."""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays


@cache
def _state_holidays(state: str, year: int) -> holidays.HolidayBase:
    return holidays.Germany(subdiv=state, years=year)


def is_holiday(day: date, state: str) -> bool:
    return day in _state_holidays(state, day.year)
