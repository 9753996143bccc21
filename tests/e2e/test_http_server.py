"""`python -m bot serve` as a real process, Slack-signed HTTP requests, a loopback fake Slack Web API."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode, urlparse

import httpx
import pytest
from sqlalchemy import select

from bot.console.local_slack import ApiCall, LocalSlackApi, SlackUser
from bot.db import Database
from bot.models import Member, UsageLog
from jobs.scheduler import JOBS
from tests.blockkit import assert_valid_message, text_of
from tests.conftest import (
    SIGNING_SECRET,
    TEAM,
    bot_env,
    eventually,
    free_port,
    run_bot,
    signed_headers,
    slash_command_body,
    stop_process,
)
from tests.proxies import StallingProxy, TcpProxy
from tests.slack_spec import assert_calls_match_reference, problems_with

pytestmark = pytest.mark.e2e


class GatedSlackApi(LocalSlackApi):
    """The fake Slack, able to keep the calls of one method pending until the test releases them: tests
    order events instead of measuring how long something took."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self._gates: dict[str, tuple[threading.Event, threading.Event]] = {}

    def hold(self, method: str) -> threading.Event:
        """From now on `method` is not answered until `release`; the returned event is set on its first call."""
        arrived = threading.Event()
        self._gates[method] = (arrived, threading.Event())
        return arrived

    def release(self, method: str) -> None:
        self._gates.pop(method)[1].set()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        gate = self._gates.get(urlparse(request.path).path.removeprefix("/api/"))
        if gate is not None:
            gate[0].set()
            gate[1].wait(timeout=60)
        super()._handle(request)


