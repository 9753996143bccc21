"""`/ki daten` through Bolt with signed payloads: what is stored, the export to the DM, erasure after the
modal's confirmation (the buddy partner told without a reason), a deleted Slack account, and the admins'
retention view."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.models import PLACEHOLDER_PREFIX, BuddyPair, Member, UsageLog
from bot.render import ids
from tests.blockkit import text_of
from tests.conftest import TEAM
from tests.rows import add_pair
from tests.slack_payloads import button_click, command, dispatch, interaction, view_submission, views_opened


@pytest.fixture
def slack_users() -> dict[str, str]:
    return dict.fromkeys(("U0ANNA", "U0BEN", "UADMIN"), "de-DE")


def member(database: Database, user: str) -> Member | None:
    with database.unit_of_work(TEAM) as uow:
        return uow.session.scalars(select(Member).where(Member.slack_user_id == user)).one_or_none()


def dm_texts(slack: LocalSlackApi, user: str) -> list[str]:
    return [
        str(call.params.get("text")) for call in slack.calls_to("chat.postMessage") if call.params["channel"] == user
    ]


def user_change(user: str, deleted: bool) -> str:
    return json.dumps(
        {
            "token": "unused",
            "team_id": TEAM,
            "api_app_id": "A0KILOTSE",
            "type": "event_callback",
            "event_id": f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "event": {
                "type": "user_change",
                "user": {"id": user, "team_id": TEAM, "name": user.lower(), "deleted": deleted},
                "event_ts": f"{time.time():.6f}",
            },
        }
    )


def pair_anna_with_ben(database: Database) -> None:
    command_members = {m.slack_user_id: m.id for m in (member(database, "U0ANNA"), member(database, "U0BEN")) if m}
    with database.unit_of_work(TEAM) as uow:
        add_pair(uow.session, command_members["U0BEN"], command_members["U0ANNA"], date(2026, 11, 2), date(2027, 1, 25))


def test_export_and_erasure_round_trip(bolt: tuple[App, Deps], database: Database, local_slack: LocalSlackApi) -> None:
    app, _ = bolt
    command(app, "log 45 Angebot für Kunde mit ChatGPT")
    command(app, "stats", user="U0BEN")
    pair_anna_with_ben(database)

    shown = command(app, "daten")
    text = text_of(shown["blocks"])
    assert (
        "/ki daten" in text and "Nach 24 Monaten werden deine Einträge von deinem Namen getrennt" in text
    )  # the notice again, with the period
    assert "Einträge: 1" in text and "Buddy-Paare: 1" in text
    buttons = [e["action_id"] for b in shown["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [ids.DATA_EXPORT, ids.DATA_DELETE]
    assert command(app, "privacy")["blocks"] == shown["blocks"]  # the English alias

    response = interaction(app, button_click(ids.DATA_EXPORT, response_url=local_slack.response_url("export")))
    assert response.status == 200
    files = {name: content for name, content in local_slack.uploads.values()}
    [json_name] = [name for name in files if name.endswith(".json")]
    [markdown_name] = [name for name in files if name.endswith(".md")]
    exported = json.loads(files[json_name])
    assert exported["member"]["slack_user_id"] == "U0ANNA"
    assert [entry["note"] for entry in exported["tables"]["usage_logs"]] == ["Angebot für Kunde mit ChatGPT"]
    assert "Angebot für Kunde mit ChatGPT" in files[markdown_name].decode()
    [opened] = local_slack.calls_to("conversations.open")
    assert opened.params["users"] == "U0ANNA"

    assert command(app, "daten löschen") == {}
    [confirm] = [view for view in views_opened(local_slack) if view["callback_id"] == ids.DATA_DELETE_VIEW]
    assert "nicht rückgängig" in text_of(confirm["blocks"])
    refused = interaction(app, view_submission(confirm, {ids.DATA_CONFIRM: "ja"}))
    assert "tippe genau „löschen“" in json.loads(refused.body)["errors"][ids.DATA_CONFIRM]
    assert member(database, "U0ANNA") is not None  # nothing erased
    answer = interaction(app, view_submission(confirm, {ids.DATA_CONFIRM: "Löschen"}))
    assert answer.status == 200 and json.loads(answer.body)["response_action"] == "update"

    assert member(database, "U0ANNA") is None
    with database.unit_of_work(TEAM) as uow:
        [log] = uow.session.scalars(select(UsageLog)).all()
        assert log.note == "" and log.minutes == 45  # the total stays, de-identified
        owner = uow.session.get_one(Member, log.member_id)
        assert owner.slack_user_id.startswith(PLACEHOLDER_PREFIX)
        assert uow.session.scalars(select(BuddyPair.status)).one() == "ended"
    assert any("Deine Daten sind gelöscht" in text for text in dm_texts(local_slack, "U0ANNA"))
    [told] = [text for text in dm_texts(local_slack, "U0BEN") if "Buddy-Paarung ist beendet" in text]
    assert "U0ANNA" not in told

    # Coming back starts fresh, with the privacy notice again.
    again = text_of(command(app, "daten")["blocks"])
    assert again.count("Willkommen bei KI-Lotse") == 1 and again.count("/ki daten") == 1  # the notice once
    assert "Einträge:" not in again


def test_export_by_word_and_unknown_words(bolt: tuple[App, Deps], local_slack: LocalSlackApi) -> None:
    app, _ = bolt
    assert "„alles“ kenne ich bei den Daten nicht" in command(app, "daten alles")["text"]
    assert not local_slack.uploads
    assert "Datenexport kommt gleich" in command(app, "data export")["text"]
    assert sorted(name.rsplit(".", 1)[1] for name, _ in local_slack.uploads.values()) == ["json", "md"]


def test_a_deleted_slack_account_is_deactivated_at_once(bolt: tuple[App, Deps], database: Database) -> None:
    app, deps = bolt
    command(app, "log 30 mit DeepL", user="U0BEN")
    assert dispatch(app, user_change("U0BEN", deleted=False), "application/json").status == 200
    found = member(database, "U0BEN")
    assert found is not None and found.deactivated_at is None
    assert dispatch(app, user_change("U0BEN", deleted=True), "application/json").status == 200
    found = member(database, "U0BEN")
    assert found is not None and found.deactivated_at == deps.clock()
    assert dispatch(app, user_change("U0NEVERSEEN", deleted=True), "application/json").status == 200
    assert member(database, "U0NEVERSEEN") is None


def test_admins_see_the_last_retention_run(
    bolt: tuple[App, Deps], database: Database, local_slack: LocalSlackApi
) -> None:
    app, _ = bolt
    assert "noch nicht gelaufen" in text_of(command(app, "admin datenschutz", user="UADMIN")["blocks"])
    command(app, "log 30 mit DeepL", user="U0BEN")
    command(app, "admin run retention", user="UADMIN")
    command(app, "admin run retention", user="UADMIN")  # by hand: an occurrence of its own each time
    assert any("schickt keine Nachrichten" in text for text in dm_texts(local_slack, "UADMIN"))
    shown = text_of(command(app, "admin datenschutz", user="UADMIN")["blocks"])
    assert "Letzter Lösch-Lauf" in shown and "0 Einträge" in shown and "24 Monaten" in shown
    assert "nicht kenne" not in shown
    refused = command(app, "admin datenschutz")["text"]
    assert "Letzter Lösch-Lauf" not in refused
