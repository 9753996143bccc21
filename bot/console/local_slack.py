"""A small Slack Web API on loopback: answers the methods KI-Lotse calls and records every call.

The console points the bot's client at it (`SLACK_API_URL`); tests own instances of it to see exactly
what the bot sent and to make Slack misbehave: 429 and 5xx answers, slow answers, and connections dropped
before or after Slack processed the call.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class SlackUser:
    id: str
    name: str
    locale: str = "de-DE"
    tz: str = "Europe/Berlin"
    deleted: bool = False
    # A single- or multi-channel guest (Slack's `is_restricted`).
    guest: bool = False
    # Invited to the workspace and not joined yet (Slack's `is_invited_user`).
    invited: bool = False


@dataclass
class _Failure:
    status: int
    retry_after: int | None
    remaining: int
    error: str


class Drop(StrEnum):
    """Where a dropped connection breaks: before Slack did anything, or after it processed the call
    (the message is posted, but the caller never hears so)."""

    BEFORE = "before"
    AFTER = "after"


class LoopbackService:
    """A stand-in for a web service, on a free loopback port: `start()` serves `_handle` in a thread of its own
    and returns the URL to point the bot at, `stop()` ends it."""

    thread_name = "loopback"
    _server: ThreadingHTTPServer | None = None

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    @property
    def url(self) -> str:
        raise NotImplementedError

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return int(self._server.server_address[1])

    def start(self) -> str:
        self._server = serve_on_loopback(self._handle, self.thread_name)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            stop_serving(self._server)


@dataclass
class LocalSlackApi(LoopbackService):
    team_id: str = "T0LOCAL"
    bot_user_id: str = "U0KILOTSE"
    # Told of every answered call with the answer given, e.g. to show it in the console.
    on_call: Callable[[ApiCall, dict[str, Any]], None] | None = None
    users: dict[str, SlackUser] = field(default_factory=dict)
    # When set, only these bot tokens are accepted (others get invalid_auth, as Slack answers).
    valid_tokens: set[str] | None = None
    # Where `apps.connections.open` sends Socket Mode (a test's WebSocket); None: the app token is refused.
    socket_url: str | None = None
    # Reactions on the bot's messages, by message ts: (emoji name, how many people).
    reactions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    thread_name = "local-slack"

    def __post_init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._lock = threading.Lock()
        self._failures: dict[str, _Failure] = {}
        self._delays: dict[str, float] = {}
        self._drops: dict[str, tuple[Drop, int]] = {}
        # Calls answered without the caller hearing it, e.g. a post processed before its connection dropped.
        self.unheard: list[ApiCall] = []
        self._last_ts_us = 0
        # Files uploaded through files.getUploadURLExternal, by file id: (filename, bytes).
        self.uploads: dict[str, tuple[str, bytes]] = {}

    # -- control -----------------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base + "/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    def add_user(self, user: SlackUser) -> None:
        self.users[user.id] = user

    def fail(
        self, method: str, *, status: int = 429, retry_after: int | None = 1, times: int = 1, error: str = "ratelimited"
    ) -> None:
        """Answer the next `times` calls of `method` with `status` and `error` (by default 429 with
        Retry-After; `status=200, error="not_in_channel"` is how Slack refuses a post)."""
        with self._lock:
            self._failures[method] = _Failure(status, retry_after if status == 429 else None, times, error)

    def delay(self, method: str, seconds: float) -> None:
        """Answer `method` only after `seconds`, like a slow Slack."""
        with self._lock:
            self._delays[method] = seconds

    def drop(self, method: str, where: Drop, *, times: int = 1) -> None:
        """Close the connection of the next `times` calls of `method` without an answer, before or after
        processing them."""
        with self._lock:
            self._drops[method] = (where, times)

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    # -- serving -----------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        if parsed.path.startswith("/upload/"):
            file_id = parsed.path.rsplit("/", 1)[-1]
            with self._lock:
                name = self.uploads.get(file_id, ("", b""))[0]
                self.uploads[file_id] = (name, request.rfile.read(length))
            request.send_response(200)
            request.send_header("Content-Length", "2")
            request.end_headers()
            request.wfile.write(b"OK")
            return
        raw = request.rfile.read(length).decode("utf-8") if length else ""
        params: dict[str, Any] = dict(parse_qsl(parsed.query))
        if raw:
            if (request.headers.get("Content-Type") or "").startswith("application/json"):
                params.update(json.loads(raw))
            else:
                params.update(parse_qsl(raw))
        auth = request.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.pop("token", None)
        if auth.startswith("Basic "):
            # oauth.v2.access: the app's client id and secret instead of a token.
            client_id, _, secret = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
            params.update(client_id=client_id, client_secret=secret)
            token = f"app:{client_id}"
        if parsed.path.startswith("/response/"):
            method = "response_url"
            params["response_url"] = parsed.path.rsplit("/", 1)[-1]
        else:
            method = parsed.path.removeprefix("/api/")

        with self._lock:
            pause = self._delays.get(method, 0.0)
            dropped = self._take_drop(method, Drop.BEFORE)
        if pause:
            time.sleep(pause)
        if dropped:
            request.close_connection = True
            return
        with self._lock:
            failure = self._failures.get(method)
            if failure is not None and failure.remaining > 0:
                failure.remaining -= 1
                self.calls.append(ApiCall(method, params, token))
                self._send(request, failure.status, {"ok": False, "error": failure.error}, failure.retry_after)
                return
        call = ApiCall(method, params, token)
        with self._lock:
            self.calls.append(call)
            dropped = self._take_drop(method, Drop.AFTER)
        if method != "response_url" and not token:
            answer = {"ok": False, "error": "not_authed"}
        elif method != "response_url" and self.valid_tokens is not None and token not in self.valid_tokens:
            answer = {"ok": False, "error": "invalid_auth"}
        else:
            answer = self._answer(call)
        if self.on_call is not None and answer.get("ok"):
            self.on_call(call, answer)
        if dropped:
            with self._lock:
                self.unheard.append(call)
            request.close_connection = True
            return
        self._send(request, 200, answer)

    def _take_drop(self, method: str, where: Drop) -> bool:
        planned, remaining = self._drops.get(method, (None, 0))
        if planned is not where or remaining <= 0:
            return False
        self._drops[method] = (where, remaining - 1)
        return True

    def _send(
        self, request: BaseHTTPRequestHandler, status: int, body: dict[str, Any], retry_after: int | None = None
    ) -> None:
        payload = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(payload)))
        if retry_after is not None:
            request.send_header("Retry-After", str(retry_after))
        request.end_headers()
        # The caller may have given up waiting (its timeout), as it may with Slack.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            request.wfile.write(payload)

    def _next_ts(self) -> str:
        """A message timestamp as Slack makes them: the posting time in microseconds, never repeated, so
        that a later run on the same database never reuses one."""
        with self._lock:
            self._last_ts_us = max(time.time_ns() // 1000, self._last_ts_us + 1)
            seconds, micros = divmod(self._last_ts_us, 1_000_000)
        return f"{seconds}.{micros:06d}"

    @staticmethod
    def _new_id(prefix: str) -> str:
        """A view or file id, unique across runs: the bot keys stored submissions by view id."""
        return prefix + uuid.uuid4().hex[:10].upper()

    def _answer(self, call: ApiCall) -> dict[str, Any]:
        p = call.params
        match call.method:
            case "auth.test":
                return {
                    "ok": True,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "bot_id": "B0KILOTSE",
                    "team": "Local",
                    "user": "ki-lotse",
                    "url": self.base + "/",
                }
            case "users.info":
                user = self.users.get(str(p.get("user")))
                if user is None:
                    return {"ok": False, "error": "user_not_found"}
                return {
                    "ok": True,
                    "user": {
                        "id": user.id,
                        "team_id": self.team_id,
                        "name": user.name,
                        "real_name": user.name,
                        "deleted": user.deleted,
                        "tz": user.tz,
                        "locale": user.locale if p.get("include_locale") in (True, "true", "1") else None,
                    },
                }
            case "oauth.v2.access":
                # A code names the workspace it installs: `code-T2` installs T2 with the token `xoxb-T2`.
                team = str(p.get("code") or "").removeprefix("code-")
                if not team or p.get("client_secret") is None:
                    return {"ok": False, "error": "invalid_code"}
                return {
                    "ok": True,
                    "access_token": f"xoxb-{team}",
                    "token_type": "bot",
                    "scope": "commands,chat:write",
                    "bot_user_id": self.bot_user_id,
                    "app_id": "A0KILOTSE",
                    "team": {"id": team, "name": f"Firma {team}"},
                    "authed_user": {"id": f"U0INSTALL{team}"},
                }
            case "reactions.get":
                ts = str(p.get("timestamp"))
                listed = [{"name": name, "count": count, "users": []} for name, count in self.reactions.get(ts, [])]
                message: dict[str, Any] = {"type": "message", "ts": ts}
                if listed:  # Slack leaves the field out for a message nobody reacted to
                    message["reactions"] = listed
                return {"ok": True, "type": "message", "channel": p.get("channel"), "message": message}
            case "users.list":
                members = [
                    {
                        "id": user.id,
                        "team_id": self.team_id,
                        "name": user.name,
                        "real_name": user.name,
                        "deleted": user.deleted,
                        "is_bot": False,
                        "is_restricted": user.guest,
                        "is_ultra_restricted": False,
                        **({"is_invited_user": True} if user.invited else {}),
                        "profile": {"real_name": user.name, "display_name": user.name},
                        # Slack says only when asked.
                        **({"locale": user.locale} if str(p.get("include_locale")).lower() in ("1", "true") else {}),
                    }
                    for user in list(self.users.values())
                ]
                return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}
            case "chat.postMessage" | "chat.update":
                ts = p.get("ts") or self._next_ts()
                return {
                    "ok": True,
                    "channel": p.get("channel"),
                    "ts": ts,
                    "message": {"text": p.get("text"), "blocks": p.get("blocks"), "ts": ts},
                }
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": self._next_ts()}
            case "conversations.open":
                users = str(p.get("users") or "")
                return {"ok": True, "channel": {"id": "D" + users.replace(",", "")[:20].upper()}}
            case "views.open" | "views.push" | "views.update" | "views.publish":
                view = p.get("view")
                view = json.loads(view) if isinstance(view, str) else view
                view_id = p.get("view_id") or self._new_id("V")
                return {"ok": True, "view": {**(view or {}), "id": view_id, "hash": self._next_ts()}}
            case "response_url":
                return {"ok": True}
            case "apps.connections.open":
                # Without a WebSocket to name, Socket Mode is answered as Slack answers a token it refuses.
                if self.socket_url is None:
                    return {"ok": False, "error": "invalid_auth"}
                return {"ok": True, "url": self.socket_url}
            case "files.getUploadURLExternal":
                file_id = self._new_id("F")
                with self._lock:
                    self.uploads[file_id] = (str(p.get("filename")), b"")
                return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}
            case "files.completeUploadExternal":
                files = p.get("files")
                files = json.loads(files) if isinstance(files, str) else files
                return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files or []]}
        return {"ok": False, "error": "unknown_method"}


def serve_on_loopback(handle: Callable[[BaseHTTPRequestHandler], None], name: str) -> ThreadingHTTPServer:
    """An HTTP server on a free loopback port, answering GET and POST with `handle`, in a thread of its own."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            handle(self)

        def do_POST(self) -> None:
            handle(self)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the console shows calls its own way."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True).start()
    return server


def stop_serving(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()
