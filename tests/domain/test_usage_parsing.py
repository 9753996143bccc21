from datetime import date

import pytest

from bot.domain.errors import UserError
from bot.domain.tools import load_tool_catalog
from bot.domain.usage import (
    MAX_MINUTES_PER_DAY,
    check_day_total,
    check_used_on,
    parse_duration,
    parse_log_text,
)
from bot.render.log_form import duration_input

TOOLS = load_tool_catalog()


@pytest.mark.parametrize(
    ("token", "minutes"),
    [
        ("45", 45),
        ("45m", 45),
        ("45min", 45),
        ("45MIN", 45),
        ("45minuten", 45),
        ("1h", 60),
        ("1,5h", 90),
        ("1.5h", 90),
        ("1,25h", 75),
        ("1h30", 90),
        ("1h30m", 90),
        ("1h05", 65),
        ("1:30", 90),
        ("0:45", 45),
        ("2std", 120),
        ("8h", 480),
        ("480", 480),
        ("7:59", 479),
    ],
)
def test_accepted_durations(token: str, minutes: int) -> None:
    assert parse_duration(token) == minutes


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ("abc", "log.error.not_a_duration"),
        ("Angebot", "log.error.not_a_duration"),
        ("1h60", "log.error.not_a_duration"),
        ("1:75", "log.error.not_a_duration"),
        ("1:5", "log.error.not_a_duration"),
        ("45x", "log.error.not_a_duration"),
        ("0", "log.error.zero"),
        ("0h", "log.error.zero"),
        ("0:00", "log.error.zero"),
        ("-5", "log.error.negative"),
        ("-1h", "log.error.negative"),
        ("481", "log.error.entry_too_long"),
        ("9h", "log.error.entry_too_long"),
        ("8:01", "log.error.entry_too_long"),
        ("1,5", "log.error.fraction_needs_unit"),
    ],
)
def test_rejected_durations(token: str, key: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_duration(token)
    assert raised.value.key == key
    assert raised.value.example == "example.log"


def test_log_text_detects_tool_use_case_and_keeps_note() -> None:
    entry = parse_log_text("45 Angebot für Kunde X mit ChatGPT #Angebot", TOOLS)
    assert entry.minutes == 45
    assert entry.tool == "chatgpt"
    assert entry.use_case_slug == "angebot"
    assert entry.note == "Angebot für Kunde X mit ChatGPT #Angebot"


def test_unit_may_stand_apart_from_number() -> None:
    assert parse_log_text("45 min Protokoll", TOOLS).minutes == 45
    assert parse_log_text("1,5 h Übersetzung mit deepl", TOOLS).minutes == 90
    assert parse_log_text("1,5 h Übersetzung mit deepl", TOOLS).tool == "deepl"


def test_first_mentioned_tool_wins_and_words_must_match_whole() -> None:
    assert parse_log_text("30 erst Claude, dann ChatGPT", TOOLS).tool == "claude"
    assert parse_log_text("30 Le Chat von Mistral", TOOLS).tool == "mistral"
    assert parse_log_text("30 Notion AI Zusammenfassung", TOOLS).tool == "notion_ai"
    assert parse_log_text("30 gptzero ist kein Tool hier", TOOLS).tool is None


def test_log_text_without_tool_or_use_case() -> None:
    entry = parse_log_text("20", TOOLS)
    assert (entry.minutes, entry.tool, entry.use_case_slug, entry.note) == (20, None, None, "")


def test_missing_duration() -> None:
    with pytest.raises(UserError) as raised:
        parse_log_text("   ", TOOLS)
    assert raised.value.key == "log.error.missing_duration"


def test_text_first_is_not_a_duration() -> None:
    with pytest.raises(UserError) as raised:
        parse_log_text("Angebot 45", TOOLS)
    assert raised.value.key == "log.error.not_a_duration"
    assert raised.value.params["word"] == "Angebot"


def test_note_length_limit() -> None:
    assert parse_log_text("10 " + "x" * 280, TOOLS).note == "x" * 280
    with pytest.raises(UserError) as raised:
        parse_log_text("10 " + "x" * 281, TOOLS)
    assert raised.value.key == "log.error.note_too_long"


def test_day_total_limit() -> None:
    check_day_total(MAX_MINUTES_PER_DAY - 60, 60)
    with pytest.raises(UserError) as raised:
        check_day_total(MAX_MINUTES_PER_DAY - 60, 61)
    assert raised.value.params["remaining_minutes"] == 60
    assert raised.value.params["logged_minutes"] == MAX_MINUTES_PER_DAY - 60


def test_used_on_window() -> None:
    today = date(2026, 11, 26)
    check_used_on(today, today)
    check_used_on(date(2026, 11, 12), today)
    with pytest.raises(UserError, match="future"):
        check_used_on(date(2026, 11, 27), today)
    with pytest.raises(UserError, match="too_old"):
        check_used_on(date(2026, 11, 11), today)


@pytest.mark.parametrize(
    ("text", "minutes", "note"),
    [
        ("1h 30 Angebot mit ChatGPT", 90, "Angebot mit ChatGPT"),
        ("1h 30min Angebot", 90, "Angebot"),
        ("1h 30 min Angebot", 90, "Angebot"),
        ("1 h 30 Angebot", 90, "Angebot"),
        ("2std 5 Protokoll", 125, "Protokoll"),
        ("1h30 Angebot", 90, "Angebot"),
        ("1:30 Angebot", 90, "Angebot"),
        ("45 Angebot", 45, "Angebot"),
        ("45m Angebot", 45, "Angebot"),
        ("45min Angebot", 45, "Angebot"),
        ("1h Angebot", 60, "Angebot"),
        ("1,5h 30 Mails", 90, "30 Mails"),
        ("1.5h Angebot", 90, "Angebot"),
        ("1h 75 Mails", 60, "75 Mails"),
        ("45 30 Mails", 45, "30 Mails"),
    ],
)
def test_hours_followed_by_minutes_are_one_duration(text: str, minutes: int, note: str) -> None:
    entry = parse_log_text(text, TOOLS)
    assert (entry.minutes, entry.note) == (minutes, note)


@pytest.mark.parametrize(("minutes", "shown"), [(45, "45"), (60, "1h"), (90, "1h30"), (125, "2h05"), (480, "8h")])
def test_a_changed_entry_shows_its_minutes_as_typed_and_reads_them_back(minutes: int, shown: str) -> None:
    assert duration_input(minutes) == shown
    assert parse_duration(shown) == minutes


@pytest.mark.parametrize(
    "token",
    ["9" * 29, "9" * 29 + "h", "1" * 40 + ",5h", "9" * 5000, "9" * 5000 + "h30", "9" * 29 + ":30"],
)
def test_a_number_of_any_length_is_too_long_not_an_error(token: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_duration(token)
    assert raised.value.key == "log.error.entry_too_long"