def answers_health(url: str) -> bool:
    try:
        return httpx.get(url + "/healthz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    slack: GatedSlackApi
    log: Path


def spawn_serve(
    slack: LocalSlackApi, database_url: str, port: int, cwd: Path, output: IO[str], **env: str
) -> subprocess.Popen[str]:
    """`python -m bot serve` on `port`, signed with the tests' secret, talking to the fake `slack`, writing
    its log to `output`; `env` adds settings."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd,
        env=bot_env(
            SLACK_BOT_TOKEN="xoxb-e2e-token",
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.url,
            DATABASE_URL=database_url,
            **env,
        ),
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )


def start_server(database_url: str, slack: GatedSlackApi, cwd: Path) -> Server:
    port = free_port()
    log_file = (cwd / f"server-{port}.log").open("w")
    process = spawn_serve(
        slack,
        database_url,
        port,
        cwd,
        log_file,
        ADMIN_USER_IDS="UADMIN",
        # Jobs firing at real quarter hours would add calls the assertions do not expect.
        SCHEDULER_IN_PROCESS="false",
    )
    url = f"http://127.0.0.1:{port}"
    # A guard against a hang only: a busy machine may take long to start Python.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {(cwd / f'server-{port}.log').read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code in (200, 503):
                return Server(url, process, slack, cwd / f"server-{port}.log")
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("server did not come up")


def stop(server: Server) -> None:
    stop_process(server.process)


@pytest.fixture(scope="module")
def slack() -> Iterator[GatedSlackApi]:
    api = GatedSlackApi(team_id=TEAM)
    api.add_user(SlackUser("U0ANNA", "anna", locale="de-DE"))
    api.add_user(SlackUser("U0JOHN", "john", locale="en-GB", tz="Europe/London"))
    api.start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def server(
    database_url: str, migrated_engine: object, slack: GatedSlackApi, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    running = start_server(database_url, slack, tmp_path_factory.mktemp("serve"))
    yield running
    stop(running)


def post(server: Server, body: str | bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(server.url + "/slack/events", content=body, headers=headers, timeout=10)


def modal_opened_by(server: Server, text: str) -> dict[str, Any]:
    """Sends `/ki text` over HTTP, waits for the modal the bot opens after its answer, returns its view."""
    before = len(server.slack.calls_to("views.open"))
    body = slash_command_body(text)
    assert post(server, body, signed_headers(body)).status_code == 200
    assert eventually(lambda: len(server.slack.calls_to("views.open")) > before)
    opened = server.slack.calls_to("views.open")[-1].params["view"]
    return json.loads(opened) if isinstance(opened, str) else opened


def logs(database: Database) -> list[tuple[str, int, str | None, str]]:
    with database.unit_of_work(TEAM) as uow:
        rows = uow.session.execute(
            select(Member.slack_user_id, UsageLog.minutes, UsageLog.tool, UsageLog.team_id).join(Member)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_slash_command_log_is_stored_and_confirmed(server: Server, database: Database) -> None:
    body = slash_command_body("admin beispiele", user="UADMIN")
    assert "Angebotserstellung" in post(server, body, signed_headers(body)).json()["text"]
    body = slash_command_body("log 45 Angebot mit ChatGPT #angebot")
    response = post(server, body, signed_headers(body))
    assert response.status_code == 200
    reply = response.json()
    assert reply["response_type"] == "ephemeral"
    assert_valid_message(reply)
    assert "Gespeichert: *45 Minuten* mit *ChatGPT*" in text_of(reply["blocks"])
    assert "Angebotserstellung" in text_of(reply["blocks"])
    assert logs(database) == [("U0ANNA", 45, "chatgpt", TEAM)]
    assert all(call.token == "xoxb-e2e-token" for call in server.slack.calls)
    assert {call.method for call in server.slack.calls} >= {"auth.test", "users.info"}
    assert_calls_match_reference(server.slack.calls)


def test_stats_in_the_members_slack_language(server: Server, database: Database) -> None:
    for text in ("log 1h DeepL", "log 30 Claude"):
        body = slash_command_body(text, user="U0JOHN")
        assert post(server, body, signed_headers(body)).status_code == 200
    body = slash_command_body("stats", user="U0JOHN")
    reply = post(server, body, signed_headers(body)).json()
    assert_valid_message(reply)
    visible = text_of(reply["blocks"])
    assert "*All time*\n1 hour 30 minutes (2 entries)" in visible
    assert "DeepL (1 hour), Claude (30 minutes)" in visible


@pytest.mark.parametrize("text", ["log abc", "log 0", "log -5", "log 9h", "log Angebot 45", "zaubern"])
def test_bad_input_is_explained_and_nothing_stored(server: Server, database: Database, text: str) -> None:
    body = slash_command_body(text)
    response = post(server, body, signed_headers(body))
    assert response.status_code == 200
    reply = response.json()
    assert_valid_message(reply)
    assert reply["text"].startswith(":warning:")
    assert "Beispiel: `/ki" in text_of(reply["blocks"])
    assert logs(database) == []


def test_bad_signature_and_stale_timestamp_are_401(server: Server, database: Database) -> None:
    body = slash_command_body("log 45 ChatGPT")
    assert post(server, body, signed_headers(body, secret="not-the-secret")).status_code == 401
    stale = signed_headers(body, timestamp=int(time.time()) - 10 * 60)
    assert post(server, body, stale).status_code == 401
    unsigned = {"content-type": "application/x-www-form-urlencoded"}
    assert post(server, body, unsigned).status_code == 401
    tampered = signed_headers(body)
    assert post(server, body.replace("45", "480"), tampered).status_code == 401
    assert logs(database) == []


def test_a_refused_request_leaves_no_user_text_in_the_log(server: Server) -> None:
    body = slash_command_body("tip Vertraulicher Prompt für Kunde Müller")
    assert post(server, body, signed_headers(body, secret="not-the-secret")).status_code == 401
    payload = "payload=" + quote(json.dumps({"type": "view_submission", "note": "Geheime Notiz"}))
    assert post(server, payload, signed_headers(payload, secret="not-the-secret")).status_code == 401
    assert post(server, "payload=%7Bnot-json Geheim", signed_headers("x", secret="nope")).status_code == 401
    log = server.log.read_text()
    assert "refused a request without a valid Slack signature" in log
    assert "Vertraulich" not in log and "Geheim" not in log and "body:" not in log


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ("", "application/x-www-form-urlencoded"),
        ("payload=" + json.dumps({"type": "block_actions"}), "application/x-www-form-urlencoded"),
        ("payload=" + json.dumps([1, 2, 3]), "application/x-www-form-urlencoded"),
        ("command=%2Fki&text=log+45", "application/x-www-form-urlencoded"),
        (
            urlencode({"command": "/unbekannt", "team_id": TEAM, "user_id": "U0ANNA", "text": "x"}),
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_malformed_signed_bodies_get_4xx_never_500(
    server: Server, database: Database, body: str, content_type: str
) -> None:
    headers = {**signed_headers(body), "content-type": content_type}
    response = post(server, body, headers)
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert "Traceback" not in response.text
    assert logs(database) == []


def test_bodies_that_are_not_utf8_or_too_big_get_4xx(server: Server) -> None:
    garbage = b"\xff\xfe\x00payload"
    assert 400 <= post(server, garbage, {"content-type": "text/plain"}).status_code < 500
    huge = "text=" + "x" * 1_100_000
    assert post(server, huge, signed_headers(huge)).status_code == 413


def test_healthz_reports_the_database(server: Server) -> None:
    response = httpx.get(server.url + "/healthz", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_a_listener_stuck_in_a_slack_call_does_not_stall_other_requests(server: Server, database: Database) -> None:
    """Ordered by events, not measured by a clock: while one listener waits for Slack, others are answered."""
    user = f"U0SLOW{server.process.pid}"
    server.slack.add_user(SlackUser(user, "slow", locale="de-DE"))
    publishes = len(server.slack.calls_to("views.publish"))
    arrived = server.slack.hold("views.publish")
    try:
        body = slash_command_body("log 20 ChatGPT", user=user)
        answer = post(server, body, signed_headers(body))
        # The answer left before App Home is refreshed; that refresh now hangs in Slack.
        assert "Gespeichert" in answer.json()["text"]
        assert arrived.wait(timeout=30), "App Home was never refreshed"
        assert httpx.get(server.url + "/healthz", timeout=30).json() == {"status": "ok", "database": "ok"}
        body = slash_command_body("stats", user=user)
        assert "20 Minuten" in text_of(post(server, body, signed_headers(body)).json()["blocks"])
        assert len(server.slack.calls_to("views.publish")) == publishes, "the held call was answered too early"
    finally:
        server.slack.release("views.publish")
    assert eventually(lambda: len(server.slack.calls_to("views.publish")) > publishes)


def test_a_slow_users_info_does_not_delay_the_answer(server: Server, database: Database) -> None:
    user = f"U0LATE{server.process.pid}"
    server.slack.add_user(SlackUser(user, "late", locale="en-US"))
    arrived = server.slack.hold("users.info")
    try:
        body = slash_command_body("log 25 ChatGPT", user=user)
        answer = post(server, body, signed_headers(body)).json()
        assert arrived.is_set()
        # Answered without the profile (so in the workspace language) while users.info is still pending.
        assert "Gespeichert" in answer["text"]
        assert not [call for call in server.slack.calls_to("users.info") if call.params.get("user") == user]
    finally:
        server.slack.release("users.info")
    assert eventually(lambda: any(c.params.get("user") == user for c in server.slack.calls_to("users.info")))


def test_web_api_429_is_retried_after_retry_after(server: Server, database: Database) -> None:
    user = f"U0RATE{server.process.pid}"  # the fake Slack outlives this server: a user of its own
    server.slack.add_user(SlackUser(user, "rate", locale="en-US"))
    server.slack.fail("users.info", status=429, retry_after=1, times=1)
    body = slash_command_body("log 15 Gemini", user=user)
    assert post(server, body, signed_headers(body)).status_code == 200

    def lookups() -> list[ApiCall]:
        return [c for c in server.slack.calls_to("users.info") if c.params.get("user") == user]

    assert eventually(lambda: len(lookups()) >= 2), "the 429 was not retried"
    first, retry = lookups()
    # A lower bound on the fake's own clock: a busy machine can only make the gap longer.
    assert retry.at - first.at >= 1.0, "the retry did not wait for Retry-After"
    # The profile arrived through the retry: the next answer is in English.
    body = slash_command_body("stats", user=user)
    assert "Your AI balance" in post(server, body, signed_headers(body)).json()["text"]
    assert len(lookups()) == 2, "asked again although the profile is cached"


def test_healthz_is_503_while_postgres_is_unreachable(
    postgres_url: str, migrated_engine: object, slack: LocalSlackApi, tmp_path: Path
) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxied = url.set(port=proxy.port).render_as_string(hide_password=False)
    server = start_server(proxied, slack, tmp_path)
    try:
        assert httpx.get(server.url + "/healthz", timeout=5).status_code == 200
        proxy.cut()
        response = httpx.get(server.url + "/healthz", timeout=15)
        assert response.status_code == 503
        assert response.json()["database"] == "unreachable"
        body = slash_command_body("log 10 ChatGPT")
        reply = post(server, body, signed_headers(body))
        assert reply.status_code == 200
        assert "nichts gespeichert" in reply.json()["text"]
        proxy.restore()
        assert httpx.get(server.url + "/healthz", timeout=15).status_code == 200
    finally:
        stop(server)
        proxy.close()


def test_a_stalled_postgres_never_stores_what_the_person_was_told_failed(
    postgres_url: str, slack: GatedSlackApi, tmp_path: Path
) -> None:
    from sqlalchemy.engine import make_url

    from bot.db import make_engine
    from bot.migrate import upgrade_to_head
    from tests.conftest import make_settings

    engine = make_engine(make_settings(postgres_url).sqlalchemy_url)
    upgrade_to_head(engine)
    database = Database(engine)

    url = make_url(postgres_url)
    proxy = StallingProxy((url.host or "127.0.0.1", url.port or 5432))
    server = start_server(url.set(port=proxy.port).render_as_string(hide_password=False), slack, tmp_path)
    try:
        warm_up = slash_command_body("hilfe")
        assert post(server, warm_up, signed_headers(warm_up)).status_code == 200
        proxy.flowing.clear()
        body = slash_command_body("log 17 Angebot mit ChatGPT", response_url=slack.response_url("stalled"))
        answered = post(server, body, signed_headers(body))
        # Slack's window passed without an answer; the work is still waiting on the database.
        assert answered.status_code != 200 or "nichts gespeichert" in answered.text
        # Past the deadline the stalled connection is cut, so the person is told while the database still
        # stalls, and the thread that waited on it is free again.
        assert eventually(
            lambda: bool([c for c in slack.calls_to("response_url") if c.params["response_url"] == "stalled"])
        )
        told = [c for c in slack.calls_to("response_url") if c.params["response_url"] == "stalled"]
        assert "nichts gespeichert" in told[0].params["text"]
        proxy.flowing.set()
        assert [row for row in logs(database) if row[1] == 17] == []
    finally:
        stop(server)
        proxy.flowing.set()
        proxy.close()
        engine.dispose()


def test_a_refused_bot_token_stops_start_up_with_exit_2(tmp_path: Path) -> None:
    strict = LocalSlackApi(team_id=TEAM, valid_tokens={"xoxb-the-real-one"})
    strict.start()
    try:
        result = run_bot(
            ["serve", "--port", str(free_port())],
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-e2e-token",
            SLACK_SIGNING_SECRET="s",
            SLACK_API_URL=strict.url,
            DATABASE_URL="sqlite:///refused.db",
        )
    finally:
        strict.stop()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("configuration error: SLACK_BOT_TOKEN was refused by Slack")
    assert "invalid_auth" in last
    assert "xoxb-e2e-token" not in result.stderr


def test_the_reference_check_catches_a_wrong_call() -> None:
    from bot.console.local_slack import ApiCall

    assert problems_with(ApiCall("chat.postMessage", {"text": "hi", "colour": "red"}, "xoxb")) == [
        "chat.postMessage: unknown parameter 'colour'",
        "chat.postMessage: required parameter 'channel' missing",
    ]
    assert problems_with(ApiCall("chat.postMesage", {}, "xoxb")) == ["chat.postMesage is not a Slack Web API method"]


def test_modal_and_app_home_over_signed_http(server: Server, database: Database) -> None:
    """The logging modal: opened by the command, submitted as Slack submits it; App Home on open."""
    from tests.slack_payloads import app_home_opened, view_submission

    view = modal_opened_by(server, "log")
    payload = view_submission(view, {"minutes": "25", "tool": "perplexity", "note": "Recherche"}, view_id="VE2E")
    form = urlencode({"payload": json.dumps(payload)})
    for _ in range(2):  # Slack users double-click; one record
        response = post(server, form, signed_headers(form))
        assert response.status_code == 200
        assert response.json()["response_action"] == "update"
    assert "25 Minuten* mit *Perplexity*" in text_of(response.json()["view"]["blocks"])
    assert logs(database) == [("U0ANNA", 25, "perplexity", TEAM)]
    bad = view_submission(view, {"minutes": "9h", "tool": "perplexity"}, view_id="VE2F")
    form = urlencode({"payload": json.dumps(bad)})
    errors = post(server, form, signed_headers(form)).json()
    assert errors["response_action"] == "errors" and "Höchstens 8 Stunden" in errors["errors"]["minutes"]
    publishes = len(server.slack.calls_to("views.publish"))
    event = app_home_opened()
    assert post(server, event, {**signed_headers(event), "content-type": "application/json"}).status_code == 200
    assert eventually(lambda: len(server.slack.calls_to("views.publish")) > publishes)
    assert_calls_match_reference(server.slack.calls)


def test_serve_runs_the_scheduler_in_process_unless_told_not_to(slack: LocalSlackApi, tmp_path: Path) -> None:
    for setting, expected in (("true", True), ("false", False)):
        port = free_port()
        log = tmp_path / f"serve-{setting}.log"
        with log.open("w") as output:
            process = spawn_serve(slack, "sqlite:///scheduler.db", port, tmp_path, output, SCHEDULER_IN_PROCESS=setting)
            try:
                url = f"http://127.0.0.1:{port}"
                assert eventually(partial(answers_health, url)), log.read_text()
            finally:
                process.terminate()
                process.wait(timeout=10)
        text = log.read_text()
        assert ("jobs scheduled in this process: " + ", ".join(sorted(JOBS)) in text) is expected, text


def test_slack_url_verification_and_ssl_check(server: Server) -> None:
    """What Slack sends when an operator enters the request URL: a signed challenge to echo back."""
    challenge = json.dumps(
        {
            "token": "unused",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    response = post(server, challenge, {**signed_headers(challenge), "content-type": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    ssl_check = "ssl_check=1&token=unused"
    assert post(server, ssl_check, signed_headers(ssl_check)).status_code == 200


def test_socket_mode_with_a_refused_app_token_stops_with_exit_2(slack: LocalSlackApi, tmp_path: Path) -> None:
    result = run_bot(
        [],
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-e2e-token",
        SLACK_APP_TOKEN="xapp-1-refused",
        SLACK_API_URL=slack.url,
        DATABASE_URL="sqlite:///socket.db",
        SCHEDULER_IN_PROCESS="false",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "configuration error: SLACK_APP_TOKEN was refused by Slack (invalid_auth)"
    )
    assert [c.method for c in slack.calls_to("apps.connections.open")]


def test_data_export_and_erasure_over_signed_http(server: Server, database: Database) -> None:
    """`/ki daten export` sends the person's data to their DM; `löschen`, confirmed in the modal, erases the
    person and keeps the entry de-identified for the totals."""
    from bot.models import PLACEHOLDER_PREFIX
    from bot.render import ids
    from tests.slack_payloads import view_submission

    body = slash_command_body("log 30 Protokoll mit DeepL")
    assert post(server, body, signed_headers(body)).status_code == 200
    body = slash_command_body("daten export")
    assert post(server, body, signed_headers(body)).status_code == 200

    def exported() -> dict[str, bytes]:
        # A file is listed when its upload URL is asked for, and has content once it was sent there.
        uploads = server.slack.uploads.values()
        return {name: content for name, content in uploads if name.startswith("ki-lotse-daten") and content}

    assert eventually(lambda: len(exported()) == 2)
    data = json.loads(next(content for name, content in exported().items() if name.endswith(".json")))
    assert "Protokoll mit DeepL" in json.dumps(data, ensure_ascii=False) and "U0ANNA" in json.dumps(data)

    view = modal_opened_by(server, "daten löschen")
    wrong = urlencode({"payload": json.dumps(view_submission(view, {ids.DATA_CONFIRM: "ja"}, view_id="VDEL1"))})
    assert post(server, wrong, signed_headers(wrong)).json()["response_action"] == "errors"
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalars(select(Member).where(Member.slack_user_id == "U0ANNA")).one_or_none()
    form = urlencode({"payload": json.dumps(view_submission(view, {ids.DATA_CONFIRM: "löschen"}, view_id="VDEL2"))})
    response = post(server, form, signed_headers(form))
    assert response.status_code == 200 and response.json()["response_action"] == "update"
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalars(select(Member).where(Member.slack_user_id == "U0ANNA")).one_or_none() is None
        entry = uow.session.scalars(select(UsageLog)).one()
        owner = uow.session.get_one(Member, entry.member_id)
        assert entry.minutes == 30 and entry.note == "" and owner.slack_user_id.startswith(PLACEHOLDER_PREFIX)
    assert_calls_match_reference(server.slack.calls)
