from pathlib import Path

import pytest

from bot.domain.commands import (
    COMMAND_WORDS,
    USE_CASE_ACTIONS,
    Subcommand,
    load_command_words,
    parse_ki_text,
    parse_language,
    split_action,
)
from bot.domain.errors import UserError


@pytest.mark.parametrize("text", ["", None, "   ", "help", "hilfe", "HILFE"])
def test_no_text_or_help_in_either_language_is_help(text: str | None) -> None:
    parsed = parse_ki_text(text)
    assert parsed.subcommand == Subcommand.HELP
    assert parsed.args == ""


@pytest.mark.parametrize(
    ("text", "subcommand", "args"),
    [
        ("log 45 Angebot mit ChatGPT", Subcommand.LOG, "45 Angebot mit ChatGPT"),
        ("erfassen 1h30 Protokoll", Subcommand.LOG, "1h30 Protokoll"),
        ("Log   45", Subcommand.LOG, "45"),
        ("log", Subcommand.LOG, ""),
        ("stats", Subcommand.STATS, ""),
        ("statistik", Subcommand.STATS, ""),
        ("sprache en", Subcommand.LANGUAGE, "en"),
        ("language de", Subcommand.LANGUAGE, "de"),
    ],
)
def test_subcommands_in_german_and_english(text: str | None, subcommand: Subcommand, args: str) -> None:
    parsed = parse_ki_text(text)
    assert parsed.subcommand == subcommand
    assert parsed.args == args


def test_unknown_subcommand_names_the_word() -> None:
    with pytest.raises(UserError) as raised:
        parse_ki_text("tanzen bitte")
    assert raised.value.key == "error.unknown_subcommand"
    assert raised.value.params["word"] == "tanzen"
    assert raised.value.example == "example.help"


@pytest.mark.parametrize(("text", "language"), [("de", "de"), ("EN", "en"), ("english", "en"), ("Deutsch", "de")])
def test_language_choice(text: str, language: str) -> None:
    assert parse_language(text, ("de", "en")) == language


@pytest.mark.parametrize("text", ["", "fr", "klingonisch"])
def test_unknown_language(text: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_language(text, ("de", "en"))
    assert raised.value.key == "language.error.unknown"


def test_command_words_come_from_their_file_in_its_order() -> None:
    assert list(dict.fromkeys(USE_CASE_ACTIONS.values())) == ["new", "status", "pilot", "adopt", "list"]
    assert split_action("Anlegen Angebote prüfen", USE_CASE_ACTIONS) == ("new", "Angebote prüfen")
    assert load_command_words()["use_case"] == USE_CASE_ACTIONS


@pytest.mark.parametrize(
    ("words", "refusal"),
    [
        ("log:\n  list: [liste, list, liste]\n", "log lists a word twice"),
        ("log:\n  list: [Liste]\n", "log.list: 'Liste' is not a lower-case word"),
        ("log:\n  on: [an]\n", "log.True: 'an' is not a lower-case word"),
    ],
)
def test_a_broken_command_word_file_is_refused_at_start(tmp_path: Path, words: str, refusal: str) -> None:
    path = tmp_path / COMMAND_WORDS.name
    path.write_text(words, encoding="utf-8")
    with pytest.raises(ValueError, match=refusal):
        load_command_words(path)
