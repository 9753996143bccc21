"""What a button or menu option carries back to its listener (its `value`): written where it is drawn
(bot/render) and read by its listener (handlers/) with the two functions of each format here, so that a format
lives in one place. A value that does not read as its format reads as row 0, which finds nothing and is
refused as unknown: values come back from Slack and can be forged."""

from __future__ import annotations

from datetime import date

from bot.domain.buddies import Answer, FeedbackChoice

# A talent row's menu option that takes the role away.
NO_ROLE = "-"


def row_id(text: object) -> int:
    """A row id from a value or a form's metadata. Anything else (words, other digits, a number beyond any id)
    becomes 0."""
    value = str(text or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else 0


def checkin_value(pair_id: int, week: date, answer: Answer) -> str:
    return f"{pair_id}:{week.isoformat()}:{answer}"


def read_checkin_value(value: str) -> tuple[int, date, Answer] | None:
    """(pair, week, answer), or None for anything else."""
    try:
        pair_id, week, answer = value.split(":")
        return row_id(pair_id), date.fromisoformat(week), Answer(answer)
    except ValueError:
        return None


def feedback_value(pair_id: int, choice: FeedbackChoice) -> str:
    return f"{pair_id}:{choice}"


def read_feedback_value(value: str) -> tuple[int, FeedbackChoice | None]:
    pair_id, _, choice = value.partition(":")
    return row_id(pair_id), FeedbackChoice(choice) if choice in set(FeedbackChoice) else None


def talent_value(member_id: int, role: str | None) -> str:
    return f"{member_id}:{role or NO_ROLE}"


def read_talent_value(value: str) -> tuple[int, str | None]:
    """(member, role); None: take the role away."""
    member_id, _, role = value.partition(":")
    return row_id(member_id), None if role == NO_ROLE else role


def use_case_value(verb: str, use_case_id: int) -> str:
    """`status:<id>` opens the status form, `adopt:<id>` adopts."""
    return f"{verb}:{use_case_id}"


def read_use_case_value(value: str) -> tuple[str, int]:
    verb, _, use_case_id = value.partition(":")
    return verb, row_id(use_case_id)
