"""Button values and form metadata are typed by nobody but can be made up: a week never asked about, a
quarter whose retrospective is not open, another person's entry. Each is refused and nothing is stored."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date

import pytest
from slack_bolt import App
from sqlalchemy import func, select

from bot.catalogs import load_catalogs
from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.domain.buddies import Answer
from bot.domain.use_cases import Status
from bot.i18n import Translator
from bot.models import BuddyCheckIn, RetroResponse, UsageLog
from bot.render import ids
from bot.render.buddies import rating_modal
from bot.render.log_form import log_modal
from bot.render.rituals import retro_modal
from bot.render.use_cases import new_use_case_modal, status_modal
from jobs.scheduler import run_job
from tests.conftest import TEAM
from tests.jobs.test_buddy_jobs import THURSDAY_10_BERLIN, pair_up
from tests.jobs.test_rituals import people
from tests.rows import stored
from tests.slack_payloads import bolt_app, button_click, interaction, view_submission, views_opened


@pytest.fixture
def bolt(database: Database, local_slack: LocalSlackApi) -> Iterator[tuple[App, Deps]]:
    with bolt_app(database, local_slack, admin_user_ids="UADMIN") as app_and_deps:
        yield app_and_deps


def count(database: Database, model: type) -> int:
    with database.unit_of_work(TEAM) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("week", ["2020-01-06", "9999-12-27", "2026-11-30", "2026-11-16"])
def test_a_checkin_answer_for_a_week_never_asked_is_refused(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database, week: str
) -> None:
    app, deps = bolt
    pair_id = pair_up(database)
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)  # asks about the week of 23 November
    url = local_slack.response_url("c")
    interaction(app, button_click(ids.CHECKIN_ANSWER, f"{pair_id}:{week}:ja", user="UMENTEE", response_url=url))
    assert "kenne ich nicht" in local_slack.calls_to("response_url")[-1].params["text"]
    assert stored(database, BuddyCheckIn.answer) == [None]
    interaction(app, button_click(ids.CHECKIN_ANSWER, f"{pair_id}:2026-11-23:ja", user="UMENTEE", response_url=url))
    assert stored(database, BuddyCheckIn.answer) == [Answer.YES]


@pytest.mark.parametrize("quarter", ["2020-Q1", "9999-Q4", "2027-Q1", "Q4", "", "2026-Q4' OR 1=1"])
def test_a_retro_answer_for_a_quarter_that_is_not_open_is_refused(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database, quarter: str
) -> None:
    app, _ = bolt
    people(database, {"Vertrieb": 1})
    form = {**retro_modal(Translator("de"), quarter), "private_metadata": quarter}
    answer = json.loads(
        interaction(app, view_submission(form, {ids.RETRO_RATING: "5"}, view_id="VR1", user="UVER0")).body
    )
    assert "nicht offen" in answer["errors"][ids.RETRO_RATING]
    assert count(database, RetroResponse) == 0
    opened = len(views_opened(local_slack))
    interaction(app, button_click(ids.RETRO_OPEN, quarter, user="UVER0", response_url=local_slack.response_url("r")))
    assert len(views_opened(local_slack)) == opened
    assert "nicht offen" in local_slack.calls_to("response_url")[-1].params["text"]


def test_only_the_running_quarters_retro_can_be_answered(bolt: tuple[App, Deps], database: Database) -> None:
    """The last quarter's survey closed with its quarter (its results are released once, then never change)."""
    app, _ = bolt
    people(database, {"Vertrieb": 2})
    answers = []
    for n, quarter in enumerate(("2026-Q4", "2026-Q3")):
        form = retro_modal(Translator("de"), quarter)
        answers.append(
            json.loads(
                interaction(app, view_submission(form, {ids.RETRO_RATING: "4"}, view_id=f"VR{n}", user="UVER0")).body
            )
        )
    assert answers[0]["response_action"] == "update"
    assert answers[1]["response_action"] == "errors" and "abgeschlossen" in answers[1]["errors"][ids.RETRO_RATING]
    assert count(database, RetroResponse) == 1


TOOLS = load_catalogs().tools
TAMPERED = ["9" * 30, "²", "-1", "abc", "1e3"]


@pytest.mark.parametrize("tampered", TAMPERED)
def test_tampered_ids_in_buttons_and_forms_are_refused_without_a_traceback(
    bolt: tuple[App, Deps],
    local_slack: LocalSlackApi,
    database: Database,
    tampered: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, _ = bolt
    tr = Translator("de")
    url = local_slack.response_url("t")
    for action_id, value in (
        (ids.UNDO_LOG, tampered),
        (ids.USE_CASE_MENU, f"status:{tampered}"),
        (ids.RSVP, tampered),
        (ids.CHECKIN_ANSWER, f"{tampered}:2026-11-23:ja"),
        (ids.RATING_OPEN, tampered),
        (ids.SUMMARY_OPEN, tampered),
    ):
        assert interaction(app, button_click(action_id, value, response_url=url)).status == 200
    forms = [
        ({**status_modal(tr, 1, "x", Status.IDEA, None), "private_metadata": tampered}, {ids.STATUS: "pilot"}),
        ({**rating_modal(tr, 1), "private_metadata": tampered}, {ids.RATING: "5"}),
        (
            {**log_modal(tr, load_catalogs().tools, [], date(2026, 11, 26)), "private_metadata": tampered},
            {ids.MINUTES: "5"},
        ),
    ]
    for n, (form, values) in enumerate(forms):
        answer = json.loads(interaction(app, view_submission(form, values, view_id=f"VT{n}")).body)
        assert answer["response_action"] == "errors"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    assert count(database, UsageLog) == 0


@pytest.mark.parametrize(("field", "value"), [(ids.DATE, "2026-13-45"), (ids.DATE, "gestern"), (ids.TOOL, "\x00")])
def test_a_log_form_with_a_choice_no_form_offers_is_refused(
    bolt: tuple[App, Deps], database: Database, field: str, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = bolt
    form = log_modal(Translator("de"), TOOLS, [], date(2026, 11, 26))
    payload = view_submission(form, {ids.MINUTES: "5"}, view_id="VD")
    payload["view"]["state"]["values"][field] = {field: {"type": "plain_text_input", "value": value}}
    answer = json.loads(interaction(app, payload).body)
    assert answer["response_action"] in ("errors", "update")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    if answer["response_action"] == "errors":
        assert count(database, UsageLog) == 0


def test_a_use_case_status_no_form_offers_is_refused(bolt: tuple[App, Deps], caplog: pytest.LogCaptureFixture) -> None:
    app, _ = bolt
    form = new_use_case_modal(Translator("de"), ["IT"])
    payload = view_submission(form, {ids.TITLE: "Protokolle"}, view_id="VS")
    payload["view"]["state"]["values"][ids.STATUS] = {
        ids.STATUS: {"type": "static_select", "selected_option": {"value": "bogus"}}
    }
    answer = json.loads(interaction(app, payload).body)
    assert answer["response_action"] == "errors"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
