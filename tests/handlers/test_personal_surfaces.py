"""Onboarding, logging modal, use cases, tips, self-check, learning path and App Home through Bolt, with
Slack-shaped, signed payloads (slash commands, block_actions, view_submission, app_home_opened, shortcuts)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from slack_bolt import App
from sqlalchemy import func, select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.domain.use_cases import Status
from bot.models import Assessment, Member, ModuleCompletion, Tip, UsageLog, UseCase, UseCaseAdoption
from bot.render import ids
from tests.blockkit import assert_valid_view, text_of
from tests.conftest import TEAM
from tests.slack_payloads import (
    app_home_opened,
    as_view,
    button_click,
    command,
    dispatch,
    global_shortcut,
    interaction,
    open_home,
    overflow_choice,
    submit,
    views_opened,
)

TODAY = date(2026, 11, 26)


@pytest.fixture
def slack_users() -> dict[str, str]:
    return {"U0ANNA": "de-DE", "U0BEN": "de-DE", "UADMIN": "de-DE", "U0JOHN": "en-US"}


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {"community_channel": "C0COMMUNITY", "ai_policy_url": "https://intranet.firma.de/ki-richtlinie"}


def count(database: Database, model: type, team: str = TEAM) -> int:
    with database.unit_of_work(team) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model).where(model.team_id == team)) or 0)


# -- onboarding ----------------------------------------------------------------------------------------


def test_privacy_notice_on_first_contact_only(app: App) -> None:
    first = text_of(command(app, "stats")["blocks"])
    assert "Willkommen bei KI-Lotse – kurz zum Datenschutz" in first
    assert "Nach 24 Monaten werden deine Einträge von deinem Namen getrennt" in first and "ab 5 Personen" in first
    assert "https://intranet.firma.de/ki-richtlinie" in first
    assert "Profil einrichten" in first
    assert "Deine KI-Bilanz" in first  # the core loop is never blocked
    assert "Datenschutz" not in text_of(command(app, "stats")["blocks"])


def test_a_first_request_that_is_refused_still_shows_the_notice_once_and_keeps_the_person(
    app: App, database: Database
) -> None:
    """The person and "notice shown" stay although the work was refused (it ran in a savepoint); a known
    person's refusal rolls back all of its unit of work and stores nothing either."""
    first = text_of(command(app, "log 9h mit DeepL")["blocks"])
    assert "Datenschutz" in first and "8 Stunden pro Eintrag" in first
    assert count(database, Member) == 1 and count(database, UsageLog) == 0
    again = text_of(command(app, "log 9h mit DeepL")["blocks"])
    assert "Datenschutz" not in again and "8 Stunden pro Eintrag" in again
    assert count(database, Member) == 1 and count(database, UsageLog) == 0


def test_first_log_works_from_the_first_second(app: App, database: Database) -> None:
    answer = command(app, "log 20 mit DeepL")
    assert "Gespeichert" in text_of(answer["blocks"]) and "Datenschutz" in text_of(answer["blocks"])
    assert count(database, UsageLog) == 1


