"""The text after `/ki`: which subcommand, in German or English, and its arguments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

import yaml

from bot.domain import fields
from bot.domain.errors import UserError


class Subcommand(StrEnum):
    HELP = "help"
    LOG = "log"
    STATS = "stats"
    LANGUAGE = "language"
    USE_CASE = "usecase"
    TIP = "tip"
    CHECK = "check"
    PATH = "path"
    PROFILE = "profile"
    ADMIN = "admin"
    BUDDY = "buddy"
    TOP = "top"
    DATA = "data"
    PROMPT = "prompt"


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
    "usecase": Subcommand.USE_CASE,
    "usecases": Subcommand.USE_CASE,
    "anwendungsfall": Subcommand.USE_CASE,
    "anwendungsfälle": Subcommand.USE_CASE,
    "tip": Subcommand.TIP,
    "tipp": Subcommand.TIP,
    "check": Subcommand.CHECK,
    "selbstcheck": Subcommand.CHECK,
    "reifegrad": Subcommand.CHECK,
    "path": Subcommand.PATH,
    "lernpfad": Subcommand.PATH,
    "profil": Subcommand.PROFILE,
    "profile": Subcommand.PROFILE,
    "admin": Subcommand.ADMIN,
    "buddy": Subcommand.BUDDY,
    "pate": Subcommand.BUDDY,
    "mentoring": Subcommand.BUDDY,
    "top": Subcommand.TOP,
    "rangliste": Subcommand.TOP,
    "daten": Subcommand.DATA,
    "data": Subcommand.DATA,
    "privacy": Subcommand.DATA,
    "prompt": Subcommand.PROMPT,
    "coach": Subcommand.PROMPT,
    "promptcoach": Subcommand.PROMPT,
}


COMMAND_WORDS = Path(__file__).with_name("command_words.yaml")


def load_command_words(path: Path = COMMAND_WORDS) -> dict[str, dict[str, str]]:
    """command_words.yaml, each group as `{word: action}` (`new: [neu, new]` → `{"neu": "new", "new": "new"}`):
    each word a member can type, German or English, and the action it asks for; the actions keep the file's
    order (help lists them so). A word that is no lower-case text, or stands twice in a group, is refused at
    start."""
    groups: dict[str, dict[str, str]] = {}
    for group, actions in yaml.safe_load(path.read_text(encoding="utf-8")).items():
        words = [(str(word), action) for action, listed in actions.items() for word in listed]
        for word, action in words:
            if not word or word != word.lower() or not isinstance(action, str):
                raise ValueError(f"{path.name}: {group}.{action}: {word!r} is not a lower-case word")
        groups[group] = dict(words)
        if len(groups[group]) != len(words):
            raise ValueError(f"{path.name}: {group} lists a word twice")
    return groups


# Second words of subcommands, German and English.
_WORDS = load_command_words()
USE_CASE_ACTIONS = _WORDS["use_case"]
LOG_ACTIONS = _WORDS["log"]
PATH_ACTIONS = _WORDS["path"]
PROFILE_ACTIONS = _WORDS["profile"]
ADMIN_ACTIONS = _WORDS["admin"]
PROGRAMME_ACTIONS = _WORDS["programme"]
BUDDY_ACTIONS = _WORDS["buddy"]
TOP_ACTIONS = _WORDS["top"]
DATA_ACTIONS = _WORDS["data"]

# What a member can type, for help: every subcommand but `admin` has a line `help.<subcommand>` naming each
# of its actions (tests hold help to this, so a new subcommand or action cannot go undocumented).
MEMBER_SUBCOMMANDS = tuple(sub for sub in Subcommand if sub is not Subcommand.ADMIN)
MEMBER_ACTIONS: dict[Subcommand, dict[str, str]] = {
    Subcommand.USE_CASE: USE_CASE_ACTIONS,
    Subcommand.PATH: PATH_ACTIONS,
    Subcommand.PROFILE: PROFILE_ACTIONS,
    Subcommand.BUDDY: BUDDY_ACTIONS,
    Subcommand.TOP: TOP_ACTIONS,
    Subcommand.DATA: DATA_ACTIONS,
}


def distinct_actions(actions: dict[str, str]) -> list[str]:
    """The actions behind the words, each once, in the order they were declared."""
    return list(dict.fromkeys(actions.values()))


def split_action(args: str, actions: dict[str, str]) -> tuple[str | None, str]:
    """`status #angebot pilot` → ("status", "#angebot pilot"); an unknown first word → (None, args)."""
    word, _, rest = args.strip().partition(" ")
    action = actions.get(word.lower())
    return (action, rest.strip()) if action else (None, args.strip())


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


def parse_month(text: str, today: date) -> date:
    """`2026-11` → 1 November 2026; nothing → the previous (complete) month; never the future."""
    text = text.strip()
    if not text:
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise UserError("report.error.month", example="example.report")
    first = date(int(match[1]), int(match[2]), 1)
    if first > today:
        raise UserError("report.error.month", example="example.report")
    return first


def check_erasure_word(text: str | None) -> None:
    """Erasure is confirmed by typing `löschen` (or `delete`): one of the words that ask for it."""
    if DATA_ACTIONS.get((text or "").strip().lower()) != "delete":
        raise UserError("privacy.error.confirm", field=fields.DATA_CONFIRM)
