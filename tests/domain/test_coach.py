"""The prompt coach's rules: what may leave, and how the model's answer is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.domain.catalog_files import CatalogError
from bot.domain.coach import (
    MAX_IMPROVEMENTS,
    MAX_PROMPT_LENGTH,
    MalformedAdvice,
    Technique,
    chat_messages,
    check_may_leave,
    first_mention,
    load_blocked_terms,
    names_of,
    parse_advice,
    parse_prompt,
)
from bot.domain.errors import UserError


def refusal(prompt: str, terms: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> str:
    with pytest.raises(UserError) as refused:
        check_may_leave(prompt, terms, names)
    return refused.value.key


def test_a_prompt_is_taken_as_typed_within_its_bounds() -> None:
    assert parse_prompt("  Schreib eine Absage\x00 ") == "Schreib eine Absage"
    with pytest.raises(UserError) as empty:
        parse_prompt("   ")
    assert empty.value.key == "coach.error.empty"
    with pytest.raises(UserError) as long:
        parse_prompt("x" * (MAX_PROMPT_LENGTH + 1))
    assert long.value.key == "coach.error.too_long"
    assert parse_prompt("x" * MAX_PROMPT_LENGTH) == "x" * MAX_PROMPT_LENGTH


@pytest.mark.parametrize(
    ("prompt", "key"),
    [
        ("Antworte an max.mustermann@kunde.de wegen der Lieferung", "privacy.error.email"),
        ("Ruf zurück unter 0171 2345678", "privacy.error.phone"),
        ("Überweisung auf DE89 3704 0044 0532 0130 00 prüfen", "privacy.error.iban"),
        ("Fasse zusammen, was <@U0ANNA> gesagt hat", "coach.error.mention"),
        ("Angebot für ACME Logistik schreiben", "coach.error.blocked_term"),
        ("Schreib Frau Schmidt eine Antwort", "coach.error.colleague_name"),
    ],
)
def test_what_must_not_leave_is_refused(prompt: str, key: str) -> None:
    assert refusal(prompt, terms=("ACME Logistik",), names=("Anna Schmidt", "Schmidt")) == key


def test_words_count_whole_and_in_any_case() -> None:
    assert first_mention("Projekt PHOENIX startet", ["Phoenix"]) == "Phoenix"
    assert first_mention("Phoenixstraße 3", ["Phoenix"]) is None
    assert first_mention("Hallo @anna.schmidt", ["anna.schmidt"]) == "anna.schmidt"
    # Too short to be told from an ordinary word.
    assert first_mention("es ist so", ["es"]) is None
    check_may_leave("Schreib eine freundliche Absage an einen Bewerber", ("ACME",), ("Anna Schmidt", "Schmidt"))


def test_a_colleagues_name_is_full_display_and_family_name_not_first_name_alone() -> None:
    assert names_of("Anna Schmidt", "anna.s") == {"Anna Schmidt", "anna.s", "Schmidt"}
    assert names_of("Li", "") == set()
    assert names_of(None, "Mark") == {"Mark"}


def test_the_request_names_the_language_and_carries_the_prompt_unchanged() -> None:
    messages = chat_messages("Mein Prompt", "en")
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "in English" in messages[0]["content"] and messages[1]["content"] == "Mein Prompt"
    assert "in German" in chat_messages("x", "de")[0]["content"]


def answer(**fields: object) -> str:
    data = {
        "good": "Klar formuliert.",
        "improvements": [{"technique": "role", "text": "Gib eine Rolle vor."}],
        "improved_prompt": "Du bist Vertriebsprofi. …",
    }
    data.update(fields)
    return json.dumps(data)


def test_the_answer_is_read_from_a_fenced_or_surrounded_json_object() -> None:
    advice = parse_advice("Gern!\n```json\n" + answer() + "\n```\nViel Erfolg")
    assert advice.good == "Klar formuliert."
    assert [(i.technique, i.text) for i in advice.improvements] == [(Technique.ROLE, "Gib eine Rolle vor.")]
    assert advice.improved_prompt.startswith("Du bist")


def test_unknown_techniques_are_left_out_and_at_most_three_kept() -> None:
    items = [
        {"technique": t, "text": f"Tipp {n}"}
        for n, t in enumerate(["Step by step", "magic", "format", "examples", "role"])
    ]
    advice = parse_advice(answer(improvements=items))
    assert [i.technique for i in advice.improvements] == [Technique.STEPS, Technique.FORMAT, Technique.EXAMPLES]
    assert len(advice.improvements) == MAX_IMPROVEMENTS


@pytest.mark.parametrize(
    "content",
    ["Hier ist dein Prompt: …", "{nicht json}", answer(good=""), answer(improved_prompt=None), "[1, 2]"],
)
def test_an_answer_not_in_the_agreed_shape_is_malformed(content: str) -> None:
    with pytest.raises(MalformedAdvice):
        parse_advice(content)


def test_company_terms_come_from_a_catalog_file(tmp_path: Path) -> None:
    shipped = load_blocked_terms()
    assert shipped == ()
    own = tmp_path / "coach_terms.yaml"
    own.write_text("terms:\n  - ACME Logistik\n  - '  Projekt   Phoenix '\n", encoding="utf-8")
    assert load_blocked_terms(own) == ("ACME Logistik", "Projekt Phoenix")
    own.write_text("terms:\n  - ab\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"terms\[0\]"):
        load_blocked_terms(own)
