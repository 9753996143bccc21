"""One term per thing: German says "Anwendungsfall", English "use case"; a quarter is written "Q4 2026"."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.i18n import LANGUAGES, Translator
from bot.render.kpis import period_label
from bot.render.rituals import retro_invite, retro_results_message
from bot.services import kpis, rituals
from bot.services.rituals import RetroOutcome
from tests.blockkit import text_of
from tests.i18n.test_catalogs import _catalog


def prose(text: object) -> str:
    """What people read as words: the text without `code` (commands such as `usecase`); `example.*` keys are
    commands too."""
    forms = text if isinstance(text, tuple) else (str(text),)
    return " ".join(re.sub(r"`[^`]*`", "", form) for form in forms)


def test_german_says_anwendungsfall_never_use_case() -> None:
    offending = {
        key: text
        for key, text in _catalog("de").items()
        if not key.startswith("example.") and re.search(r"use[ -]?cases?", prose(text), re.I)
    }
    assert not offending


def test_english_says_use_case_in_one_spelling() -> None:
    offending = {
        key: text
        for key, text in _catalog("en").items()
        if not key.startswith("example.") and re.search(r"use-cases?|usecases?|Use Cases?|Anwendungsf", prose(text))
    }
    assert not offending


@pytest.mark.parametrize("language", LANGUAGES)
def test_quarters_are_written_one_way(language: str) -> None:
    for key, text in _catalog(language).items():
        assert not re.search(r"\d{4}-Q|[JY]{4}-Q", prose(text) + str(text)), f"{language} {key}: write Q4 2026"
    tr = Translator(language)
    assert period_label(tr, kpis.quarter_of(date(2026, 11, 26))) == "Q4 2026"
    assert "Q4 2026" in retro_invite(tr, "2026-Q4").text
    pending = RetroOutcome("2026-Q4", 2, date(2027, 1, 1), closed=False)
    assert retro_results_message(tr, pending, 5).text == "Retro Q4 2026"
    assert "2026-Q4" not in text_of(retro_results_message(tr, pending, 5).blocks)


@pytest.mark.parametrize("typed", ["Q4 2026", "q4/2026", "2026-Q4", "2026 q4"])
def test_a_quarter_is_understood_as_it_is_written(typed: str) -> None:
    assert rituals.parse_quarter(typed, date(2026, 11, 26)) == "2026-Q4"
