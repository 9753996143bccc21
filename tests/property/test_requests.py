"""Generated requests, signed like Slack signs them, through the real HTTP app: `/ki` texts and malformed
interactivity and event bodies never get a 5xx, never leave a traceback in the log, and a refusal stores
nothing."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt import App
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot import models
from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.domain.use_cases import Status
from bot.i18n import Translator
from bot.render import ids
from bot.render.buddies import rating_modal
from bot.render.log_form import log_modal
from bot.render.rituals import retro_modal, summary_modal
from bot.render.use_cases import new_use_case_modal, status_modal
from bot.runners.http import create_web_app
from tests.conftest import FIXED_NOW, SIGNING_SECRET, TEAM, signed_headers, slash_command_body
from tests.slack_payloads import (
    SettlingExecutor,
    app_home_opened,
    bolt_app,
    button_click,
    global_shortcut,
    view_submission,
)

# What people store; members and workspaces appear on first contact, whatever the request asks.
STORED = (
    models.UsageLog,
    models.Tip,
    models.UseCase,
    models.UseCaseAdoption,
    models.Assessment,
    models.ModuleCompletion,
    models.BuddyCheckIn,
    models.BuddyRating,
    models.Rsvp,
    models.RetroResponse,
)
BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Problems(logging.Handler):
    """Every error or traceback logged while a request is handled."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or record.exc_info is not None


@pytest.fixture
def web(database: Database, local_slack: LocalSlackApi) -> Iterator[tuple[TestClient, App, Problems]]:
    problems = Problems()
    problems.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(problems)
    try:
        with bolt_app(database, local_slack) as (app, _):
            yield TestClient(create_web_app(app, database, SIGNING_SECRET, clock=lambda: FIXED_NOW)), app, problems
    finally:
        root.removeHandler(problems)


def stored(database: Database) -> dict[str, int]:
    with database.unit_of_work(TEAM) as uow:
        return {
            model.__tablename__: int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
            for model in STORED
        }


def post(web: tuple[TestClient, App, Problems], body: str, content_type: str) -> Any:
    client, app, problems = web
    problems.records.clear()
    response = client.post(
        "/slack/events", content=body, headers={**signed_headers(body), "content-type": content_type}
    )
    executor = app.listener_runner.listener_executor
    assert isinstance(executor, SettlingExecutor)
    executor.settle()
    assert response.status_code < 500, (response.status_code, body[:500])
    assert "Traceback" not in response.text
    logged = [f"{r.name}: {r.getMessage()}" for r in problems.records]
    problems.records.clear()
    assert logged == [], (logged, body[:500])
    return response


# -- /ki texts --------------------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "log",
        "tip",
        "stats",
        "usecase",
        "status",
        "adopt",
        "pfad",
        "erledigt",
        "buddy",
        "pause",
        "notiz",
        "top",
        "sprache",
        "profil",
        "bereich",
        "admin",
        "retro",
        "45",
        "1h30",
        "9" * 40,
        "-5",
        "#angebot",
        "anonym",
        "\x00",
    ]
)
KI_TEXT = st.lists(st.one_of(WORDS, st.text(max_size=30)), max_size=6).map(" ".join)


@BOUNDED
@given(text=KI_TEXT)
def test_any_ki_text_gets_an_answer_and_a_refusal_stores_nothing(
    web: tuple[TestClient, App, Problems], database: Database, text: str
) -> None:
    before = stored(database)
    response = post(web, slash_command_body(text), "application/x-www-form-urlencoded")
    answer = response.json() if response.text else {}
    if str(answer.get("text", "")).startswith(":warning:"):
        assert stored(database) == before


# -- malformed interactivity and event bodies -----------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
ACTION_IDS = [value for name, value in vars(ids).items() if name.isupper() and isinstance(value, str)]


def templates() -> list[dict[str, Any]]:
    tr = Translator("de")
    event = models.RitualEvent(id=1, team_id=TEAM, kind="monthly_update", starts_at=FIXED_NOW, minutes=30)
    forms = [
        (log_modal(tr, _tools(), [], FIXED_NOW.date()), {ids.MINUTES: "45", ids.NOTE: "Angebot", ids.TOOL: "chatgpt"}),
        (retro_modal(tr, "2026-Q4"), {ids.RETRO_RATING: "4", ids.RETRO_WORKS: "gut"}),
        (status_modal(tr, 1, "Angebote", Status.IDEA, None), {ids.STATUS: "pilot"}),
        (summary_modal(tr, event), {ids.SUMMARY: "Copilot", ids.SUMMARY_LINK: "https://wiki.example/x"}),
        (rating_modal(tr, 1), {ids.RATING: "5"}),
        (new_use_case_modal(tr, ["IT"]), {ids.TITLE: "Protokolle", ids.ESTIMATE: "2h"}),
    ]
    return [
        *(button_click(action_id, "1") for action_id in ACTION_IDS),
        global_shortcut(ids.LOG_SHORTCUT),
        *(view_submission(form, values, view_id="V1") for form, values in forms),
        json.loads(app_home_opened()),
    ]


def _tools() -> Any:
    from bot.catalogs import load_catalogs

    return load_catalogs().tools


TEMPLATES = templates()


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


@st.composite
def malformed(draw: st.DrawFn) -> dict[str, Any]:
    payload = json.loads(json.dumps(draw(st.sampled_from(TEMPLATES))))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        where = paths(payload)
        if not where:
            break
        path = draw(st.sampled_from(where))
        parent = payload
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON)
    # A fresh trigger and event id each time, so that no example is taken for a replay of another.
    if "trigger_id" in payload:
        payload["trigger_id"] = f"{time.time_ns()}.trigger"
    if "event_id" in payload:
        payload["event_id"] = f"Ev{time.time_ns()}"
    return payload


@BOUNDED
@given(payload=malformed())
def test_malformed_signed_payloads_get_no_5xx_no_traceback_and_store_nothing(
    web: tuple[TestClient, App, Problems], database: Database, local_slack: LocalSlackApi, payload: dict[str, Any]
) -> None:
    if isinstance(payload.get("response_url"), str):
        payload["response_url"] = local_slack.response_url("p")
    before = stored(database)
    if payload.get("type") == "event_callback" or "event" in payload:
        response = post(web, json.dumps(payload), "application/json")
    else:
        response = post(web, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    answer = response.json() if response.text.startswith("{") else {}
    if response.status_code >= 400 or answer.get("response_action") == "errors":
        assert stored(database) == before
