"""The text after `/ki`: which subcommand, in German or English, and its arguments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

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


def words_for(**actions: tuple[str, ...]) -> dict[str, str]:
    """`new=("neu", "new")` → `{"neu": "new", "new": "new"}`: each word a member can type, German or English,
    and the action it asks for; the actions keep the order given (help lists them so)."""
    return {word: action for action, words in actions.items() for word in words}


# Second words of subcommands, German and English.
USE_CASE_ACTIONS = words_for(
    new=("neu", "new", "add", "anlegen"),
    status=("status",),
    pilot=("pilot", "pilotkarte"),
    adopt=("nutze", "adopt", "nutzen"),
    list=("liste", "list"),
)
LOG_ACTIONS = words_for(
    list=("liste", "list"),
)
PATH_ACTIONS = words_for(
    done=("erledigt", "done", "fertig"),
    reopen=("offen", "reopen", "undone"),
    track=("track", "wählen", "waehlen", "choose"),
)
PROFILE_ACTIONS = words_for(
    department=("bereich", "department"),
    talents=("talente", "talents", "talent"),
)
ADMIN_ACTIONS = words_for(
    department=("bereich", "department"),
    examples=("beispiele", "examples"),
    run=("run", "starte"),
    schedule=("schedule", "zeitplan"),
    buddy=("buddy", "warteliste"),
    report=("report", "bericht"),
    export=("export",),
    office_hours=("sprechstunde", "officehours"),
    monthly_update=("update",),
    retro=("retro",),
    privacy=("datenschutz", "privacy", "betriebsrat"),
    coach=("coach",),
    settings=("einstellungen", "settings", "setup"),
    programme=("programm", "programme", "roadmap"),
    talents=("talente", "talents", "talentmatrix"),
    help=("hilfe", "help"),
)
PROGRAMME_ACTIONS = words_for(
    start=("start", "starten"),
    inventory=("bestandsaufnahme", "inventory", "umfrage"),
    done=("erledigt", "done", "abhaken"),
    reopen=("offen", "open", "reopen"),
)
BUDDY_ACTIONS = words_for(
    mentee=("mentee", "suchen", "finden"),
    mentor=("mentor", "pate"),
    pause=("pause",),
    resume=("weiter", "resume"),
    leave=("austreten", "leave"),
    note=("notiz", "note"),
)
TOP_ACTIONS = words_for(
    week=("woche", "week"),
    month=("monat", "month"),
    quarter=("quartal", "quarter"),
    optin=("optin", "opt-in"),
    optout=("optout", "opt-out"),
)

DATA_ACTIONS = words_for(
    export=("export", "exportieren"),
    delete=("löschen", "loeschen", "delete"),
)

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
