"""Socket Mode: Slack connects out from behind the company firewall; no public URL needed. Each listener's
answer goes back over the socket when the listener returns; the work after it runs on the follow-up pool."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.runners import REQUEST_THREADS


def run_socket_mode(bolt_app: App, app_token: str) -> None:
    SocketModeHandler(bolt_app, app_token, concurrency=REQUEST_THREADS).start()
