"""Modal titles and their buttons fit Slack's 24 characters, and are never cut inside a word."""

from __future__ import annotations

import ast
from functools import partial

import pytest

from bot.i18n import LANGUAGES, Translator
from bot.render.blocks import MAX_MODAL_TITLE, modal, shorten
from tests.i18n.test_catalogs import _called_name, _catalog, _literal_first_argument, _trees

# Where a modal's title is built: `modal(callback_id, title, …, submit=…, close=…)` and `info_modal(tr, title, …)`.
TITLE_ARGUMENT = {"modal": 1, "info_modal": 1}


def modal_title_keys() -> set[str]:
    keys: set[str] = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _called_name(node)
            if name not in TITLE_ARGUMENT:
                continue
            arguments = node.args[TITLE_ARGUMENT[name] : TITLE_ARGUMENT[name] + 1]
            arguments += [keyword.value for keyword in node.keywords if keyword.arg in ("title", "submit", "close")]
            # `tr.t("key")` → "key"
            keys |= {key for key in map(partial(_literal_first_argument, function="t"), arguments) if key}
    return keys


def cut_at_a_word_boundary(original: str, shown: str) -> bool:
    if shown == original:
        return True
    kept = shown.removesuffix("…")
    return shown.endswith("…") and original.startswith(kept) and original[len(kept)] in " ,;:–-"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_modal_title_fits_or_is_shortened_at_a_word_boundary(language: str) -> None:
    keys = modal_title_keys()
    assert {"logmodal.title", "ritual.summary_title", "path.modal_title", "modal.cancel", "modal.close"} <= keys
    catalog = _catalog(language)
    for key in keys:
        text = str(catalog[key])
        shown = shorten(text)
        assert len(shown) <= MAX_MODAL_TITLE and cut_at_a_word_boundary(text, shown), (language, key, shown)
        assert len(text) <= MAX_MODAL_TITLE, f"{language} {key} is shortened; a title that fits reads better"


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("KI-Update: Zusammenfassung", "KI-Update…"),
        ("Anwendungsfall von Vertrieb", "Anwendungsfall von…"),
        ("Qualitätssicherungsabteilung", "Qualitätssicherungsabte…"),
        ("Genau vierundzwanzig abc", "Genau vierundzwanzig abc"),
    ],
)
def test_a_title_built_from_data_is_shortened_at_a_word_boundary(title: str, shown: str) -> None:
    view = modal("cb", title, [], submit=title, close=title)
    assert view["title"]["text"] == view["submit"]["text"] == view["close"]["text"] == shown
    assert len(shown) <= MAX_MODAL_TITLE


def test_info_modal_titles_use_the_same_rule() -> None:
    from bot.render.log_form import info_modal

    view = info_modal(Translator("de"), "Retro Q4 2026: Ergebnisse und Antworten", [])
    assert view["title"]["text"] == "Retro Q4 2026…"
