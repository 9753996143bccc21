"""One mark per kind of message, in both catalogs: ✅ (`:white_check_mark:`) opens every confirmation, ⚠️
(`:warning:`) every refusal or warning — added by the renderer, so refusal texts carry no mark of their own."""

from __future__ import annotations

import ast
from functools import partial

import pytest

from bot.i18n import LANGUAGES
from bot.render.blocks import SUCCESS, WARNING
from tests.i18n.test_catalogs import _catalog, _literal_first_argument, _trees

CONFIRMATIONS = [
    "log.saved",
    "log.saved_without_tool",
    "language.set",
    "profile.saved",
    "profile.department_set",
    "usecase.created",
    "usecase.status_changed",
    "usecase.adopted",
    "tip.shared",
    "admin.department_added",
    "admin.examples_added",
    "admin.job_started",
    "buddy.joined_mentee",
    "buddy.joined_mentor",
    "buddy.paused",
    "buddy.resumed",
    "buddy.left",
    "buddy.note_saved",
    "buddy.feedback_extended",
    "buddy.feedback_ended",
    "top.opted_in",
    "top.opted_out",
    "report.posted",
    "report.export_sent",
    "ritual.rsvp_yes",
    "ritual.rsvp_no",
    "ritual.topic_set",
    "ritual.swapped",
    "ritual.summary_thanks",
    "retro.thanks",
]


def refusal_keys() -> set[str]:
    """The message keys of every `UserError(...)` in the code, and every `*.error.*` key of the catalogs."""
    keys = {key for key in _catalog("de") if ".error." in key or key.startswith("error.")}
    for tree in _trees():
        keys |= {key for key in map(partial(_literal_first_argument, function="UserError"), ast.walk(tree)) if key}
    return keys


def forms(text: object) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (str(text),)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_confirmation_starts_with_the_success_mark(language: str) -> None:
    catalog = _catalog(language)
    unmarked = [key for key in CONFIRMATIONS if not all(f.startswith(SUCCESS + " ") for f in forms(catalog[key]))]
    assert not unmarked, f"{language}: confirmations without {SUCCESS}: {unmarked}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusals_and_warnings_get_their_mark_from_the_renderer_only(language: str) -> None:
    catalog = _catalog(language)
    refusals = refusal_keys()
    assert {"admin.error.not_admin", "log.error.zero", "profile.error.department_missing"} <= refusals
    assert not refusals & set(CONFIRMATIONS)
    for key, text in catalog.items():
        for form in forms(text):
            assert WARNING not in form, f"{language} {key}: the renderer adds {WARNING}"
            assert SUCCESS not in form[1:], f"{language} {key}: {SUCCESS} only opens a confirmation"
            if key in refusals:
                assert not form.startswith(SUCCESS), f"{language} {key} is a refusal"
