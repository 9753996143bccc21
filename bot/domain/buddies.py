"""Rules of the buddy programme that need no database: pauses, check-in answers and when a pair is asked
next."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.calendar import at_local, is_holiday
from bot.domain.errors import UserError

MAX_PAUSE_WEEKS = 26
_SPAN = re.compile(r"(?P<n>\d{1,3})\s*(?P<unit>w|wo|woche|wochen|week|weeks|t|d|tag|tage|day|days)", re.IGNORECASE)
_UNTIL = re.compile(r"(?:bis|until)\s+(?P<date>\S+)", re.IGNORECASE)
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


class Answer(StrEnum):
    """A pair's answer to the weekly check-in."""

    YES = "yes"
    NOT_THIS_WEEK = "no"
    PAUSE = "pause"

    @classmethod
    def _missing_(cls, value: object) -> Answer | None:
        # Check-in buttons sent before the answers were stored in English carry the German words.
        return {"ja": cls.YES, "nein": cls.NOT_THIS_WEEK}.get(value) if isinstance(value, str) else None


class Role(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"


class PairKind(StrEnum):
    MENTOR = "mentor"  # a mentor and a mentee
    PEER = "peer"  # two or three learning partners who wait for a mentor


class PairStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class FeedbackChoice(StrEnum):
    """What one person chose at the end of a programme."""

    EXTEND = "extend"
    END = "end"


class DecisionState(StrEnum):
    """Where the end-of-programme decision of a pair stands."""

    OPEN = "open"
    EXTENDED = "extended"
    ENDED = "ended"


def parse_pause(text: str, today: date) -> date:
    """`2w`, `3 Tage`, `bis 24.12.2026`, `until 2026-12-24` → the last paused day."""
    text = text.strip()
    span = _SPAN.fullmatch(text)
    until = _UNTIL.fullmatch(text)
    if span:
        n = int(span["n"])
        days = n * 7 if span["unit"].lower().startswith("w") else n
        last = today + timedelta(days=days - 1)
    elif until:
        raw = until["date"]
        german = _GERMAN_DATE.fullmatch(raw)
        try:
            last = date(int(german[3]), int(german[2]), int(german[1])) if german else date.fromisoformat(raw)
        except ValueError:
            raise UserError("buddy.error.pause_format", example="example.buddy_pause") from None
    else:
        raise UserError("buddy.error.pause_format", example="example.buddy_pause")
    if last < today:
        raise UserError("buddy.error.pause_past", example="example.buddy_pause")
    if last > today + timedelta(weeks=MAX_PAUSE_WEEKS):
        raise UserError("buddy.error.pause_too_long", example="example.buddy_pause", weeks=MAX_PAUSE_WEEKS)
    return last


def parse_capacity(text: str) -> int:
    if not text.strip():
        return 2
    if not text.strip().isdigit() or not 1 <= int(text) <= 5:
        raise UserError("buddy.error.capacity", example="example.buddy_mentor")
    return int(text)


def is_paused(paused_until: date | None, today: date) -> bool:
    """A pause includes its last day: paused "bis 24.12." means no check-in and no matching on the 24th;
    from the 25th on the person is back."""
    return paused_until is not None and paused_until >= today


def next_checkin(
    now: datetime,
    zone: ZoneInfo,
    weekday: int,
    at: time,
    holiday_state: str,
    paused_until: Iterable[date | None],
    ends_on: date,
) -> datetime | None:
    """When a pair is asked next: the first check-in day (`weekday`, 0 is Monday) at `at` in `zone` after
    `now` that is no public holiday, in none of the pauses and before the programme ends; None if that is
    more than eight weeks away."""
    pauses = tuple(paused_until)
    local = now.astimezone(zone)
    for days in range(0, 7 * 8):
        day = local.date() + timedelta(days=days)
        candidate = at_local(day, at, zone)
        if (
            day.weekday() == weekday
            and candidate > local
            and not is_holiday(day, holiday_state)
            and not any(is_paused(until, day) for until in pauses)
            and day < ends_on
        ):
            return candidate
    return None
