"""Stopping a server: the requests still being handled finish before the follow-up pool is shut down, so
that what they hand over to it (DMs, App Home) is done, not lost."""

from __future__ import annotations

import threading

import httpx
import pytest
import uvicorn
from slack_bolt import Ack, App
from slack_bolt.authorization import AuthorizeResult

from bot.db import Database
from bot.runners import http
from tests.conftest import SIGNING_SECRET, TEAM, eventually, free_port, signed_headers, slash_command_body


def test_a_server_stops_only_after_the_requests_answered_late_have_finished(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request past Slack's window is answered 503 and goes on working; the server waits for it."""
    monkeypatch.setattr(http, "SLACK_ANSWER_SECONDS", 0.2)
    running, release = threading.Event(), threading.Event()
    finished: list[str] = []
    bolt_app = App(
        signing_secret=SIGNING_SECRET,
        authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id=TEAM, bot_token="xoxb-test"),
    )

    @bolt_app.command("/ki")
    def slow(ack: Ack) -> None:
        running.set()
        release.wait(10)
        finished.append("log")
        ack()

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(http.create_web_app(bolt_app, database, SIGNING_SECRET), port=port, log_config=None)
    )
    serving = threading.Thread(target=server.run)
    serving.start()
    try:
        assert eventually(lambda: server.started, timeout=10)
        body = slash_command_body("log 20 ChatGPT")
        answer = httpx.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=signed_headers(body))
        assert answer.status_code == 503 and running.is_set() and finished == []
        server.should_exit = True
        serving.join(1.0)
        assert serving.is_alive(), "the server stopped while a request was still being handled"
    finally:
        release.set()
        serving.join(10)
    assert not serving.is_alive() and finished == ["log"]
