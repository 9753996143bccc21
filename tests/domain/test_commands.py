import pytest

from bot.domain.commands import Subcommand, parse_ki_text, parse_language
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
