"""Every message key used in code exists in both catalogs, with the same placeholders."""

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.domain.usage import LOG_EXAMPLE
from bot.i18n import LANGUAGES, LOCALES_DIR, Translator
from tests.conftest import REPO_ROOT

SOURCE_DIRS = ["bot", "handlers", "jobs", "config"]
KEY = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def _catalog(language: str) -> dict[str, object]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {
            message.id if isinstance(message.id, str) else message.id[0]: message.string
            for message in read_po(po, abort_invalid=True)
            if message.id
        }


def _keys_in_code() -> set[str]:
    """String literals that look like message keys in calls of t/tn, UserError and `example=`."""
    keys: set[str] = set()
    for directory in SOURCE_DIRS:
        for path in Path(REPO_ROOT, directory).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.match(node.value):
                    keys.add(node.value)
    return keys


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_code_keys_exist_in_every_catalog() -> None:
    used = {key for key in _keys_in_code() if key.split(".")[0] in {k.split(".")[0] for k in _catalog("de")}}
    assert LOG_EXAMPLE in used
    for language in LANGUAGES:
        missing = used - set(_catalog(language))
        assert not missing, f"{language} catalog lacks {sorted(missing)}"


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    german, english = _catalog("de"), _catalog("en")
    assert set(german) == set(english)
    for key, text in german.items():
        forms_de = text if isinstance(text, tuple) else (text,)
        forms_en = english[key] if isinstance(english[key], tuple) else (english[key],)
        assert all(forms_de) and all(forms_en), f"{key} has an empty translation"
        assert {p for f in forms_de for p in _placeholders(f)} == {p for f in forms_en for p in _placeholders(f)}, key


@pytest.mark.parametrize(
    ("language", "minutes", "text"),
    [
        ("de", 1, "1 Minute"),
        ("de", 45, "45 Minuten"),
        ("de", 60, "1 Stunde"),
        ("de", 135, "2 Stunden 15 Minuten"),
        ("de", 61, "1 Stunde 1 Minute"),
        ("de", 100 * 60 + 30, "100 Stunden"),
        ("de", 1234 * 60, "1.234 Stunden"),
        ("en", 1, "1 minute"),
        ("en", 45, "45 minutes"),
        ("en", 1234 * 60, "1,234 hours"),
    ],
)
def test_durations_with_plural_forms_and_locale_numbers(language: str, minutes: int, text: str) -> None:
    assert Translator(language).duration(minutes) == text


def test_dates_follow_the_locale() -> None:
    from datetime import date

    assert Translator("de").date(date(2026, 11, 27)) == "27.11.2026"
    assert Translator("en").date(date(2026, 11, 27)) == "Nov 27, 2026"


def test_keys_built_at_run_time_exist() -> None:
    """Message keys composed from values (statuses, kinds of personal data) are in both catalogs."""
    from bot.domain.buddies import Answer, Role
    from bot.domain.use_cases import Status

    for language in LANGUAGES:
        catalog = _catalog(language)
        for status in Status:
            assert f"usecase.status.{status.value}" in catalog
        for kind in ("email", "phone", "iban"):
            assert f"privacy.error.{kind}" in catalog
        for answer in Answer:
            assert f"buddy.answer.{answer.value}" in catalog
        for role in Role:
            assert f"buddy.role.{role.value}" in catalog