def test_profile_modal_sets_department_or_leads_to_the_check(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    command(app, "profil")
    profile_view = views_opened(local_slack)[-1]
    assert profile_view["callback_id"] == ids.PROFILE_VIEW
    answer = submit(app, profile_view, {ids.DEPARTMENT: "Vertrieb", ids.TRACK: "power"})
    assert "Bereich: Vertrieb" in text_of(answer["view"]["blocks"])
    answer = submit(app, profile_view, {ids.DEPARTMENT: None, ids.TRACK: ids.TRACK_UNKNOWN}, view_id="V0002")
    assert answer["view"]["callback_id"] == ids.CHECK_VIEW
    with database.unit_of_work(TEAM) as uow:
        member = uow.session.scalar(select(Member).where(Member.slack_user_id == "U0ANNA"))
        assert (member.department, member.track) == (None, "power")


def test_unknown_department_in_text_form(app: App) -> None:
    answer = command(app, "profil bereich Raumfahrt")
    assert "Den Bereich „Raumfahrt“ gibt es nicht" in answer["text"]


# -- logging modal ------------------------------------------------------------------------------------


def test_log_without_text_opens_the_modal(app: App, local_slack: LocalSlackApi) -> None:
    command(app, "admin beispiele", user="UADMIN")
    command(app, "log")
    view = views_opened(local_slack)[-1]
    assert view["callback_id"] == ids.LOG_VIEW
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert {ids.MINUTES, ids.TOOL, ids.USE_CASE, ids.NOTE, ids.DATE} <= set(blocks)
    assert blocks[ids.DATE]["element"]["initial_date"] == TODAY.isoformat()
    assert "ChatGPT" in text_of([blocks[ids.TOOL]]) and "Angebotserstellung" in text_of([blocks[ids.USE_CASE]])
    assert local_slack.calls_to("views.open")[-1].params["trigger_id"].endswith(".42.abcdef")


def test_log_modal_saves_once_and_refreshes_home(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "admin beispiele", user="UADMIN")
    command(app, "log")
    view = views_opened(local_slack)[-1]
    with database.unit_of_work(TEAM) as uow:
        case_id = uow.session.scalar(select(UseCase.id).where(UseCase.slug == "dokumentation"))
    values = {
        ids.MINUTES: "1h30",
        ids.TOOL: "claude",
        ids.USE_CASE: str(case_id),
        ids.NOTE: "Protokoll",
        ids.DATE: (TODAY - timedelta(days=2)).isoformat(),
    }
    answer = submit(app, view, values, view_id="VLOG1")
    assert answer["response_action"] == "update"
    assert "Gespeichert: *1 Stunde 30 Minuten* mit *Claude* am 24.11.2026" in text_of(answer["view"]["blocks"])
    submit(app, view, values, view_id="VLOG1")  # double-click on "Speichern"
    assert count(database, UsageLog) == 1
    home = as_view(local_slack.calls_to("views.publish")[-1])
    assert "Dokumentation (1 Stunde 30 Minuten)" in text_of(home["blocks"])


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({ids.MINUTES: "abc"}, ids.MINUTES, "„abc“ ist keine Dauer"),
        ({ids.MINUTES: "0"}, ids.MINUTES, "Null Minuten"),
        ({ids.MINUTES: "9h"}, ids.MINUTES, "Höchstens 8 Stunden"),
        ({ids.MINUTES: "30", ids.NOTE: "Mail an kunde@example.com"}, ids.NOTE, "keine E-Mail-Adressen"),
        ({ids.MINUTES: "30", ids.NOTE: "IBAN DE89 3704 0044 0532 0130 00"}, ids.NOTE, "keine IBAN"),
        ({ids.MINUTES: "30", ids.NOTE: "Rückruf 0171 1234567"}, ids.NOTE, "keine Telefonnummern"),
        ({ids.MINUTES: "30", ids.DATE: (TODAY + timedelta(days=1)).isoformat()}, ids.DATE, "Zukunft"),
        ({ids.MINUTES: "30", ids.DATE: (TODAY - timedelta(days=15)).isoformat()}, ids.DATE, "14 Tage"),
    ],
)
def test_log_modal_errors_appear_on_the_field(
    app: App, local_slack: LocalSlackApi, database: Database, values: dict[str, str], field: str, fragment: str
) -> None:
    command(app, "log")
    answer = submit(app, views_opened(local_slack)[-1], {ids.TOOL: "chatgpt", **values})
    assert answer["response_action"] == "errors"
    assert fragment in answer["errors"][field]
    assert all(len(message) <= 150 for message in answer["errors"].values())
    assert count(database, UsageLog) == 0


def test_log_modal_respects_the_day_limit(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "log 8h")
    command(app, "log 7h")
    command(app, "log")
    answer = submit(app, views_opened(local_slack)[-1], {ids.MINUTES: "2h", ids.TOOL: "chatgpt"})
    assert "möglich sind noch 1 Stunde" in answer["errors"][ids.MINUTES]
    assert count(database, UsageLog) == 2


def test_global_shortcut_opens_the_log_modal(app: App, local_slack: LocalSlackApi) -> None:
    response = interaction(app, global_shortcut(ids.LOG_SHORTCUT))
    assert response.status == 200
    assert views_opened(local_slack)[-1]["callback_id"] == ids.LOG_VIEW
    # first contact through a shortcut: the notice comes as a DM
    dm = local_slack.calls_to("chat.postMessage")[-1]
    assert dm.params["channel"] == "U0ANNA" and "Datenschutz" in dm.params["text"]


# -- use cases ----------------------------------------------------------------------------------------


