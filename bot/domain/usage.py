"""Rules for a usage entry: how a duration is written, what is plausible, what a note may contain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from bot.domain import fields
from bot.domain.errors import UserError
from bot.domain.privacy import check_no_personal_data
from bot.domain.tools import ToolCatalog

MAX_MINUTES_PER_ENTRY = 8 * 60
MAX_MINUTES_PER_DAY = 16 * 60
MAX_NOTE_LENGTH = 280
MAX_DAYS_BACK = 14
LOG_EXAMPLE = "example.log"

_MINUTE_UNITS = r"(?:m|min|mins|minute|minuten|minutes)"
_HOUR_UNITS = r"(?:h|std|stunde|stunden|hour|hours)"
_NUMBER = r"(?P<number>[+-]?\d+(?:[.,]\d+)?)"
_PATTERNS = (
    re.compile(rf"{_NUMBER}\s*(?P<unit>{_MINUTE_UNITS}|{_HOUR_UNITS})?", re.IGNORECASE),
    re.compile(rf"(?P<hours>\d+)h(?P<minutes>\d{{1,2}}){_MINUTE_UNITS}?", re.IGNORECASE),
    re.compile(r"(?P<hours>\d+):(?P<minutes>\d{2})"),
)
_UNIT_WORD = re.compile(rf"{_MINUTE_UNITS}|{_HOUR_UNITS}", re.IGNORECASE)
_WHOLE_HOURS = re.compile(rf"(?P<hours>\d+){_HOUR_UNITS}", re.IGNORECASE)
_MINUTES_OF_HOUR = re.compile(rf"(?P<minutes>[0-5]?\d){_MINUTE_UNITS}?", re.IGNORECASE)
# A use case is referenced as `#angebot`; it starts with a letter, so `Ticket #123` is no reference.
_USE_CASE_TAG = re.compile(r"(?<![\w&])#(?P<slug>[^\W\d_][\w-]{1,39})")


@dataclass(frozen=True)
class UsageEntry:
    """What a member wants to log, checked for form but not yet against their other logs."""

    minutes: int
    tool: str | None
    use_case_slug: str | None
    note: str


def parse_duration(
    token: str,
    max_minutes: int = MAX_MINUTES_PER_ENTRY,
    example: str = LOG_EXAMPLE,
    too_long: str = "log.error.entry_too_long",
) -> int:
    """Minutes in `45`, `45m`, `45min`, `1h`, `1,5h`, `1.5h`, `1h30`, `1:30`; raises UserError otherwise."""
    token = token.strip()
    checked = partial(_checked, max_minutes=max_minutes, example=example, too_long=too_long)
    for pattern in _PATTERNS:
        match = pattern.fullmatch(token)
        if match is None:
            continue
        if "hours" in match.groupdict():
            minutes_part = int(match["minutes"])
            if minutes_part >= 60:
                raise UserError("log.error.not_a_duration", example=example, word=token)
            return checked(Decimal(match["hours"]) * 60 + minutes_part)
        number = Decimal(match["number"].replace(",", "."))
        unit = (match["unit"] or "").lower()
        if unit and re.fullmatch(_HOUR_UNITS, unit, re.IGNORECASE):
            return checked(number * 60)
        if number != number.to_integral_value():
            raise UserError("log.error.fraction_needs_unit", example=example, word=token)
        return checked(number)
    raise UserError("log.error.not_a_duration", example=example, word=token)


def _checked(minutes: Decimal, max_minutes: int, example: str, too_long: str) -> int:
    if minutes < 0:
        raise UserError("log.error.negative", example=example)
    # Compared before rounding: a number of any length is "too long", never an arithmetic error.
    if minutes > max_minutes:
        raise UserError(too_long, example=example, max_hours=max_minutes // 60)
    whole = int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if whole == 0:
        raise UserError("log.error.zero", example=example)
    if whole > max_minutes:
        raise UserError(too_long, example=example, max_hours=max_minutes // 60)
    return whole


def parse_log_text(text: str, tools: ToolCatalog) -> UsageEntry:
    """`45 Angebot mit ChatGPT #angebot` → 45 minutes, tool chatgpt, use case `angebot`, the text as note.

    A unit may also stand apart from the number (`45 min`, `1,5 h`), and whole hours may be followed by
    the minutes (`1h 30`, `1 h 30 min`).
    """
    words = text.split()
    if not words:
        raise UserError("log.error.missing_duration", example=LOG_EXAMPLE)
    token, rest = _duration_words(words)
    minutes = parse_duration(token)
    note = " ".join(rest)
    check_note(note)
    tool = tools.detect(note)
    tag = _USE_CASE_TAG.search(note)
    return UsageEntry(
        minutes=minutes,
        tool=tool.key if tool else None,
        use_case_slug=tag["slug"].lower() if tag else None,
        note=note,
    )


def _duration_words(words: list[str]) -> tuple[str, list[str]]:
    """The words that make up the leading duration, joined into one token, and the words after it."""
    token, rest = words[0], words[1:]
    if rest and _UNIT_WORD.fullmatch(rest[0]) and re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", token):
        token, rest = token + rest[0], rest[1:]
    hours = _WHOLE_HOURS.fullmatch(token)
    if hours and rest and (minutes := _MINUTES_OF_HOUR.fullmatch(rest[0])):
        token, rest = f"{hours['hours']}h{int(minutes['minutes']):02d}", rest[1:]
        if rest and re.fullmatch(_MINUTE_UNITS, rest[0], re.IGNORECASE):
            rest = rest[1:]
    return token, rest


def check_note(note: str) -> None:
    if len(note) > MAX_NOTE_LENGTH:
        raise UserError(
            "log.error.note_too_long", example=LOG_EXAMPLE, field=fields.NOTE, max=MAX_NOTE_LENGTH, length=len(note)
        )
    check_no_personal_data(note, field=fields.NOTE)


def check_day_total(already_logged: int, new_minutes: int) -> None:
    """More than 16 hours saved in one day is not plausible; say how much is still possible."""
    if already_logged + new_minutes > MAX_MINUTES_PER_DAY:
        raise UserError(
            "log.error.day_too_long",
            example=LOG_EXAMPLE,
            max_hours=MAX_MINUTES_PER_DAY // 60,
            logged_minutes=already_logged,
            remaining_minutes=max(MAX_MINUTES_PER_DAY - already_logged, 0),
        )


def check_used_on(used_on: date, today: date) -> None:
    """Time can be logged for today and up to two weeks back, never for the future."""
    if used_on > today:
        raise UserError("log.error.future_date", example=LOG_EXAMPLE, field=fields.DATE)
    if used_on < today - timedelta(days=MAX_DAYS_BACK):
        raise UserError("log.error.too_old", example=LOG_EXAMPLE, field=fields.DATE, days=MAX_DAYS_BACK)
