"""Rules for use cases (Anwendungsfälle): statuses, names, estimates, learnings."""

from __future__ import annotations

from enum import StrEnum

from slugify import slugify

from bot.domain import fields
from bot.domain.errors import UserError
from bot.domain.privacy import check_no_personal_data
from bot.domain.usage import parse_duration

MAX_TITLE_LENGTH = 80
MAX_LEARNING_LENGTH = 200
MAX_MINUTES_PER_WEEK = 40 * 60
USE_CASE_EXAMPLE = "example.use_case"
_GERMAN_LETTERS = [["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"], ["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"]]


class Status(StrEnum):
    IDEA = "idea"
    PILOT = "pilot"
    ROLLED_OUT = "rolled_out"
    DISCARDED = "discarded"

    @classmethod
    def _missing_(cls, value: object) -> Status | None:
        # A status modal opened before the statuses were stored in English offers the German words.
        former = {"idee": cls.IDEA, "ausgerollt": cls.ROLLED_OUT, "verworfen": cls.DISCARDED}
        return former.get(value) if isinstance(value, str) else None


STATUS_WORDS = {
    "idee": Status.IDEA,
    "idea": Status.IDEA,
    "pilot": Status.PILOT,
    "ausgerollt": Status.ROLLED_OUT,
    "rolled-out": Status.ROLLED_OUT,
    "rolledout": Status.ROLLED_OUT,
    "live": Status.ROLLED_OUT,
    "verworfen": Status.DISCARDED,
    "discarded": Status.DISCARDED,
}

# The three starters an admin can load (PRODUCT §2.2): title, department, hours saved per week.
SEED_EXAMPLES = (
    ("Angebotserstellung", "Vertrieb", 6 * 60),
    ("Kundenkommunikation", "Kundenservice", 4 * 60),
    ("Dokumentation", None, 3 * 60),
)


def slug_for(title: str) -> str:
    return slugify(title, replacements=_GERMAN_LETTERS, max_length=40, word_boundary=True) or "anwendungsfall"


def title_key(title: str) -> str:
    """Titles are unique per workspace regardless of case and spacing."""
    return " ".join(title.casefold().split())


def check_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise UserError("usecase.error.title_missing", example=USE_CASE_EXAMPLE, field=fields.TITLE)
    if len(cleaned) > MAX_TITLE_LENGTH:
        raise UserError(
            "usecase.error.title_too_long", example=USE_CASE_EXAMPLE, field=fields.TITLE, max=MAX_TITLE_LENGTH
        )
    check_no_personal_data(cleaned, field=fields.TITLE)
    return cleaned


def parse_status(word: str) -> Status:
    status = STATUS_WORDS.get(word.strip().lower())
    if status is None:
        raise UserError("usecase.error.unknown_status", example="example.use_case_status", word=word[:30])
    return status


def check_learning(status: Status, learning: str | None) -> str | None:
    """A discarded use case needs its one-line learning: failed experiments teach the others."""
    text = " ".join((learning or "").split())
    if status is Status.DISCARDED and not text:
        raise UserError("usecase.error.learning_missing", example="example.use_case_status", field=fields.LEARNING)
    if len(text) > MAX_LEARNING_LENGTH:
        raise UserError("usecase.error.learning_too_long", field=fields.LEARNING, max=MAX_LEARNING_LENGTH)
    check_no_personal_data(text, field=fields.LEARNING)
    return text or None


def parse_weekly_estimate(text: str) -> int:
    """`6h`, `90`, `1,5h` per week → minutes; at most a full working week."""
    return parse_duration(
        text, max_minutes=MAX_MINUTES_PER_WEEK, example=USE_CASE_EXAMPLE, too_long="usecase.error.estimate_too_high"
    )
