"""Button values and form metadata are typed by nobody but can be made up: a week never asked about, a
quarter whose retrospective is not open, another person's entry. Each is refused and nothing is stored."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from slack_bolt import App
from sqlalchemy import func, select

from bot.app import Deps
from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.i18n import Translator
from bot.models import BuddyCheckIn, RetroResponse
from bot.render import ids
from bot.render.rituals import retro_modal
from jobs.scheduler import run_job
from tests.conftest import TEAM
from tests.jobs.test_buddy_jobs import THURSDAY_10_BERLIN, pair_up
from tests.jobs.test_rituals import people
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
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalars(select(BuddyCheckIn.answer)).all() == [None]
    interaction(app, button_click(ids.CHECKIN_ANSWER, f"{pair_id}:2026-11-23:ja", user="UMENTEE", response_url=url))
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalars(select(BuddyCheckIn.answer)).all() == ["ja"]


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


def test_the_retro_of_this_and_the_last_quarter_can_be_answered(bolt: tuple[App, Deps], database: Database) -> None:
    app, _ = bolt
    people(database, {"Vertrieb": 2})
    for n, quarter in enumerate(("2026-Q4", "2026-Q3")):
        form = retro_modal(Translator("de"), quarter)
        answer = json.loads(
            interaction(app, view_submission(form, {ids.RETRO_RATING: "4"}, view_id=f"VR{n}", user="UVER0")).body
        )
        assert answer["response_action"] == "update"
    assert count(database, RetroResponse) == 2
