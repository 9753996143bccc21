"""Stopping a server: the requests still being handled finish before the follow-up pool is shut down, so
that what they hand over to it (DMs, App Home) is done, not lost."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from slack_bolt import Ack, App, BoltResponse
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


def test_an_answer_past_the_window_is_given_up_while_the_work_goes_on_and_its_failure_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The hand-over from a request thread: an answer in time is returned, a failure in time is raised, and
    past the window the caller gets TimeoutError while the work still runs; its failure then is logged."""
    release = threading.Event()

    def late_failure() -> BoltResponse:
        release.wait(5)
        raise RuntimeError("the database went away")

    def in_time_failure() -> BoltResponse:
        raise ValueError("unreadable")

    def in_time_timeout() -> BoltResponse:
        raise TimeoutError("a socket inside the dispatch")

    def stopping() -> BoltResponse:
        raise SystemExit(0)

    async def scenario() -> None:
        with ThreadPoolExecutor(2) as threads:
            answer = await http._answer_within(threads, 1.0, lambda: BoltResponse(status=200, body="ok"))
            assert (answer.status, answer.body) == (200, "ok")
            with pytest.raises(ValueError, match="unreadable"):
                await http._answer_within(threads, 1.0, in_time_failure)
            # A timeout inside the dispatch is its failure, not Slack's window passing; nor does any failure
            # wait for the window.
            began = time.monotonic()
            with pytest.raises(TimeoutError, match="a socket") as raised:
                await http._answer_within(threads, 5.0, in_time_timeout)
            assert not isinstance(raised.value, http._PastWindow)
            with pytest.raises(SystemExit):
                await http._answer_within(threads, 5.0, stopping)
            assert time.monotonic() - began < 4.0
            with pytest.raises(http._PastWindow):
                await http._answer_within(threads, 0.1, late_failure)
            release.set()
            for _ in range(200):
                if any(record.exc_info for record in caplog.records):
                    break
                await asyncio.sleep(0.01)

    with caplog.at_level(logging.ERROR, logger=http.__name__):
        asyncio.run(scenario())
    failures = [record for record in caplog.records if record.exc_info]
    assert [(record.getMessage(), str(record.exc_info[1])) for record in failures if record.exc_info] == [
        ("a signed Slack request could not be handled", "the database went away")
    ]
