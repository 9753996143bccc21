"""The /ki command through Bolt, with request bodies signed exactly as Slack signs them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.app import build_app
from bot.catalogs import load_catalogs
from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database
from bot.deps import Deps
from bot.domain.commands import Subcommand
from bot.i18n import Translator
from bot.models import Member, UsageLog
from bot.render.replies import failure_message
from bot.slack.profiles import ProfileDirectory
from tests.blockkit import assert_valid_message, text_of
from tests.conftest import make_settings, signed_headers, slash_command_body
from tests.slack_payloads import bolt_app, dispatch


@pytest.fixture
def bolt(database: Database, local_slack: LocalSlackApi) -> Iterator[tuple[App, Deps]]:
    local_slack.add_user(SlackUser("U0ANNA", "anna", locale="de-DE"))
    local_slack.add_user(SlackUser("U0JOHN", "john", locale="en-US", tz="America/New_York"))
    with bolt_app(database, local_slack) as app_and_deps:
        yield app_and_deps


def ki(app: App, text: str, user: str = "U0ANNA", team: str = "T0TEST") -> dict[str, Any]:
    body = slash_command_body(text, user=user, team=team)
    response = dispatch(app, body)
    assert response.status == 200, response.body
    answer = json.loads(response.body)
    assert answer["response_type"] == "ephemeral"
    assert_valid_message(answer)
    return answer


def stored(database: Database) -> list[tuple[str, int, str | None]]:
    with database.unit_of_work("T0TEST") as uow:
        rows = uow.session.execute(
            select(Member.slack_user_id, UsageLog.minutes, UsageLog.tool).join(Member).order_by(UsageLog.id)
        ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_log_answers_after_commit_and_names_what_was_stored(bolt: tuple[App, Deps], database: Database) -> None:
    app, _ = bolt
    assert "Angebotserstellung" in ki(app, "admin beispiele", user="UADMIN")["text"]
    answer = ki(app, "log 45 Angebot für Kunde X mit ChatGPT #angebot")
    text = text_of(answer["blocks"])
    assert "Gespeichert: *45 Minuten* mit *ChatGPT* am 26.11.2026" in text
    assert "Diese Woche bisher: *45 Minuten*" in text
    assert "Anwendungsfall: Angebotserstellung (`#angebotserstellung`)" in text
    assert stored(database) == [("U0ANNA", 45, "chatgpt")]


def test_week_total_adds_up(bolt: tuple[App, Deps]) -> None:
    app, _ = bolt
    ki(app, "log 45 mit ChatGPT")
    answer = ki(app, "erfassen 1h30 Protokoll mit Copilot")
    assert "Diese Woche bisher: *2 Stunden 15 Minuten*" in text_of(answer["blocks"])


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("log Angebot", "„Angebot“ ist keine Dauer"),
        ("log abc", "„abc“ ist keine Dauer"),
        ("log 0", "Null Minuten"),
        ("log -5 test", "muss positiv sein"),
        ("log 9h", "Höchstens 8 Stunden pro Eintrag"),
        ("log 481", "Höchstens 8 Stunden pro Eintrag"),
        ("log 1,5 Angebot", "keine ganze Minutenzahl"),
        ("tanzen", "„tanzen“ kenne ich nicht"),
        ("sprache fr", "Diese Sprache kenne ich nicht"),
    ],
)
def test_bad_input_gets_a_localized_message_with_example_and_stores_nothing(
    bolt: tuple[App, Deps], database: Database, text: str, fragment: str
) -> None:
    app, _ = bolt
    answer = ki(app, text)
    visible = text_of(answer["blocks"])
    assert fragment in visible
    assert "Beispiel: `/ki " in visible
    assert stored(database) == []


def test_more_than_16_hours_a_day_is_refused_with_what_is_left(bolt: tuple[App, Deps], database: Database) -> None:
    app, _ = bolt
    ki(app, "log 8h")
    ki(app, "log 7h")
    answer = ki(app, "log 90")
    visible = text_of(answer["blocks"])
    assert "Mehr als 16 Stunden an einem Tag" in visible
    assert "schon 15 Stunden erfasst; möglich sind noch 1 Stunde" in visible
    assert [m for _, m, _ in stored(database)] == [480, 420]


def test_language_follows_slack_locale_then_choice(bolt: tuple[App, Deps]) -> None:
    app, _ = bolt
    english = ki(app, "log 30 DeepL", user="U0JOHN")
    # John's Slack locale is en-US, his time zone New York: still 26 Nov at 04:00 there.
    assert "Saved: *30 minutes* with *DeepL* on Nov 26, 2026" in text_of(english["blocks"])
    switched = ki(app, "sprache de", user="U0JOHN")
    assert "ich spreche ab jetzt Deutsch" in text_of(switched["blocks"])
    assert "Deine KI-Bilanz" in text_of(ki(app, "statistik", user="U0JOHN")["blocks"])
    assert "I'll speak English" in text_of(ki(app, "language en", user="U0ANNA")["blocks"])
    assert "Your AI balance" in text_of(ki(app, "stats", user="U0ANNA")["blocks"])


def test_users_info_is_asked_once_and_cached(bolt: tuple[App, Deps], local_slack: LocalSlackApi) -> None:
    app, _ = bolt
    for _ in range(3):
        ki(app, "stats")
    calls = local_slack.calls_to("users.info")
    assert len(calls) == 1
    assert calls[0].params["include_locale"] in (True, "true", "1")


def test_unknown_slack_user_falls_back_to_workspace_default(bolt: tuple[App, Deps]) -> None:
    app, _ = bolt
    answer = ki(app, "hilfe", user="U0GHOST")  # users.info answers user_not_found
    assert "Was ich für dich tun kann" in answer["text"]


def test_help_lists_commands_with_the_configured_name(database: Database, local_slack: LocalSlackApi) -> None:
    settings = make_settings(slack_api_url=local_slack.url, slash_command="/lotse")
    app = build_app(Deps(settings=settings, database=database, catalogs=load_catalogs()))
    body = slash_command_body("", command="/lotse")
    answer = json.loads(app.dispatch(BoltRequest(body=body, headers=signed_headers(body))).body)
    assert_valid_message(answer)
    visible = text_of(answer["blocks"])
    assert "`/lotse log 45 Angebot mit ChatGPT`" in visible
    assert "`/lotse stats`" in visible


def test_stats_shows_numbers_only_to_the_person(bolt: tuple[App, Deps]) -> None:
    app, _ = bolt
    ki(app, "admin beispiele", user="UADMIN")
    ki(app, "log 60 ChatGPT #angebot")
    ki(app, "log 30 ChatGPT", user="U0JOHN")
    answer = ki(app, "stats")
    visible = text_of(answer["blocks"])
    assert "*Insgesamt*\n1 Stunde (1 Eintrag)" in visible
    assert "*Serie*\n1 Woche in Folge" in visible
    assert "ChatGPT (1 Stunde)" in visible
    assert "Angebotserstellung (1 Stunde)" in visible
    assert "*KI-Reifegrad:* noch kein Selbstcheck" in visible and "*Lernpfad:* noch keiner gewählt." in visible


def test_a_database_failure_is_a_friendly_message_not_a_traceback(
    bolt: tuple[App, Deps], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = bolt

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database is gone")

    monkeypatch.setattr("handlers.context.ensure_member", broken)
    answer = ki(app, "log 45 ChatGPT")
    assert "etwas schiefgelaufen, es wurde nichts gespeichert" in answer["text"]
    assert "Traceback" not in json.dumps(answer)


def test_a_slow_users_info_does_not_delay_the_answer(bolt: tuple[App, Deps], monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer leaves while users.info is still pending: ordered by events, not measured by a clock."""
    app, deps = bolt
    deps.profiles = ProfileDirectory(wait_seconds=0.2)
    original = deps.profiles._fetch
    release, fetched = threading.Event(), threading.Event()

    def pending_until_released(*args: Any) -> Any:
        release.wait(timeout=30)
        result = original(*args)
        fetched.set()
        return result

    monkeypatch.setattr(deps.profiles, "_fetch", pending_until_released)
    try:
        answer = ki(app, "log 10 ChatGPT")
        assert not fetched.is_set(), "the answer waited for users.info"
    finally:
        release.set()
    assert "Gespeichert" in answer["text"]
    assert fetched.wait(timeout=30), "users.info finished in the background and filled the cache"


