"""What a request does before its answer leaves, through the HTTP server (the replay check included), with
the work after the answer held back: the answer does not wait for DMs or App Home, and a known member's
request sends few SQL statements. The bounds are what the path needs today; a change that makes it grow
fails here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from bot.app import build_app
from bot.catalogs import load_catalogs
from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database
from bot.deps import Deps
from bot.follow_ups import FollowUps
from bot.runners.http import create_web_app
from tests.blockkit import text_of
from tests.conftest import FIXED_NOW, SIGNING_SECRET, make_settings, signed_headers, slash_command_body
from tests.slack_payloads import HeldExecutor, as_view
from tests.statements import counted_statements

# SQLite counts its BEGIN (PostgreSQL's is not a statement of its own here). A log: BEGIN, the request's
# claim, the member (locked), the day's and the week's minutes, the entry.
LOG_BOUND = 5
# A request that only reads runs without a transaction: the member.
HELP_BOUND = 1
# Help's, and the person's numbers: their days with minutes, their tools and use cases, the latest
# self-check, the modules done.
STATS_BOUND = 5


@pytest.fixture
def web(database: Database, local_slack: LocalSlackApi) -> Iterator[tuple[TestClient, HeldExecutor]]:
    local_slack.add_user(SlackUser("U0ANNA", "anna", locale="de-DE"))
    held = HeldExecutor()
    deps = Deps(
        settings=make_settings(slack_api_url=local_slack.url),
        database=database,
        catalogs=load_catalogs(),
        clock=lambda: FIXED_NOW,
        follow_ups=FollowUps(held),
    )
    yield TestClient(create_web_app(build_app(deps), database, SIGNING_SECRET, clock=lambda: FIXED_NOW)), held


def test_the_answer_leaves_before_app_home_is_refreshed(
    web: tuple[TestClient, HeldExecutor], database: Database, local_slack: LocalSlackApi
) -> None:
    client, held = web
    for minutes in (10, 15):
        body = slash_command_body(f"log {minutes} ChatGPT")
        response = client.post("/slack/events", content=body, headers=signed_headers(body))
        assert response.status_code == 200
        assert f"{minutes} Min" in response.json()["text"]
    assert local_slack.calls_to("views.publish") == []
    held.run_held()
    # Both requests asked for a refresh before either ran: one refresh shows the latest state.
    published = local_slack.calls_to("views.publish")
    assert len(published) == 1
    assert "25 Minuten (2 Einträge)" in text_of(as_view(published[0])["blocks"])


def statements_before_answer(web: tuple[TestClient, HeldExecutor], database: Database, text: str) -> list[str]:
    client, held = web
    body = slash_command_body(text)
    with counted_statements(database.engine) as sent:
        response = client.post("/slack/events", content=body, headers=signed_headers(body))
    assert response.status_code == 200, response.text
    assert response.json()["response_type"] == "ephemeral"
    held.run_held()
    return sent


def test_a_known_members_log_help_and_stats_send_few_statements_before_the_answer(
    web: tuple[TestClient, HeldExecutor], database: Database
) -> None:
    statements_before_answer(web, database, "log 10 ChatGPT")
    for _ in range(2):
        log = statements_before_answer(web, database, "log 15 ChatGPT")
        assert len(log) <= LOG_BOUND, log
        help = statements_before_answer(web, database, "")
        assert len(help) <= HELP_BOUND, help
        stats = statements_before_answer(web, database, "stats")
        assert len(stats) <= STATS_BOUND, stats


def test_a_known_members_request_stores_nothing_about_the_member(
    web: tuple[TestClient, HeldExecutor], database: Database
) -> None:
    """The member and workspace rows are created on first contact, not written again on every request."""
    statements_before_answer(web, database, "log 10 ChatGPT")
    for text in ("", "log 15 ChatGPT", "stats"):
        written = [
            s
            for s in statements_before_answer(web, database, text)
            if s.lstrip().upper().startswith(("INSERT INTO MEMBERS", "INSERT INTO WORKSPACES", "UPDATE MEMBERS"))
        ]
        assert written == [], (text, written)