def test_use_case_list_adopt_and_status(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "admin beispiele", user="UADMIN")
    listing = command(app, "usecase")
    assert "Angebotserstellung" in text_of(listing["blocks"]) and "geschätzt 6 Stunden/Woche" in text_of(
        listing["blocks"]
    )
    with database.unit_of_work(TEAM) as uow:
        case_id = uow.session.scalar(select(UseCase.id).where(UseCase.slug == "angebotserstellung"))
    click = overflow_choice(ids.USE_CASE_MENU, f"adopt:{case_id}", response_url=local_slack.response_url("r1"))
    for _ in range(2):
        assert interaction(app, click).status == 200
    assert count(database, UseCaseAdoption) == 1
    refreshed = local_slack.calls_to("response_url")[-1].params
    assert refreshed["replace_original"] in (True, "true") and "✓ Du nutzt es" in text_of(refreshed["blocks"])
    # Anna neither owns it nor is an admin: refused inline, status unchanged
    interaction(
        app, overflow_choice(ids.USE_CASE_MENU, f"status:{case_id}", response_url=local_slack.response_url("r2"))
    )
    status_view = views_opened(local_slack)[-1]
    answer = submit(app, status_view, {ids.STATUS: Status.ROLLED_OUT}, view_id="VST1")
    assert "nur die Person, die ihn angelegt hat, oder Admins" in answer["errors"][ids.STATUS]
    answer = submit(app, status_view, {ids.STATUS: Status.DISCARDED}, view_id="VST2", user="UADMIN")
    assert "Learning" in answer["errors"][ids.LEARNING]
    answer = submit(
        app,
        status_view,
        {ids.STATUS: Status.DISCARDED, ids.LEARNING: "Kunden wollen Persönliches"},
        view_id="VST3",
        user="UADMIN",
    )
    assert answer["response_action"] == "update"
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalar(select(UseCase.status).where(UseCase.id == case_id)) == Status.DISCARDED


def test_new_use_case_modal(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "usecase neu")
    view = views_opened(local_slack)[-1]
    assert view["callback_id"] == ids.USE_CASE_VIEW
    good = {ids.TITLE: "Protokolle zusammenfassen", ids.DEPARTMENT: "IT", ids.ESTIMATE: "2h", ids.STATUS: "pilot"}
    assert submit(app, view, good, view_id="VUC1")["response_action"] == "update"
    assert submit(app, view, good, view_id="VUC1")["response_action"] == "update"  # sent twice: one record
    duplicate = submit(app, view, {**good, ids.TITLE: "protokolle  ZUSAMMENFASSEN"}, view_id="VUC2")
    assert "gibt es schon" in duplicate["errors"][ids.TITLE]
    estimate = submit(app, view, {**good, ids.TITLE: "Anderes", ids.ESTIMATE: "viel"}, view_id="VUC3")
    assert ids.ESTIMATE in estimate["errors"]
    assert count(database, UseCase) == 1
    answer = command(app, "log 30 Zusammenfassung #protokolle")
    assert "Protokolle zusammenfassen" in text_of(answer["blocks"])


def test_use_case_text_commands(app: App, database: Database) -> None:
    command(app, "admin beispiele", user="UADMIN")
    assert "Du nutzt „Angebotserstellung“ auch" in command(app, "usecase nutze #angebot")["text"]
    refused = command(app, "usecase status #angebot ausgerollt")["text"]
    assert "oder Admins" in refused
    done = command(app, "usecase status #doku verworfen Zu viel Nacharbeit", user="UADMIN")["text"]
    assert "steht jetzt auf: Verworfen (Learning)" in done
    assert "Den Status „fertig“ gibt es nicht" in command(app, "usecase status #doku fertig", user="UADMIN")["text"]


def test_an_unknown_use_case_tag_still_stores_the_log(app: App, database: Database) -> None:
    command(app, "admin beispiele", user="UADMIN")
    visible = text_of(command(app, "log 30 Entwurf #zauber mit ChatGPT")["blocks"])
    assert "Gespeichert: *30 Minuten* mit *ChatGPT*" in visible
    assert "Den Anwendungsfall „#zauber“ kenne ich nicht – gespeichert habe ich den Eintrag ohne" in visible
    assert "`/ki usecase neu`" in visible
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.execute(select(UsageLog.minutes, UsageLog.use_case_id)).all() == [(30, None)]


def test_another_workspace_cannot_touch_a_use_case(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "admin beispiele", user="UADMIN")
    with database.unit_of_work(TEAM) as uow:
        case_id = uow.session.scalar(select(UseCase.id).where(UseCase.slug == "angebotserstellung"))
    foreign = overflow_choice(
        ids.USE_CASE_MENU, f"adopt:{case_id}", team="T0OTHER", response_url=local_slack.response_url("x")
    )
    assert interaction(app, foreign).status == 200
    assert count(database, UseCaseAdoption) == 0 and count(database, UseCaseAdoption, team="T0OTHER") == 0
    assert "kenne ich nicht" in local_slack.calls_to("response_url")[-1].params["text"]
    assert "Noch keine Anwendungsfälle" in text_of(command(app, "usecase", team="T0OTHER")["blocks"])


