"""The text after `/ki`: which subcommand, in German or English, and its arguments."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import UserError


class Subcommand(StrEnum):
    HELP = "help"
    LOG = "log"
    STATS = "stats"
    LANGUAGE = "language"


ALIASES: dict[str, Subcommand] = {
    "help": Subcommand.HELP,
    "hilfe": Subcommand.HELP,
    "?": Subcommand.HELP,
    "log": Subcommand.LOG,
    "erfassen": Subcommand.LOG,
    "eintragen": Subcommand.LOG,
    "stats": Subcommand.STATS,
    "statistik": Subcommand.STATS,
    "bilanz": Subcommand.STATS,
    "language": Subcommand.LANGUAGE,
    "sprache": Subcommand.LANGUAGE,
}


@dataclass(frozen=True)
class KiCommand:
    subcommand: Subcommand
    args: str


def parse_ki_text(text: str | None) -> KiCommand:
    """Split `/ki` text into subcommand and arguments; no text means help."""
    stripped = (text or "").strip()
    if not stripped:
        return KiCommand(Subcommand.HELP, "")
    word, _, rest = stripped.partition(" ")
    subcommand = ALIASES.get(word.lower())
    if subcommand is None:
        raise UserError("error.unknown_subcommand", example="example.help", word=word[:40])
    return KiCommand(subcommand, rest.strip())


def parse_language(args: str, supported: tuple[str, ...]) -> str:
    choice = args.strip().lower()
    aliases = {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}
    choice = aliases.get(choice, choice)
    if choice not in supported:
        raise UserError("language.error.unknown", example="example.language", choices=", ".join(supported))
    return choice
