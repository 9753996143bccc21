"""Many people at once: `python -m bot serve` as a real process gets twenty `/ki log` at the same moment while
the same people's App Homes refresh, first from people it has never seen, then from known members. Every
request must be acknowledged (a 404 from Bolt means ack() came too late, which a person sees as
"dispatch_failed" without knowing whether the entry was saved), every answer must say saved, and every entry
must be stored exactly once. Slack publishes App Home slowly here, as it does when busy: refreshes then take
long wherever they run, and no acknowledgement may wait for them. Nothing here measures time."""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database
from bot.models import Member, UsageLog
from tests.conftest import TEAM, eventually, signed_headers, slash_command_body
from tests.e2e.test_http_server import GatedSlackApi, start_server, stop
from tests.slack_payloads import app_home_opened

pytestmark = [pytest.mark.e2e, pytest.mark.load]

# Several people, each logging several times in the same moment; both languages of the answer.
PEOPLE = {"U0LOAD1": "de-DE", "U0LOAD2": "en-US", "U0LOAD3": "de-DE", "U0LOAD4": "en-GB", "U0LOAD5": "de-DE"}
LOGS_EACH = 4
HOME_OPENS_EACH = 2
SAVED = ("Gespeichert", "Saved")
SLOW_VIEWS_PUBLISH_SECONDS = 1.0
# Guards against a hang only: Bolt answers 404 itself once Slack's three seconds have passed.
REQUEST_TIMEOUT_SECONDS = 30
FOLLOW_UP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Sent:
    kind: str
    user: str
    note: str
    # The response_url of a command, named so that an answer sent there can be found.
    answer_to: str
    status: int | str
    body: str


@pytest.fixture
def crowd_slack() -> Iterator[GatedSlackApi]:
    api = GatedSlackApi(team_id=TEAM)
    for user, locale in PEOPLE.items():
        api.add_user(SlackUser(user, user.lower(), locale=locale))
    api.add_user(SlackUser("U0WARMUP", "warmup"))
    api.delay("views.publish", SLOW_VIEWS_PUBLISH_SECONDS)
    api.start()
    yield api
    api.stop()


def send_at_once(url: str, slack: LocalSlackApi, burst: str) -> list[Sent]:
    """Twenty `/ki log`, each with its own note, and the same people's App Home opens, released together."""
    planned = [
        ("log", user, f"ChatGPT Entwurf {burst} {user.lower()} nummer{number}")
        for number in range(LOGS_EACH)
        for user in PEOPLE
    ]
    planned += [("home", user, "") for _ in range(HOME_OPENS_EACH) for user in PEOPLE]
    start = threading.Barrier(len(planned))

    def send(kind: str, user: str, note: str) -> Sent:
        answer_to = f"{burst}-{uuid.uuid4().hex}"
        if kind == "log":
            body = slash_command_body(
                f"log 15 {note}", user=user, response_url=slack.response_url(answer_to), trigger_id=uuid.uuid4().hex
            )
            headers = signed_headers(body)
        else:
            body = app_home_opened(user=user, event_id=f"Ev{uuid.uuid4().hex}")
            headers = {**signed_headers(body), "content-type": "application/json"}
        start.wait()
        try:
            response = httpx.post(url + "/slack/events", content=body, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS)
        except httpx.TransportError as error:
            return Sent(kind, user, note, answer_to, type(error).__name__, "")
        return Sent(kind, user, note, answer_to, response.status_code, response.text)

    with ThreadPoolExecutor(max_workers=len(planned)) as pool:
        return list(pool.map(lambda plan: send(*plan), planned))


def said_saved(sent: Sent, slack: LocalSlackApi) -> bool:
    """The answer in the response, or, if the response left it for later, the one sent to the response_url."""
    if any(word in sent.body for word in SAVED):
        return True
    return any(
        any(word in json.dumps(call.params) for word in SAVED)
        for call in slack.calls_to("response_url")
        if call.params.get("response_url") == sent.answer_to
    )


def stored_notes(database: Database) -> list[tuple[str, str]]:
    with database.unit_of_work(TEAM) as uow:
        rows = uow.session.execute(select(Member.slack_user_id, UsageLog.note).join(Member)).all()
    return [(user, note) for user, note in rows]


def burst_is_answered(server_url: str, slack: GatedSlackApi, burst: str) -> list[Sent]:
    answers = send_at_once(server_url, slack, burst)
    refused = [(a.kind, a.user, a.status, a.body[:120]) for a in answers if a.status != 200]
    assert not refused, f"{burst}: {len(refused)} of {len(answers)} requests not answered 200: {refused}"
    logged = [a for a in answers if a.kind == "log"]
    assert eventually(lambda: all(said_saved(a, slack) for a in logged), timeout=FOLLOW_UP_TIMEOUT_SECONDS), [
        (a.user, a.body[:200]) for a in logged if not said_saved(a, slack)
    ]
    return answers


def test_twenty_concurrent_logs_during_app_home_refreshes_are_acknowledged_and_stored_once(
    database_url: str, migrated_engine: object, database: Database, crowd_slack: GatedSlackApi, tmp_path: Path
) -> None:
    server = start_server(database_url, crowd_slack, tmp_path)
    try:
        warm_up = slash_command_body("hilfe", user="U0WARMUP")
        response = httpx.post(server.url + "/slack/events", content=warm_up, headers=signed_headers(warm_up))
        assert response.status_code == 200
        # First from people the bot has never seen, then at once again from the same people as known members,
        # while the first burst's App Home refreshes may still be under way.
        sent = burst_is_answered(server.url, crowd_slack, "neu") + burst_is_answered(server.url, crowd_slack, "bekannt")

        def refreshed() -> set[str]:
            return {str(call.params.get("user_id")) for call in crowd_slack.calls_to("views.publish")}

        assert eventually(lambda: refreshed() >= set(PEOPLE), timeout=FOLLOW_UP_TIMEOUT_SECONDS), (
            f"no App Home for {set(PEOPLE) - refreshed()}"
        )
    finally:
        stop(server)
    expected = Counter((a.user, a.note) for a in sent if a.kind == "log")
    assert len(expected) == 2 * len(PEOPLE) * LOGS_EACH
    assert Counter(stored_notes(database)) == expected
