"""Small rules of what people read, through the real `/ki` surface: help, department names, the marks on
confirmations and refusals, and user text in channel posts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.domain.catalog_files import CatalogError
from bot.domain.departments import load_departments
from bot.i18n import Translator
from bot.models import Department, Member, RitualEvent
from bot.render import ids
from bot.render.rituals import summary_post
from tests.blockkit import text_of
from tests.conftest import TEAM
from tests.slack_payloads import button_click, command, interaction


@pytest.fixture
def slack_users() -> dict[str, str]:
    return {"U0ANNA": "de-DE", "UADMIN": "de-DE", "U0JOHN": "en-US"}


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {"community_channel": "C0COMMUNITY"}


@pytest.mark.parametrize("text", ["admin hilfe", "admin help", "admin"])
def test_admins_get_their_own_help(app: App, text: str) -> None:
    shown = text_of(command(app, text, user="UADMIN")["blocks"])
    assert "KI-Lotse: Admin-Befehle" in shown
    # As Slack shows it: the escaped brackets read as <Name>.
    assert "`/ki admin bereich &lt;Name&gt;`" in shown and "`/ki admin retro [Q4 2026]`" in shown


@pytest.mark.parametrize("text", ["admin hilfe", "admin"])
def test_members_are_refused_admin_help(app: App, text: str) -> None:
    answer = command(app, text)
    assert answer["text"].startswith(":warning:") and "Das dürfen nur Admins" in answer["text"]
    assert "Admin-Befehle" not in text_of(answer["blocks"])


def test_an_unknown_admin_command_points_to_admin_help(app: App) -> None:
    answer = command(app, "admin zaubern", user="UADMIN")
    assert "„zaubern“" in answer["text"] and "`/ki admin hilfe`" in answer["text"]


def test_member_help_names_subcommands_and_their_actions(app: App) -> None:
    shown = text_of(command(app, "hilfe")["blocks"])
    for typed in (
        "/ki top optin",
        "/ki buddy pause 2w",
        "/ki buddy notiz",
        "/ki buddy weiter",
        "/ki buddy austreten",
        "/ki usecase nutze",
        "/ki usecase status",
        "/ki profil bereich",
        "/ki lernpfad",
        "/ki check",
        "/ki tip",
    ):
        assert typed in shown
    assert "admin hilfe" not in shown
    assert "/ki admin hilfe" in text_of(command(app, "hilfe", user="UADMIN")["blocks"])


# -- department names ---------------------------------------------------------------------------------


def department_of(database: Database, user: str) -> str | None:
    with database.unit_of_work(TEAM) as uow:
        return uow.session.scalar(select(Member.department).where(Member.slack_user_id == user))


def added_departments(database: Database) -> list[str]:
    with database.unit_of_work(TEAM) as uow:
        return list(uow.session.scalars(select(Department.name)))


def test_profile_department_without_a_name_asks_for_one(app: App, database: Database) -> None:
    command(app, "profil bereich Vertrieb")
    answer = command(app, "profil bereich")
    assert answer["text"].startswith(":warning: Welcher Bereich? Möglich sind: Vertrieb, Marketing")
    assert department_of(database, "U0ANNA") == "Vertrieb"
    assert "Ohne Team" not in text_of(answer["blocks"])


@pytest.mark.parametrize(
    "name",
    ["<b>x</b>", "&lt;b&gt;x&lt;/b&gt;", "<!channel>", "*Vertrieb*", "_QS_", "~alt~", "`code`", "R&D", "x" * 41],
)
def test_department_names_are_plain_text(app: App, database: Database, name: str) -> None:
    answer = command(app, f"admin bereich {name}", user="UADMIN")
    assert answer["text"].startswith(":warning:")
    expected = "höchstens 40 Zeichen" if name.startswith("x") else "reiner Text"
    assert expected in answer["text"]
    assert added_departments(database) == []


def test_a_plain_department_name_is_added(app: App, database: Database) -> None:
    answer = command(app, "admin bereich   Forschung  und Entwicklung (F/E) ", user="UADMIN")
    assert "Forschung und Entwicklung (F/E)" in answer["text"]
    assert added_departments(database) == ["Forschung und Entwicklung (F/E)"]
    command(app, "profil bereich forschung und entwicklung (f/e)")
    assert department_of(database, "U0ANNA") == "Forschung und Entwicklung (F/E)"


def test_configured_department_names_are_plain_text_too(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("departments:\n  - Vertrieb\n  - '  Forschung   und Entwicklung '\n")
    assert load_departments(good) == ("Vertrieb", "Forschung und Entwicklung")
    bad = tmp_path / "bad.yaml"
    bad.write_text("departments:\n  - '<b>Vertrieb</b>'\n")
    with pytest.raises(CatalogError, match="plain text"):
        load_departments(bad)


# -- marks: ✅ on confirmations, ⚠️ on refusals ---------------------------------------------------------------


def test_rsvp_is_confirmed_with_a_check_mark_and_a_refused_click_is_warned(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    command(app, "admin sprechstunde thema Prompts", user="UADMIN")
    with database.unit_of_work(TEAM) as uow:
        event_id = str(uow.session.scalar(select(RitualEvent.id)))
    url = local_slack.response_url("r")
    for value in (event_id, event_id, "999"):
        interaction(app, button_click(ids.RSVP, value, response_url=url))
    said = [call.params["text"] for call in local_slack.calls_to("response_url")]
    assert said == [
        ":white_check_mark: Du bist dabei – ich erinnere dich kurz vorher.",
        ":white_check_mark: Abgemeldet. Vielleicht beim nächsten Mal!",
        ":warning: Diesen Termin gibt es nicht (mehr).",
    ]


@pytest.mark.parametrize(
    ("before", "text", "user", "confirmation"),
    [
        (None, "top optin", "U0ANNA", "Du erscheinst ab jetzt mit Namen"),
        (None, "top optout", "U0ANNA", "Du erscheinst nicht mehr mit Namen"),
        (None, "buddy pause 2w", "U0ANNA", "Pausiert bis einschließlich"),
        ("buddy pause 2w", "buddy weiter", "U0ANNA", "die Pause ist beendet"),
        (None, "profil bereich IT", "U0ANNA", "Dein Bereich ist jetzt: IT."),
        (None, "sprache de", "U0ANNA", "ich spreche ab jetzt Deutsch"),
        (None, "admin bereich Forschung", "UADMIN", "Bereich „Forschung“ ergänzt."),
        (None, "admin beispiele", "UADMIN", "Beispiel-Anwendungsfälle geladen"),
    ],
)
def test_confirmations_carry_a_check_mark(
    app: App, before: str | None, text: str, user: str, confirmation: str
) -> None:
    if before is not None:
        command(app, before, user=user)
    answer = command(app, text, user=user)
    assert answer["text"].startswith(":white_check_mark: ") and confirmation in answer["text"]
    assert ":warning:" not in json.dumps(answer)


# -- user text in channel posts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        # As a test client sends it …
        ("<!channel> frag <@U123> oder <https://x.example|hier>", "&lt;!channel&gt; frag &lt;@U123&gt; oder "),
        # … and as Slack sends what people type: &, < and > already as entities, not escaped twice.
        ("&lt;!here&gt; F&amp;E-Tipp: a &lt; b", "&lt;!here&gt; F&amp;E-Tipp: a &lt; b"),
    ],
)
def test_a_tip_pings_nobody_and_links_nothing(app: App, local_slack: LocalSlackApi, typed: str, shown: str) -> None:
    answer = command(app, f"tip {typed}")
    assert answer["text"].startswith(":white_check_mark:")
    [post] = [
        call.params for call in local_slack.calls_to("chat.postMessage") if call.params["channel"] == "C0COMMUNITY"
    ]
    sent = json.dumps(post, ensure_ascii=False)
    assert shown in text_of(post["blocks"])
    for markup in ("<!channel>", "<!here>", "<@U123>", "<https://x.example", "&amp;lt;", "&amp;amp;"):
        assert markup not in sent


def test_a_summary_link_stays_one_link_in_the_channel_post() -> None:
    event = RitualEvent(
        kind="monthly_update",
        department="<!channel> Vertrieb",
        summary="Neue Prompts <@U123>",
        summary_link="https://folien.example/q4?a=1&b=2 |x> <!channel>",
    )
    shown = text_of(summary_post(Translator("de"), event).blocks)
    assert "<!channel>" not in shown and "<@U123>" not in shown
    assert "<https://folien.example/q4?a=1&amp;b=2%20%7Cx%3E%20%3C!channel%3E|Folien ansehen>" in shown
