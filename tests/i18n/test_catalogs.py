"""Every message key used in code exists in both catalogs, with the same placeholders."""

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.domain.usage import LOG_EXAMPLE
from bot.i18n import LANGUAGES, LOCALES_DIR, MissingMessage, Translator
from tests.conftest import REPO_ROOT

SOURCE_DIRS = ["bot", "handlers", "jobs", "config"]
KEY = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
# Calls whose first argument is a message key.
MESSAGE_CALLS = {"t", "tn", "UserError"}


def _catalog(language: str) -> dict[str, object]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {
            message.id if isinstance(message.id, str) else message.id[0]: message.string
            for message in read_po(po, abort_invalid=True)
            if message.id
        }


def _trees() -> Iterator[ast.AST]:
    for directory in SOURCE_DIRS:
        for path in sorted(Path(REPO_ROOT, directory).rglob("*.py")):
            yield ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _called_name(node: ast.Call) -> str | None:
    """`f` for a call `f(…)` or `x.f(…)`."""
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)


def _literal_first_argument(node: ast.AST, function: str) -> str | None:
    """ "text" for a call `function("text", …)` or `x.function("text", …)`; None for any other node."""
    if isinstance(node, ast.Call) and _called_name(node) == function and node.args:
        first = node.args[0]
        return str(first.value) if isinstance(first, ast.Constant) else None
    return None


def _message_arguments(node: ast.Call) -> list[ast.expr]:
    """The arguments of a call that are message keys: the first of `t`, `tn` and `UserError`, and `example=`."""
    arguments = [node.args[0]] if _called_name(node) in MESSAGE_CALLS and node.args else []
    return arguments + [keyword.value for keyword in node.keywords if keyword.arg == "example"]


def _keys_in_calls() -> tuple[set[str], set[str]]:
    """Literal keys passed to the message calls, and the families of keys built there with f-strings
    (`f"usecase.status.{status}"` is the family `usecase.status.`)."""
    literal: set[str] = set()
    families: set[str] = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for argument in _message_arguments(node):
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    literal.add(argument.value)
                elif isinstance(argument, ast.JoinedStr):
                    first = argument.values[0]
                    families.add(first.value if isinstance(first, ast.Constant) else "")
    return literal, families


def _key_like_constants() -> set[str]:
    """Other string literals shaped like message keys (e.g. `key = "buddy.joined_mentor" if …`)."""
    return {
        node.value
        for tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.match(node.value)
    }


def _dynamic_families() -> dict[str, set[str]]:
    """Every family of keys the code builds at run time, with all the values it can take."""
    from bot.domain.buddies import Answer, Role
    from bot.domain.coach import Technique, Unavailable
    from bot.domain.commands import ADMIN_ACTIONS, MEMBER_SUBCOMMANDS, distinct_actions
    from bot.domain.roadmap import CHAMPION_ANSWERS, CHECKLIST, INVESTMENT, ITEMS, Phase
    from bot.domain.talent import ROLES, STRENGTHS
    from bot.domain.use_cases import Status
    from bot.render.programme import SUMMARY_ROWS
    from bot.render.setup import HINTED
    from bot.render.talent import CSV_COLUMNS
    from bot.services.workspace_settings import EDITABLE
    from jobs.runtime import Skip

    return {
        "usecase.status.": {status.value for status in Status},
        "privacy.error.": {"email", "phone", "iban"},
        "buddy.answer.": {answer.value for answer in Answer},
        "buddy.role.": {role.value for role in Role},
        "help.": {sub.value for sub in MEMBER_SUBCOMMANDS},
        "help.admin.": set(distinct_actions(ADMIN_ACTIONS)),
        "job.reason.": {skip.value for skip in Skip},
        "coach.technique.": {technique.value for technique in Technique},
        "setup.field.": set(EDITABLE),
        "programme.phase.": {str(phase.value) for phase in Phase},
        "programme.item.": set(ITEMS),
        "programme.count.": {item.key for item in CHECKLIST if item.automatic},
        "programme.summary.": set(SUMMARY_ROWS),
        "inventory.hours.": set(INVESTMENT),
        "talent.role.": set(ROLES),
        "talent.strength.": set(STRENGTHS),
        "talent.csv.": set(CSV_COLUMNS),
        "inventory.champion.": set(CHAMPION_ANSWERS),
        "setup.hint.": set(HINTED),
        # Why the model gave no answer, or `names`: Slack could not say who works in the workspace.
        "coach.unavailable.": {reason.value for reason in Unavailable} | {"names"},
    }


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_code_keys_exist_in_every_catalog() -> None:
    """Every key the code passes to a message call exists, whatever its prefix; so do key-shaped literals
    elsewhere whose prefix is one of the catalogs' (file names such as `departments.yaml` are not keys)."""
    literal, _ = _keys_in_calls()
    assert "admin.error.not_admin" in literal
    prefixes = {key.split(".")[0] for key in _catalog("de")}
    used = literal | {key for key in _key_like_constants() if key.split(".")[0] in prefixes}
    assert LOG_EXAMPLE in used
    for language in LANGUAGES:
        missing = used - set(_catalog(language))
        assert not missing, f"{language} catalog lacks {sorted(missing)}"


