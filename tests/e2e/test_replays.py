"""The HTTP server in-process: each signed request is handled once, and what is not signed is 401."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.domain.rituals import RitualKind
from bot.models import HandledRequest, Rsvp, UsageLog
from bot.runners.http import create_web_app
from bot.services.requests import KEEP_KEYS, PRUNE_EVERY, claim_request
from tests.conftest import FIXED_NOW, SIGNING_SECRET, signed_headers, slash_command_body
from tests.slack_payloads import SettlingExecutor, app_home_opened, bolt_app


@pytest.fixture
def web(database: Database, local_slack: LocalSlackApi) -> Iterator[tuple[TestClient, App]]:
    with bolt_app(database, local_slack) as (app, _deps):
        client = TestClient(create_web_app(app, database, SIGNING_SECRET, clock=lambda: FIXED_NOW))
        yield client, app


def send(web: tuple[TestClient, App], body: str, headers: dict[str, str]) -> Any:
    client, app = web
    response = client.post("/slack/events", content=body, headers=headers)
    executor = app.listener_runner.listener_executor
    assert isinstance(executor, SettlingExecutor)
    executor.settle()
    return response


def count(database: Database, model: Any) -> int:
    with database.unit_of_work("T0TEST") as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_replayed_slash_command_is_acknowledged_and_stored_once(
    web: tuple[TestClient, App], database: Database
) -> None:
    body = slash_command_body("log 45 Angebot mit ChatGPT")
    first = send(web, body, signed_headers(body))
    assert first.status_code == 200 and "45" in first.text
    for _ in range(3):
        again = send(web, body, signed_headers(body))
        assert again.status_code == 200
        assert again.text == ""
    assert count(database, UsageLog) == 1
    other = slash_command_body("log 45 Angebot mit ChatGPT")
    assert send(web, other, signed_headers(other)).status_code == 200
    assert count(database, UsageLog) == 2


def test_an_event_delivered_again_does_no_work(
    web: tuple[TestClient, App], database: Database, local_slack: LocalSlackApi
) -> None:
    body = app_home_opened()
    headers = {**signed_headers(body), "content-type": "application/json"}
    assert send(web, body, headers).status_code == 200
    published = len(local_slack.calls_to("views.publish"))
    assert published == 1
    retry = {**signed_headers(body), "content-type": "application/json", "x-slack-retry-num": "1"}
    assert send(web, body, retry).status_code == 200
    assert send(web, body, headers).status_code == 200
    assert len(local_slack.calls_to("views.publish")) == published


def test_a_replayed_click_acts_once(web: tuple[TestClient, App], database: Database) -> None:
    from urllib.parse import urlencode

    from bot.services import rituals
    from tests.slack_payloads import button_click

    with database.unit_of_work("T0TEST") as uow:
        from bot.services.members import ensure_member

        ensure_member(uow, "U0ANNA", "de")
        event = rituals.event_at(uow, RitualKind.OFFICE_HOURS, FIXED_NOW, 30)
        event_id = event.id
    body = urlencode({"payload": json.dumps(button_click("ritual_rsvp", str(event_id)))})
    for _ in range(2):
        assert send(web, body, signed_headers(body)).status_code == 200
    assert count(database, Rsvp) == 1


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "12:00", "9" * 40, "-"])
def test_an_unreadable_timestamp_is_401_and_nothing_stored(
    web: tuple[TestClient, App], database: Database, timestamp: str
) -> None:
    body = slash_command_body("log 45 Angebot")
    headers = {**signed_headers(body), "x-slack-request-timestamp": timestamp}
    response = send(web, body, headers)
    assert response.status_code == 401
    assert count(database, UsageLog) == 0
    assert count(database, HandledRequest) == 0


def test_old_request_keys_are_pruned(database: Database) -> None:
    assert claim_request(database, "trigger:old", FIXED_NOW - KEEP_KEYS * 2)
    assert not claim_request(database, "trigger:old", FIXED_NOW - KEEP_KEYS * 2)
    assert claim_request(database, "trigger:new", FIXED_NOW)
    assert count(database, HandledRequest) == 1
    assert claim_request(database, "trigger:old", FIXED_NOW)


def test_old_keys_are_pruned_now_and_then_not_on_every_request(database: Database) -> None:
    start = FIXED_NOW - KEEP_KEYS * 2
    minute = timedelta(minutes=1)
    assert claim_request(database, "trigger:a", start)
    assert claim_request(database, "trigger:b", start + KEEP_KEYS - minute)
    # "a" is now past KEEP_KEYS, but the last prune was less than PRUNE_EVERY ago: it is still there.
    assert claim_request(database, "trigger:c", start + KEEP_KEYS + minute)
    assert count(database, HandledRequest) == 3
    assert not claim_request(database, "trigger:a", start + KEEP_KEYS + minute)
    later = start + KEEP_KEYS - minute + PRUNE_EVERY + minute
    assert claim_request(database, "trigger:d", later)
    assert count(database, HandledRequest) == 3
    assert claim_request(database, "trigger:a", later)


def test_a_command_whose_text_says_payload_is_still_a_command(web: tuple[TestClient, App], database: Database) -> None:
    body = slash_command_body("log 20 payload eines Webhooks mit ChatGPT erklärt")
    answer = send(web, body, signed_headers(body))
    assert answer.status_code == 200 and answer.json()["text"].startswith(":white_check_mark:")
    assert count(database, UsageLog) == 1
