"""Help names everything a member (and an admin) can type: derived from the command tables, so a new
subcommand or action without help text fails here."""

from __future__ import annotations

import re

import pytest

from bot.domain.commands import (
    ADMIN_ACTIONS,
    ALIASES,
    MEMBER_ACTIONS,
    MEMBER_SUBCOMMANDS,
    Subcommand,
    distinct_actions,
)
from bot.i18n import LANGUAGES, Translator
from bot.render.replies import admin_help_message, help_message
from tests.blockkit import text_of

COMMAND = "/ki"


def typed_words(text: str) -> set[str]:
    """The words inside `code` spans: what help tells people to type."""
    return {word.lower() for span in re.findall(r"`([^`]*)`", text) for word in re.findall(r"[\w-]+", span)}


def words_for(actions: dict[str, str], action: str) -> set[str]:
    return {word for word, meaning in actions.items() if meaning == action}


def subcommand_line(tr: Translator, sub: Subcommand) -> str:
    return tr.t(f"help.{sub.value}", command=COMMAND, channel="ki-community")


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_names_every_member_subcommand_and_action(language: str) -> None:
    tr = Translator(language)
    shown = text_of(help_message(tr, COMMAND, "#ki-community").blocks)
    for sub in MEMBER_SUBCOMMANDS:
        line = subcommand_line(tr, sub)
        assert line in shown, f"help lacks the line for {sub.value}"
        spellings = {word for word, meaning in ALIASES.items() if meaning is sub}
        assert spellings & typed_words(line), f"help.{sub.value} does not show how to type {sub.value}"
        for action in distinct_actions(MEMBER_ACTIONS.get(sub, {})):
            assert words_for(MEMBER_ACTIONS[sub], action) & typed_words(line), (
                f"help.{sub.value} ({language}) does not name the action {action!r}"
            )
    assert "admin" not in typed_words(shown), "members see no admin commands"


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_help_names_every_admin_action(language: str) -> None:
    tr = Translator(language)
    shown = text_of(admin_help_message(tr, COMMAND).blocks)
    for action in distinct_actions(ADMIN_ACTIONS):
        line = tr.t(f"help.admin.{action}", command=COMMAND)
        assert line in shown
        assert "admin" in typed_words(line)
        assert words_for(ADMIN_ACTIONS, action) & typed_words(line), f"help.admin.{action} does not name {action!r}"


def test_admins_are_pointed_to_their_help() -> None:
    tr = Translator("de")
    assert "/ki admin hilfe" in text_of(help_message(tr, COMMAND, "#c", is_admin=True).blocks)
    assert "/ki admin hilfe" not in text_of(help_message(tr, COMMAND, "#c").blocks)
