"""The talent matrix's words: the new roles an AI programme creates (PRODUCT §2.6, §2.9) and the strengths
people can name for themselves."""

from __future__ import annotations

from bot.domain.errors import UserError

ROLES = ("process_manager", "prompt_engineer", "trainer", "data_steward")
STRENGTHS = ("technical", "communication", "teaching", "processes", "data")
# What an admin may type to filter the matrix by a role, German and English.
ROLE_WORDS = {
    "prozessmanager": "process_manager",
    "processmanager": "process_manager",
    "prompt": "prompt_engineer",
    "promptengineer": "prompt_engineer",
    "trainer": "trainer",
    "datasteward": "data_steward",
    "data": "data_steward",
}


def role_named(word: str) -> str:
    role = ROLE_WORDS.get(word.strip().lower().replace("-", "").replace(" ", ""))
    if role is None:
        raise UserError("talent.error.role", word=word[:30], roles=", ".join(sorted(set(ROLE_WORDS))))
    return role


def known(chosen: list[str] | None, allowed: tuple[str, ...]) -> list[str]:
    """The chosen keys a form may send, in their order; anything else (a forged value) is left out."""
    return [key for key in allowed if key in (chosen or [])]