def test_admin_commands_need_an_admin(app: App) -> None:
    assert "Das dürfen nur Admins" in command(app, "admin beispiele")["text"]
    assert "Bereich „Qualität“ ergänzt" in command(app, "admin bereich Qualität", user="UADMIN")["text"]
    assert "Dein Bereich ist jetzt: Qualität" in command(app, "profil bereich qualität")["text"]


# -- tips ---------------------------------------------------------------------------------------------


def test_tip_is_posted_then_recorded(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    answer = command(app, "tip Lass dir von ChatGPT erst Rückfragen stellen")
    assert "Dein Tipp steht jetzt in #C0COMMUNITY" in text_of(answer["blocks"])
    post = local_slack.calls_to("chat.postMessage")[0].params
    assert post["channel"] == "C0COMMUNITY" and "<@U0ANNA>" in text_of(post["blocks"])
    command(app, "tipp anonym Prompt-Vorlagen im Wiki sammeln")
    anonymous = local_slack.calls_to("chat.postMessage")[-1].params
    assert "U0ANNA" not in json.dumps(anonymous) and "anonymer Tipp" in text_of(anonymous["blocks"])
    assert count(database, Tip) == 2


@pytest.mark.parametrize("text", ["tip", "tip anonym", "tip " + "x" * 1501, "tip Schreib an ki@firma.de"])
def test_bad_tips_are_refused(app: App, local_slack: LocalSlackApi, database: Database, text: str) -> None:
    answer = command(app, text)
    assert answer["text"].startswith(":warning:") or ":warning:" in text_of(answer["blocks"])
    assert local_slack.calls_to("chat.postMessage") == []
    assert count(database, Tip) == 0


def test_a_tip_that_cannot_be_posted_is_not_recorded(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    local_slack.fail("chat.postMessage", status=200, error="not_in_channel")
    answer = command(app, "tip Guter Tipp")
    assert "konnte den Tipp nicht in #C0COMMUNITY posten" in text_of(answer["blocks"])
    assert count(database, Tip) == 0


# -- self-check, path, stages ---------------------------------------------------------------------------


def test_self_check_modal(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "selbstcheck")
    view = views_opened(local_slack)[-1]
    radios = [b for b in view["blocks"] if b["type"] == "input"]
    assert len(radios) == 5 and all(len(b["element"]["options"]) == 3 for b in radios)
    partial = submit(app, view, {ids.CHECK_DIMENSION_PREFIX + "tools": "2"}, view_id="VC1")
    assert set(partial["errors"]) == {
        ids.CHECK_DIMENSION_PREFIX + k for k in ("breadth", "autonomy", "innovation", "sharing")
    }
    assert count(database, Assessment) == 0
    answers = {
        ids.CHECK_DIMENSION_PREFIX + k: v
        for k, v in {"tools": "2", "breadth": "2", "autonomy": "3", "innovation": "1", "sharing": "2"}.items()
    }
    result = submit(app, view, answers, view_id="VC2")
    shown = text_of(result["view"]["blocks"])
    assert "Gesamt: Stufe 2 von 3" in shown and "Empfohlener Lernpfad: *Power-User*" in shown
    submit(app, view, answers, view_id="VC2")
    assert count(database, Assessment) == 1
    higher = {**answers, ids.CHECK_DIMENSION_PREFIX + "tools": "3", ids.CHECK_DIMENSION_PREFIX + "innovation": "3"}
    again = text_of(submit(app, view, higher, view_id="VC3")["view"]["blocks"])
    assert "Gesamt: Stufe 3 von 3* (↑ vorher 2)" in again
    assert "3 · Tool-Integration (↑ vorher 2)" in again and "(unverändert)" in again


def test_path_buttons_and_promotion_dm(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    answer = command(app, "lernpfad")
    assert "noch keinen Lernpfad" in text_of(answer["blocks"])
    url = local_slack.response_url("p1")
    interaction(app, button_click(ids.CHOOSE_TRACK, "basis", response_url=url))
    assert "Basis-Nutzer* – 0 von 3" in text_of(local_slack.calls_to("response_url")[-1].params["blocks"])
    for module in ("grundlagen", "prompt-alltag", "datenschutz"):
        interaction(app, button_click(ids.COMPLETE_MODULE, module, response_url=url))
    interaction(app, button_click(ids.COMPLETE_MODULE, "datenschutz", response_url=url))
    assert count(database, ModuleCompletion) == 3
    assert "Alle Module dieses Lernpfads sind erledigt" in text_of(
        local_slack.calls_to("response_url")[-1].params["blocks"]
    )
    command(app, "selbstcheck")
    check = views_opened(local_slack)[-1]
    submit(app, check, {b["block_id"]: "2" for b in check["blocks"] if b["type"] == "input"}, view_id="VC9")
    for n in range(3):
        command(app, f"tip Tipp Nummer {n + 1} für alle")
    congratulations = [
        c
        for c in local_slack.calls_to("chat.postMessage")
        if c.params["channel"] == "U0ANNA" and "Glückwunsch" in c.params["text"]
    ]
    assert len(congratulations) == 1 and "Stufe 2 – KI-Spezialist" in congratulations[0].params["text"]


def test_unknown_module_is_refused(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "lernpfad track power")
    interaction(app, button_click(ids.COMPLETE_MODULE, "grundlagen", response_url=local_slack.response_url("p")))
    assert "gehört nicht zu deinem Lernpfad" in local_slack.calls_to("response_url")[-1].params["text"]
    assert count(database, ModuleCompletion) == 0


# -- App Home -----------------------------------------------------------------------------------------


def test_app_home_is_published_with_notice_once(app: App, local_slack: LocalSlackApi) -> None:
    for _ in range(2):
        assert dispatch(app, app_home_opened(), "application/json").status == 200
    first, second = (as_view(c) for c in local_slack.calls_to("views.publish"))
    assert "kurz zum Datenschutz" in text_of(first["blocks"])
    assert "kurz zum Datenschutz" not in text_of(second["blocks"])
    assert "Nächste KI-Sprechstunde: 01.12.2026, 16:00 Uhr · Nächstes KI-Update: 03.12.2026, 15:00 Uhr" in text_of(
        second["blocks"]
    )
    buttons = [e["action_id"] for b in second["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [
        ids.OPEN_LOG_MODAL,
        ids.OPEN_CHECK,
        ids.OPEN_PATH,
        ids.OPEN_USE_CASES,
        ids.OPEN_BUDDY,
        ids.OPEN_PROFILE,
    ]


def test_home_buttons_open_modals(app: App, local_slack: LocalSlackApi) -> None:
    home_view = {"id": "VHOME", "type": "home", "hash": "h", "blocks": [], "private_metadata": ""}
    for action_id, callback in (
        (ids.OPEN_LOG_MODAL, ids.LOG_VIEW),
        (ids.OPEN_CHECK, ids.CHECK_VIEW),
        (ids.OPEN_PROFILE, ids.PROFILE_VIEW),
        (ids.OPEN_PATH, ids.INFO_VIEW),
        (ids.OPEN_USE_CASES, ids.INFO_VIEW),
        (ids.OPEN_BUDDY, ids.INFO_VIEW),
    ):
        payload = button_click(action_id)
        payload.pop("response_url")
        payload.pop("channel")
        payload["view"], payload["container"] = home_view, {"type": "view", "view_id": "VHOME"}
        assert interaction(app, payload).status == 200
        assert views_opened(local_slack)[-1]["callback_id"] == callback


def test_home_of_a_member_with_years_of_data_stays_within_limits(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    command(app, "admin beispiele", user="UADMIN")
    with database.unit_of_work(TEAM) as uow:
        member_id = uow.session.scalar(select(Member.id).where(Member.slack_user_id == "UADMIN"))
        cases = uow.session.scalars(select(UseCase.id)).all()
        tools = ["chatgpt", "claude", "deepl", "copilot", None]
        uow.session.add_all(
            UsageLog(
                team_id=TEAM,
                member_id=member_id,
                minutes=15 + n % 90,
                tool=tools[n % 5],
                use_case_id=cases[n % 3],
                note="x" * 280,
                used_on=TODAY - timedelta(days=n % 1095),
            )
            for n in range(3 * 365 * 3)
        )
    home = open_home(app, local_slack, "UADMIN")
    assert_valid_view(home)
    assert len(home["blocks"]) <= 100
    assert "3.285 Einträge" in text_of(home["blocks"])


def test_a_discarded_use_case_is_not_offered_for_adoption(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    command(app, "admin beispiele", user="UADMIN")
    command(app, "usecase status #doku verworfen Zu viel Nacharbeit", user="UADMIN")
    with database.unit_of_work(TEAM) as uow:
        case_id = uow.session.scalar(select(UseCase.id).where(UseCase.slug == "dokumentation"))
    listing = command(app, "usecase")["blocks"]
    menu = next(b for b in listing if b.get("block_id") == f"use_case:{case_id}")["accessory"]
    assert [o["value"] for o in menu["options"]] == [f"status:{case_id}"]
    others = [b["accessory"] for b in listing if b.get("block_id", "").startswith("use_case:")]
    assert sum(1 for m in others for o in m["options"] if o["value"].startswith("adopt:")) == 2
    url = local_slack.response_url("discarded")
    interaction(app, overflow_choice(ids.USE_CASE_MENU, f"adopt:{case_id}", response_url=url))
    assert "„Dokumentation“ ist verworfen" in local_slack.calls_to("response_url")[-1].params["text"]
    assert "ist verworfen" in command(app, "usecase nutze #doku")["text"]
    assert count(database, UseCaseAdoption) == 0


def test_path_done_marks_the_named_module_and_can_be_taken_back(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    def done_modules() -> set[str]:
        with database.unit_of_work(TEAM) as uow:
            return set(uow.session.scalars(select(ModuleCompletion.module_key)).all())

    command(app, "lernpfad track power")
    answer = command(app, "lernpfad erledigt tool-INTEGRATION")
    assert done_modules() == {"tool-integration"}  # the named one, not the next (Erweiterte Prompting-Techniken)
    shown = text_of(answer["blocks"])
    assert "„Tool-Integration“ ist erledigt." in shown and "1 von 3 Modulen erledigt" in shown
    undo = [
        e
        for b in answer["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == "Rückgängig"
    ]
    assert [e["value"] for e in undo] == ["tool-integration"]
    command(app, "lernpfad erledigt Use-Case")  # a unique start of the title is enough
    command(app, "path done advanced prompting techniques")  # the English title, too
    assert done_modules() == {"tool-integration", "use-case-entwicklung", "prompting-erweitert"}
    unknown = command(app, "lernpfad erledigt Raketenbau")["text"]
    assert "Das Modul „Raketenbau“ gibt es in deinem Lernpfad nicht" in unknown
    assert "Erweiterte Prompting-Techniken, Tool-Integration, Use-Case-Entwicklung" in unknown
    # take one back in text, one with the button of the reply, one from the path view
    reopened = text_of(command(app, "lernpfad offen tool-integration")["blocks"])
    assert "„Tool-Integration“ ist wieder offen." in reopened and "2 von 3 Modulen erledigt" in reopened
    assert "gar nicht als erledigt" in command(app, "lernpfad offen Tool-Integration")["text"]
    url = local_slack.response_url("path")
    interaction(app, button_click(ids.REOPEN_MODULE, "use-case-entwicklung", response_url=url))
    refreshed = local_slack.calls_to("response_url")[-1].params["blocks"]
    assert "„Use-Case-Entwicklung“ ist wieder offen." in text_of(refreshed)
    not_done = [b["accessory"] for b in refreshed if b.get("accessory", {}).get("action_id") == ids.REOPEN_MODULE]
    assert [a["value"] for a in not_done] == ["prompting-erweitert"] and not_done[0]["text"]["text"] == "Nicht erledigt"
    interaction(app, button_click(ids.REOPEN_MODULE, "grundlagen", response_url=url))  # not in this track
    assert "gehört nicht zu deinem Lernpfad" in local_slack.calls_to("response_url")[-1].params["text"]
    assert done_modules() == {"prompting-erweitert"}


def test_taking_a_module_back_re_derives_the_career_stage(app: App, local_slack: LocalSlackApi) -> None:
    command(app, "lernpfad track basis")
    for module in ("Grundlagen", "Prompt Engineering", "Datenschutz"):
        command(app, f"lernpfad erledigt {module}")
    command(app, "selbstcheck")
    check = views_opened(local_slack)[-1]
    submit(app, check, {b["block_id"]: "2" for b in check["blocks"] if b["type"] == "input"}, view_id="VC1")
    for n in range(3):
        command(app, f"tip Tipp Nummer {n + 1} für alle")
    assert "Stufe 2 – KI-Spezialist" in text_of(command(app, "lernpfad")["blocks"])
    after = text_of(command(app, "lernpfad offen Datenschutz")["blocks"])
    assert "Deine Karrierestufe: Stufe 1 – KI-Anwender" in after
