"""The prompt coach in the console workspace, as a real process against the loopback chat-completions fake, in
German and in English; and without a model, the explanation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console.test_console import run_console
from tests.fake_chat_model import FakeChatModel

SCRIPT = """\
/ki hilfe
/ki prompt Schreib eine Antwort auf eine Reklamation wegen verspäteter Lieferung
3
3
2
Für Reklamationen: Du bist eine erfahrene Kundenberaterin.
2
/ki prompt Schreib an max@firma.de
/ki admin coach
"""


def in_order(out: str, expected: list[str]) -> None:
    position = 0
    for text in expected:
        found = out.find(text, position)
        assert found >= 0, f"{text!r} missing after position {position}:\n{out}"
        position = found + len(text)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "de-DE",
            [
                "Der Coach schaut sich deinen Prompt an",
                "[Nachricht ersetzt]",
                "Was schon gut ist",
                "1. Rolle:",
                "Verbesserter Prompt zum Kopieren",
                "[2] Als Tipp teilen",
                "[3] Hat geholfen",
                "ohne deinen Namen gezählt",
                "schon bewertet",
                "[Dialog: Tipp teilen]",
                "[in #ki-community]",
                "Ein anonymer Tipp",
                "Für Reklamationen",
                "Dein Tipp steht jetzt in #ki-community",
                "Bitte keine E-Mail-Adressen",
                "Prompt-Coach",
                "Der Prompt-Coach ist eingeschaltet",
                "weniger als 5 Personen",
            ],
        ),
        (
            "en-US",
            [
                "The coach is looking at your prompt",
                "[message replaced]",
                "What is already good",
                "1. Role:",
                "2. Step by step:",
                "Improved prompt to copy",
                "[2] Share as a tip",
                "counted without your name",
                "already rated",
                "[Modal: Share a tip]",
                "Your tip is now in #ki-community",
                "Please do not enter e-mail addresses",
                "The prompt coach is on",
            ],
        ),
    ],
)
def test_the_whole_coach_flow_in_the_console(
    tmp_path: Path, chat_model: FakeChatModel, locale: str, expected: list[str]
) -> None:
    out = run_console(tmp_path, SCRIPT, "--locale", locale, COACH_API_URL=chat_model.url, COACH_MODEL="local-fake")
    in_order(out, expected)
    assert len(chat_model.requests) == 1  # the prompt with an e-mail address never left
    assert ("in English" in chat_model.requests[0]["messages"][0]["content"]) is (locale == "en-US")
    assert "Traceback" not in out


def test_without_a_model_the_console_explains_the_coach_is_off(tmp_path: Path) -> None:
    out = run_console(tmp_path, "/ki prompt Schreib eine Absage\n/ki admin coach\n")
    in_order(out, ["noch nicht eingeschaltet", "Der Prompt-Coach ist ausgeschaltet"])