def test_nothing_is_confirmed_when_the_commit_fails(bolt: tuple[App, Deps], database: Database) -> None:
    app, _ = bolt

    def refuse_commit(_session: Session) -> None:
        raise RuntimeError("disk full")

    event.listen(Session, "before_commit", refuse_commit)
    try:
        answer = ki(app, "log 45 ChatGPT")
    finally:
        event.remove(Session, "before_commit", refuse_commit)
    assert "Gespeichert" not in answer["text"]
    assert "es wurde nichts gespeichert" in answer["text"]
    assert stored(database) == []


def test_wrong_signature_is_refused(bolt: tuple[App, Deps], database: Database) -> None:
    app, _ = bolt
    body = slash_command_body("log 45")
    response = app.dispatch(BoltRequest(body=body, headers=signed_headers(body, secret="wrong")))
    assert response.status == 401
    assert stored(database) == []


def test_a_log_without_a_recognised_tool_says_so(bolt: tuple[App, Deps]) -> None:
    app, _ = bolt
    visible = text_of(ki(app, "log 20 Protokoll geschrieben")["blocks"])
    assert "Gespeichert: *20 Minuten* am 26.11.2026." in visible
    assert "Kein Tool erkannt" in visible


def test_hours_then_minutes_are_one_duration(bolt: tuple[App, Deps], database: Database) -> None:
    app, _ = bolt
    visible = text_of(ki(app, "log 1h 30 Angebot mit ChatGPT")["blocks"])
    assert "Gespeichert: *1 Stunde 30 Minuten* mit *ChatGPT*" in visible
    assert "Notiz: Angebot mit ChatGPT" in visible
    assert stored(database) == [("U0ANNA", 90, "chatgpt")]


@pytest.mark.parametrize("subcommand", list(Subcommand))
def test_every_subcommand_is_answered_without_a_failure(bolt: tuple[App, Deps], subcommand: Subcommand) -> None:
    """Each subcommand alone is either answered by its own function or by `run_subcommand`: a new one that
    is in neither table fails here, not in front of a person."""
    app, _ = bolt
    body = slash_command_body(subcommand.value, user="UADMIN")
    response = dispatch(app, body)
    assert response.status == 200
    assert failure_message(Translator("de")).text not in (response.body or "")
