"""A person's own entries: undo right after logging, the list, changing and deleting (only their own),
and a use case created from the logging modal. Through Bolt with Slack-shaped, signed payloads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.domain.curriculum import Requirements
from bot.domain.use_cases import Status
from bot.models import Member, UsageLog, UseCase
from bot.render import ids
from bot.services.members import find_member
from tests.blockkit import text_of
from tests.conftest import TEAM
from tests.rows import stored
from tests.slack_payloads import as_view, bolt_app, button_click, command, interaction, open_home, submit, views_opened

TODAY = date(2026, 11, 26)


@pytest.fixture
def slack_users() -> dict[str, str]:
    return dict.fromkeys(("U0ANNA", "U0BEN", "UADMIN"), "de-DE")


def entries(database: Database) -> list[tuple[str, int, str | None, str | None, str, date]]:
    """(user, minutes, tool, use case slug, note, day) of every stored entry, oldest first."""
    with database.unit_of_work(TEAM) as uow:
        rows = uow.session.execute(
            select(Member.slack_user_id, UsageLog.minutes, UsageLog.tool, UseCase.slug, UsageLog.note, UsageLog.used_on)
            .join(Member, Member.id == UsageLog.member_id)
            .outerjoin(UseCase, UseCase.id == UsageLog.use_case_id)
            .order_by(UsageLog.id)
        ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


def buttons(blocks: list[dict[str, Any]], action_id: str) -> list[str]:
    """The values of the buttons with `action_id`."""
    return [
        element["value"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    ]


def in_modal(payload: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """A click inside a modal (no response_url; Slack names the view)."""
    payload.pop("response_url")
    payload.pop("channel")
    payload["view"] = {**view, "id": "VSAVED", "hash": "h1"}
    payload["container"] = {"type": "view", "view_id": "VSAVED"}
    return payload


# -- undo ---------------------------------------------------------------------------------------------


def test_undo_removes_the_entry_just_logged(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "log 30 Protokoll mit DeepL")
    answer = command(app, "log 45 Angebot mit ChatGPT")
    [log_id] = buttons(answer["blocks"], ids.UNDO_LOG)
    assert "Rückgängig" in text_of(answer["blocks"])
    url = local_slack.response_url("undo")
    interaction(app, button_click(ids.UNDO_LOG, log_id, response_url=url))
    confirmation = local_slack.calls_to("response_url")[-1].params
    assert confirmation["replace_original"] in (True, "true")
    shown = text_of(confirmation["blocks"])
    assert "✅ Entfernt: 45 Minuten mit ChatGPT am 26.11.2026." in shown.replace(":white_check_mark:", "✅")
    assert "Diese Woche bisher: *30 Minuten*" in shown
    assert [e[1] for e in entries(database)] == [30]
    # a second click (or a click on an old message) is told clearly, and nothing else is removed
    interaction(app, button_click(ids.UNDO_LOG, log_id, response_url=url))
    again = local_slack.calls_to("response_url")[-1].params
    assert again["replace_original"] in (False, "false")
    assert "Diesen Eintrag finde ich unter deinen Einträgen nicht" in again["text"]
    assert [e[1] for e in entries(database)] == [30]


@pytest.mark.parametrize("value", ["abc", "-1", "999999", ""])
def test_a_tampered_undo_is_refused(app: App, local_slack: LocalSlackApi, database: Database, value: str) -> None:
    command(app, "log 45 ChatGPT")
    interaction(app, button_click(ids.UNDO_LOG, value, response_url=local_slack.response_url("t")))
    assert "finde ich unter deinen Einträgen nicht" in local_slack.calls_to("response_url")[-1].params["text"]
    assert len(entries(database)) == 1


def test_only_the_author_can_undo_change_or_delete(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    [log_id] = buttons(command(app, "log 45 ChatGPT")["blocks"], ids.UNDO_LOG)
    url = local_slack.response_url("ben")
    for action_id in (ids.UNDO_LOG, ids.DELETE_LOG, ids.EDIT_LOG):
        interaction(app, button_click(action_id, log_id, user="U0BEN", response_url=url))
        assert "finde ich unter deinen Einträgen nicht" in local_slack.calls_to("response_url")[-1].params["text"]
    assert views_opened(local_slack) == []
    # a change form for Anna's entry, submitted by Ben, changes nothing
    interaction(app, button_click(ids.EDIT_LOG, log_id, response_url=url))
    form = views_opened(local_slack)[-1]
    answer = submit(app, form, {ids.MINUTES: "5", ids.TOOL: "claude"}, view_id="VBEN", user="U0BEN")
    assert "finde ich unter deinen Einträgen nicht" in answer["errors"][ids.MINUTES]
    assert entries(database) == [("U0ANNA", 45, "chatgpt", None, "ChatGPT", TODAY)]


def test_undo_in_the_modal_confirmation(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "log")
    saved = submit(app, views_opened(local_slack)[-1], {ids.MINUTES: "20", ids.TOOL: "claude"}, view_id="VLOG")
    [log_id] = buttons(saved["view"]["blocks"], ids.UNDO_LOG)
    interaction(app, in_modal(button_click(ids.UNDO_LOG, log_id), saved["view"]))
    updated = local_slack.calls_to("views.update")[-1].params
    assert updated["view_id"] == "VSAVED"
    assert "Entfernt: 20 Minuten mit Claude" in text_of(as_view(local_slack.calls_to("views.update")[-1])["blocks"])
    assert entries(database) == []


# -- list, change, delete -------------------------------------------------------------------------------


def test_log_list_shows_the_last_ten_entries_with_buttons(app: App, local_slack: LocalSlackApi) -> None:
    command(app, "admin beispiele", user="UADMIN")
    for n in range(12):
        command(app, f"log {n + 1} Notiz {n + 1} mit Claude")
    command(app, "log 7 Angebot #angebot mit ChatGPT")
    for words in ("log liste", "log list"):
        answer = command(app, words)
        shown = text_of(answer["blocks"])
        assert "Deine letzten Einträge" in shown
        assert len(buttons(answer["blocks"], ids.EDIT_LOG)) == 10
        assert len(buttons(answer["blocks"], ids.DELETE_LOG)) == 10
        first = shown.index("*26.11.2026* · 7 Minuten · ChatGPT · Angebotserstellung")
        assert "Notiz: Angebot #angebot mit ChatGPT" in shown[first:]
        assert "*26.11.2026* · 12 Minuten · Claude\nNotiz: Notiz 12 mit Claude" in shown
        assert "Notiz 4 mit" in shown and "Notiz 3 mit" not in shown  # the oldest three are not listed
    assert "Noch keine Einträge" in text_of(command(app, "log liste", user="U0BEN")["blocks"])


def test_delete_from_the_list_updates_it(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "log 30 Protokoll mit DeepL")
    command(app, "log 45 Angebot mit ChatGPT")
    listing = command(app, "log liste")
    newest = buttons(listing["blocks"], ids.DELETE_LOG)[0]
    url = local_slack.response_url("list")
    interaction(app, button_click(ids.DELETE_LOG, newest, response_url=url))
    updated = local_slack.calls_to("response_url")[-1].params
    assert updated["replace_original"] in (True, "true")
    shown = text_of(updated["blocks"])
    assert "Entfernt: 45 Minuten mit ChatGPT am 26.11.2026" in shown
    assert "Diese Woche bisher: *30 Minuten*" in shown
    assert buttons(updated["blocks"], ids.DELETE_LOG) == [buttons(listing["blocks"], ids.DELETE_LOG)[1]]
    assert [e[1] for e in entries(database)] == [30]


def test_change_opens_the_filled_form_and_replaces_the_entry(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    command(app, "admin beispiele", user="UADMIN")
    command(app, "log 8h Handbuch mit Claude")
    command(app, "log 7h Angebot #angebot mit ChatGPT")
    listing = command(app, "log liste")
    seven_hours = buttons(listing["blocks"], ids.EDIT_LOG)[0]
    interaction(app, button_click(ids.EDIT_LOG, seven_hours, response_url=local_slack.response_url("e")))
    form = views_opened(local_slack)[-1]
    assert form["callback_id"] == ids.LOG_VIEW and form["title"]["text"] == "Eintrag ändern"
    fields = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert fields[ids.MINUTES]["initial_value"] == "7h"
    assert fields[ids.TOOL]["initial_option"]["value"] == "chatgpt"
    assert fields[ids.USE_CASE]["initial_option"]["text"]["text"] == "Angebotserstellung"
    assert fields[ids.NOTE]["initial_value"] == "Angebot #angebot mit ChatGPT"
    assert fields[ids.DATE]["initial_date"] == TODAY.isoformat()
    case_id = fields[ids.USE_CASE]["initial_option"]["value"]
    # 8 h + 8 h is the day's limit: the changed entry replaces its 7 h, it is not added to them
    values = {ids.MINUTES: "8h", ids.TOOL: "chatgpt", ids.USE_CASE: case_id, ids.NOTE: "Angebot überarbeitet"}
    answer = submit(app, form, values, view_id="VEDIT1")
    shown = text_of(answer["view"]["blocks"])
    assert "Geändert: *8 Stunden* mit *ChatGPT* am 26.11.2026." in shown
    assert "Diese Woche bisher: *16 Stunden*" in shown
    assert buttons(answer["view"]["blocks"], ids.UNDO_LOG) == []
    assert entries(database)[1] == ("U0ANNA", 480, "chatgpt", "angebotserstellung", "Angebot überarbeitet", TODAY)
    assert len(entries(database)) == 2
    # the same validations as a new entry, each on its field, and nothing changes
    for bad, field, fragment in (
        ({ids.MINUTES: "9h"}, ids.MINUTES, "Höchstens 8 Stunden"),
        ({ids.MINUTES: "30", ids.NOTE: "an kunde@example.com"}, ids.NOTE, "keine E-Mail-Adressen"),
        ({ids.MINUTES: "30", ids.DATE: (TODAY + timedelta(days=1)).isoformat()}, ids.DATE, "Zukunft"),
    ):
        refused = submit(app, form, {**values, **bad}, view_id="VEDIT2")
        assert fragment in refused["errors"][field]
    assert entries(database)[1][1] == 480
    # moved to yesterday, it leaves today's total (and stays in the week's)
    submit(app, form, {**values, ids.DATE: (TODAY - timedelta(days=1)).isoformat()}, view_id="VEDIT3")
    again = text_of(command(app, "log 8h Noch ein Handbuch")["blocks"])
    assert "Gespeichert: *8 Stunden*" in again and "Diese Woche bisher: *24 Stunden*" in again


def test_change_keeps_the_daily_limit(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "log 8h Handbuch")
    command(app, "log 7h Protokolle")
    command(app, "log 1h Mails")
    listing = command(app, "log liste")
    seven_hours = buttons(listing["blocks"], ids.EDIT_LOG)[1]
    interaction(app, button_click(ids.EDIT_LOG, seven_hours, response_url=local_slack.response_url("e")))
    answer = submit(app, views_opened(local_slack)[-1], {ids.MINUTES: "7h30", ids.TOOL: "claude"}, view_id="VE")
    assert "schon 9 Stunden erfasst; möglich sind noch 7 Stunden" in answer["errors"][ids.MINUTES]
    assert [e[1] for e in entries(database)] == [480, 420, 60]


def test_app_home_shows_the_last_five_entries_with_buttons(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    for n in range(6):
        command(app, f"log {n + 1} Eintrag {n + 1} mit Claude")
    home = open_home(app, local_slack)
    shown = text_of(home["blocks"])
    assert "Deine letzten Einträge" in shown
    assert "*26.11.2026* · 6 Minuten · Claude\nNotiz: Eintrag 6 mit Claude" in shown
    assert "Eintrag 2 mit" in shown and "Eintrag 1 mit" not in shown
    edit, delete = buttons(home["blocks"], ids.EDIT_LOG), buttons(home["blocks"], ids.DELETE_LOG)
    assert len(edit) == len(delete) == 5
    click = button_click(ids.DELETE_LOG, delete[0])
    click.pop("response_url")
    click.pop("channel")
    click["view"] = {"id": "VHOME", "type": "home", "hash": "h", "blocks": [], "private_metadata": ""}
    click["container"] = {"type": "view", "view_id": "VHOME"}
    interaction(app, click)
    home = as_view(local_slack.calls_to("views.publish")[-1])
    assert "Eintrag 6 mit" not in text_of(home["blocks"]) and "Eintrag 1 mit" in text_of(home["blocks"])
    assert [e[1] for e in entries(database)] == [1, 2, 3, 4, 5]


# -- a new use case from the logging modal --------------------------------------------------------------


def test_log_modal_creates_a_use_case_and_links_the_entry(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    command(app, "admin beispiele", user="UADMIN")
    command(app, "log")
    form = views_opened(local_slack)[-1]
    assert ids.NEW_USE_CASE in {b.get("block_id") for b in form["blocks"]}
    values = {ids.MINUTES: "25", ids.TOOL: "claude", ids.NEW_USE_CASE: "Protokolle zusammenfassen"}
    answer = submit(app, form, values, view_id="VNEW1")
    assert "Anwendungsfall: Protokolle zusammenfassen (`#protokolle-zusammenfassen`)" in text_of(
        answer["view"]["blocks"]
    )
    submit(app, form, values, view_id="VNEW1")  # sent twice: one use case, one entry
    assert entries(database) == [("U0ANNA", 25, "claude", "protokolle-zusammenfassen", "", TODAY)]
    listing = text_of(command(app, "usecase")["blocks"])
    assert "Protokolle zusammenfassen" in listing and "noch ohne Schätzung" in listing


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({ids.NEW_USE_CASE: "angebotserstellung"}, "gibt es schon"),
        ({ids.NEW_USE_CASE: "Rückrufe an 0171 1234567"}, "keine Telefonnummern"),
        ({ids.NEW_USE_CASE: "x" * 81}, "höchstens 80 Zeichen"),
        ({ids.NEW_USE_CASE: "Neu", ids.USE_CASE: "first"}, "nicht beides"),
    ],
)
def test_a_refused_new_use_case_stores_nothing(
    app: App, local_slack: LocalSlackApi, database: Database, values: dict[str, str], fragment: str
) -> None:
    command(app, "admin beispiele", user="UADMIN")
    command(app, "log")
    form = views_opened(local_slack)[-1]
    if values.get(ids.USE_CASE) == "first":
        values = {**values, ids.USE_CASE: form_options(form, ids.USE_CASE)[0]}
    answer = submit(app, form, {ids.MINUTES: "25", ids.TOOL: "claude", **values}, view_id="VNEW2")
    assert fragment in answer["errors"][ids.NEW_USE_CASE]
    assert entries(database) == []
    with database.unit_of_work(TEAM) as uow:
        assert len(uow.session.scalars(select(UseCase.id)).all()) == 3


def test_a_refused_entry_leaves_no_new_use_case(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    command(app, "log 8h Handbuch")
    command(app, "log 8h Handbuch")
    command(app, "log")
    form = views_opened(local_slack)[-1]
    assert ids.NEW_USE_CASE in {b.get("block_id") for b in form["blocks"]}
    values = {ids.MINUTES: "30", ids.TOOL: "claude", ids.NEW_USE_CASE: "Protokolle zusammenfassen"}
    answer = submit(app, form, values, view_id="VNEW3")
    assert "Mehr als 16 Stunden" in answer["errors"][ids.MINUTES]
    assert stored(database, UseCase.id) == []


def test_new_use_case_modal_refuses_personal_data_on_its_field(app: App, local_slack: LocalSlackApi) -> None:
    command(app, "usecase neu")
    form = views_opened(local_slack)[-1]
    good = {ids.TITLE: "Protokolle", ids.ESTIMATE: "2h", ids.STATUS: Status.DISCARDED, ids.LEARNING: "Zu ungenau"}
    title = submit(app, form, {**good, ids.TITLE: "Mails an max@firma.de"}, view_id="VUC1")
    assert "keine E-Mail-Adressen" in title["errors"][ids.TITLE]
    learning = submit(app, form, {**good, ids.LEARNING: "Rückruf 0171 1234567"}, view_id="VUC2")
    assert "keine Telefonnummern" in learning["errors"][ids.LEARNING]


def form_options(view: dict[str, Any], block_id: str) -> list[str]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return [o["value"] for o in block["element"]["options"]]


def test_a_company_rule_that_counts_logs_promotes_on_the_log_that_reaches_it(
    database: Database, local_slack: LocalSlackApi
) -> None:
    """With the shipped rule a log cannot change a stage, so a log does not derive it; a company whose rule
    asks for logs gets its promotion on the log that reaches the minimum, and back on taking it back."""
    with bolt_app(database, local_slack) as (app, deps):
        stages = deps.catalogs.curriculum.stages
        counting_logs = replace(stages[1], requires=Requirements({"min_logs": 2}))
        curriculum = replace(deps.catalogs.curriculum, stages=(stages[0], counting_logs))
        deps.catalogs = replace(deps.catalogs, curriculum=curriculum)

        def congratulations() -> list[str]:
            sent = local_slack.calls_to("chat.postMessage")
            return [
                c.params["text"] for c in sent if c.params["channel"] == "U0ANNA" and "Glückwunsch" in c.params["text"]
            ]

        command(app, "log 10 ChatGPT Entwurf")
        assert congratulations() == []
        command(app, "log 10 ChatGPT Entwurf")
        assert len(congratulations()) == 1 and "Stufe 2 – KI-Spezialist" in congratulations()[0]
        with database.unit_of_work(TEAM) as uow:
            assert find_member(uow, "U0ANNA").career_stage == "spezialist"
            latest = uow.session.scalars(select(UsageLog.id).order_by(UsageLog.id.desc())).first()
        interaction(app, button_click(ids.UNDO_LOG, str(latest), response_url=local_slack.response_url("u")))
        with database.unit_of_work(TEAM) as uow:
            assert find_member(uow, "U0ANNA").career_stage == "anwender"
