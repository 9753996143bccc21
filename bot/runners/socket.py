"""Socket Mode: Slack connects out from behind the company firewall; no public URL needed. Each listener's
answer goes back over the socket when the listener returns; the work after it runs on the follow-up pool."""

from __future__ import annotations

import logging
import signal
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.runners import REQUEST_THREADS, exit_cleanly

log = logging.getLogger(__name__)


def run_socket_mode(bolt_app: App, app_token: str) -> None:
    """Until SIGTERM or SIGINT. Then the socket is closed and the messages being handled are finished before
    this returns, so that the caller's shutdown of the follow-up pool comes after everything they hand over."""
    handler = SocketModeHandler(bolt_app, app_token, concurrency=REQUEST_THREADS)
    handler.connect()  # a refused app token is raised here, before anything needs closing
    signal.signal(signal.SIGTERM, exit_cleanly)
    log.info("connected to Slack over Socket Mode")
    try:
        threading.Event().wait()
    finally:
        # The messages being handled are answered over the socket, so it stays open until they are: no new
        # message is taken off it, the workers finish, then it closes (slack_sdk's close() closes it first).
        client = handler.client
        client.closed = True  # the message processor's loop and the reconnects end on this flag
        client.message_processor.shutdown()
        client.message_workers.shutdown(wait=True)
        handler.close()