def test_keys_built_at_run_time_exist() -> None:
    """Each f-string key family in the code is known here with all its values, and each value is in both
    catalogs: a new family fails until it is listed."""
    _, families = _keys_in_calls()
    known = _dynamic_families()
    assert families <= set(known), f"unknown key families {sorted(families - set(known))}: list them here"
    for language in LANGUAGES:
        catalog = _catalog(language)
        for family in families:
            missing = {family + value for value in known[family]} - set(catalog)
            assert not missing, f"{language} catalog lacks {sorted(missing)}"


def test_a_missing_key_fails_in_tests_instead_of_showing_the_key() -> None:
    with pytest.raises(MissingMessage, match=r"no\.such_key"):
        Translator("de").t("no.such_key")
    with pytest.raises(MissingMessage):
        Translator("en").tn("no.such_plural", 2)
    assert Translator("de").tn("duration.minutes", 2) == "2 Minuten"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_writes_an_angle_bracket_that_slack_would_read_as_markup(language: str) -> None:
    """Slack reads `<…>` as a link or mention: a placeholder such as <Name> is written &lt;Name&gt;."""
    for key, text in _catalog(language).items():
        for form in text if isinstance(text, tuple) else (text,):
            stray = [m for m in re.findall(r"<[^>]*>", str(form)) if not m.startswith(("<@", "<#", "<!", "<http"))]
            assert not stray, f"{key}: {stray}"


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    german, english = _catalog("de"), _catalog("en")
    assert set(german) == set(english)
    for key, text in german.items():
        forms_de = text if isinstance(text, tuple) else (text,)
        forms_en = english[key] if isinstance(english[key], tuple) else (english[key],)
        assert all(forms_de) and all(forms_en), f"{key} has an empty translation"
        assert {p for f in forms_de for p in _placeholders(f)} == {p for f in forms_en for p in _placeholders(f)}, key


# Minutes and how each language writes them: plural forms, minutes dropped from 100 hours on, and the
# locale's thousands separator.
DURATIONS = {
    "de": {
        1: "1 Minute",
        45: "45 Minuten",
        60: "1 Stunde",
        135: "2 Stunden 15 Minuten",
        61: "1 Stunde 1 Minute",
        100 * 60 + 30: "100 Stunden",
        1234 * 60: "1.234 Stunden",
    },
    "en": {1: "1 minute", 45: "45 minutes", 1234 * 60: "1,234 hours"},
}


@pytest.mark.parametrize(
    ("language", "minutes", "text"),
    [(language, minutes, text) for language, written in DURATIONS.items() for minutes, text in written.items()],
)
def test_durations_with_plural_forms_and_locale_numbers(language: str, minutes: int, text: str) -> None:
    assert Translator(language).duration(minutes) == text


@pytest.mark.parametrize("language", LANGUAGES)
def test_small_whole_numbers_are_written_as_the_locale_writes_them(language: str) -> None:
    """The short way for 0–999 writes each one as the locale's own formatting does, and larger ones and
    fractions still go through the locale (grouping, decimal comma)."""
    from babel.numbers import format_decimal

    tr = Translator(language)
    locale = {"de": "de_DE", "en": "en_US"}[language]
    for value in [*range(0, 1001), -1, -999, 1234, 12345]:
        assert tr.number(value) == format_decimal(value, locale=locale), value
    assert tr.number(2.5) == {"de": "2,5", "en": "2.5"}[language]
    assert tr.number(1000) == {"de": "1.000", "en": "1,000"}[language]


def test_dates_follow_the_locale() -> None:
    from datetime import date

    assert Translator("de").date(date(2026, 11, 27)) == "27.11.2026"
    assert Translator("en").date(date(2026, 11, 27)) == "Nov 27, 2026"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_key_is_in_a_catalog_twice(language: str) -> None:
    """gettext keeps one of two entries with the same key without a word: the other text is silently lost."""
    path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    keys = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith('msgid "')]
    assert sorted({key for key in keys if keys.count(key) > 1}) == []
