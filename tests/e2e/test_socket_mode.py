"""Socket Mode as Slack runs it: `python -m bot socket` asks `apps.connections.open` (the loopback fake) for a
WebSocket, a fake Slack on that socket says hello and delivers a slash command envelope, and the bot answers
over the socket with the envelope's id; the entry is stored, and SIGTERM stops the process cleanly."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

from aiohttp import WSMsgType, web
from sqlalchemy import create_engine, text

from bot.console.local_slack import LocalSlackApi
from tests.conftest import TEAM, eventually, free_port, spawn_bot, stop_process
from tests.e2e.test_http_server import GatedSlackApi

COMMAND = {
    "token": "unused",
    "team_id": TEAM,
    "team_domain": "firma",
    "channel_id": "C0GENERAL",
    "channel_name": "general",
    "user_id": "U0ANNA",
    "user_name": "anna",
    "command": "/ki",
    "text": "log 45 Angebot mit ChatGPT",
    "api_app_id": "A0KILOTSE",
    "is_enterprise_install": "false",
    "response_url": "https://hooks.slack.invalid/commands/1",
    "trigger_id": "111.222.socket",
}


class FakeSocket:
    """A WebSocket that greets like Slack, sends one envelope, and keeps what the bot sends back."""

    def __init__(self, text: str = COMMAND["text"]) -> None:
        self.command = {**COMMAND, "text": text}
        self.port = free_port()
        self.received: list[dict[str, Any]] = []
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {}}))
        envelope = {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "payload": self.command,
            "accepts_response_payload": True,
        }
        await socket.send_str(json.dumps(envelope))
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.received.append(json.loads(message.data))
        return socket

    def start(self) -> None:
        async def serve() -> None:
            app = web.Application()
            app.router.add_get("/link", self._socket)
            self._runner = web.AppRunner(app)
            await self._runner.setup()
            await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(serve(), self._loop).result(timeout=10)

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)


def spawn_socket_bot(folder: Path, output: IO[str], slack_url: str, database_url: str) -> subprocess.Popen[str]:
    return spawn_bot(
        ["socket"],
        folder,
        output,
        SLACK_BOT_TOKEN="xoxb-socket",
        SLACK_APP_TOKEN="xapp-1-socket",
        SLACK_API_URL=slack_url,
        DATABASE_URL=database_url,
        SCHEDULER_IN_PROCESS="false",
    )


def test_a_slash_command_over_socket_mode_is_acknowledged_and_stored(tmp_path: Path) -> None:
    socket = FakeSocket()
    socket.start()
    slack = LocalSlackApi(team_id=TEAM, socket_url=socket.url)
    slack.start()
    database_url = f"sqlite:///{tmp_path / 'socket.db'}"
    log_path = tmp_path / "socket.log"
    try:
        with log_path.open("w") as output:
            process = spawn_socket_bot(tmp_path, output, slack.url, database_url)
            try:
                acked = lambda: any(m.get("envelope_id") == "env-1" for m in socket.received)  # noqa: E731
                assert eventually(acked, timeout=120), log_path.read_text()
            finally:
                stop_process(process)
    finally:
        slack.stop()
        socket.stop()
    # SIGTERM closes the socket and finishes the work in hand before the process ends, as `serve` does.
    assert process.returncode == 0, log_path.read_text()
    assert "stopped: the scheduled work and the work after answers are finished" in log_path.read_text()
    ack = next(m for m in socket.received if m.get("envelope_id") == "env-1")
    assert "45" in json.dumps(ack["payload"], ensure_ascii=False)  # the confirmation came back over the socket
    assert [c.token for c in slack.calls_to("apps.connections.open")] == ["xapp-1-socket"]
    with create_engine(database_url).connect() as connection:
        stored = connection.execute(text("SELECT minutes, tool FROM usage_logs")).all()
    assert [tuple(row) for row in stored] == [(45, "chatgpt")]


def test_a_command_being_handled_when_the_process_stops_is_still_answered_over_the_socket(tmp_path: Path) -> None:
    """SIGTERM while a listener waits on Slack (views.open for the logging modal): the socket stays open until
    the answer has gone out, then the process ends cleanly."""
    socket = FakeSocket(text="log")
    socket.start()
    slack = GatedSlackApi(team_id=TEAM, socket_url=socket.url)
    slack.start()
    opening = slack.hold("views.open")
    log_path = tmp_path / "socket.log"
    try:
        with log_path.open("w") as output:
            process = spawn_socket_bot(tmp_path, output, slack.url, f"sqlite:///{tmp_path / 'socket.db'}")
            try:
                assert opening.wait(timeout=120), log_path.read_text()
                process.terminate()
                time.sleep(0.5)  # the stop has begun while the listener still waits
                slack.release("views.open")
                process.wait(timeout=30)
            finally:
                stop_process(process)
    finally:
        slack.stop()
        socket.stop()
    assert any(m.get("envelope_id") == "env-1" for m in socket.received), log_path.read_text()
    assert process.returncode == 0, log_path.read_text()
