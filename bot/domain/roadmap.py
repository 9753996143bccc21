"""The company's 90-day roadmap (PRODUCT §2.9): three phases of thirty days, each with its checklist. Some
points the bot ticks itself from what it already knows (self-checks, mentors, pilots, learnings); the others
an admin ticks by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from bot.domain import fields
from bot.domain.errors import UserError

DAYS = 90
PHASE_DAYS = 30


class Phase(IntEnum):
    ASSESSMENT = 1  # Tage 1–30: Assessment und Strategie
    PILOTS = 2  # Tage 31–60: Pilotprojekte
    SCALING = 3  # Tage 61–90: Skalierung vorbereiten

    @property
    def first_day(self) -> int:
        return (self - 1) * PHASE_DAYS + 1

    @property
    def last_day(self) -> int:
        return self * PHASE_DAYS


@dataclass(frozen=True)
class Item:
    """A point of a phase's checklist. `automatic`: the bot knows whether it is done (see
    bot/services/programme.py); else an admin ticks it."""

    key: str
    phase: Phase
    automatic: bool = False


CHECKLIST = (
    Item("inventory", Phase.ASSESSMENT, automatic=True),
    Item("selfcheck", Phase.ASSESSMENT, automatic=True),
    Item("champions", Phase.ASSESSMENT, automatic=True),
    Item("interviews", Phase.ASSESSMENT),
    Item("vision", Phase.ASSESSMENT),
    Item("pilots", Phase.PILOTS, automatic=True),
    Item("pilot_teams", Phase.PILOTS, automatic=True),
    Item("learnings", Phase.SCALING, automatic=True),
    Item("roles", Phase.SCALING),
    Item("governance", Phase.SCALING),
    Item("competence", Phase.SCALING),
)
ITEMS = {item.key: item for item in CHECKLIST}
# When an automatic point counts as done: half of the people answered the Bestandsaufnahme and half took the
# self-check; two mentors stand ready;
# two pilots have a card with goal, metric and deadline (the method asks for two or three), and every pilot's
# team has someone from outside its owner's department; every pilot that ended left a learning.
SELF_CHECK_SHARE = 0.5
CHAMPIONS = 2
PILOTS = (2, 3)


def day_of(starts_on: date, today: date) -> int:
    """Day 1 is the start; before it the days count up to 0 (a programme set to start next Monday)."""
    return (today - starts_on).days + 1


def phase_of(day: int) -> Phase | None:
    """The phase of day `day`; None before day 1 and after day 90."""
    if day < 1 or day > DAYS:
        return None
    return Phase((day - 1) // PHASE_DAYS + 1)


_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_start(text: str, today: date) -> date:
    """`TT.MM.JJJJ` (or nothing: today); at most 90 days back or ahead, so that a typo does not start a
    programme that is already over or a year away."""
    text = text.strip()
    if not text:
        return today
    match = _DATE.fullmatch(text)
    try:
        day = date(int(match[3]), int(match[2]), int(match[1])) if match else date.fromisoformat(text)
    except ValueError:
        raise UserError("programme.error.date", example="example.programme_start") from None
    if abs((day - today).days) > DAYS:
        raise UserError("programme.error.date_range", example="example.programme_start", days=DAYS)
    return day


def item_named(word: str) -> Item:
    item = ITEMS.get(word.strip().lower())
    if item is None or item.automatic:
        raise UserError(
            "programme.error.item",
            word=word[:30],
            items=", ".join(i.key for i in CHECKLIST if not i.automatic),
        )
    return item


# The Bestandsaufnahme's closed questions: how much time a week one would invest, and whether one could be a
# champion or mentor.
INVESTMENT = ("lt1", "1to2", "2to4", "gt4")
CHAMPION_ANSWERS = ("yes", "maybe", "no")
POTENTIAL_LIMIT = 500


def check_inventory(hours: str | None, champion: str | None) -> tuple[str, str]:
    if hours not in INVESTMENT:
        raise UserError("inventory.error.required", field=fields.INVENTORY_HOURS)
    if champion not in CHAMPION_ANSWERS:
        raise UserError("inventory.error.required", field=fields.INVENTORY_CHAMPION)
    return hours, champion
