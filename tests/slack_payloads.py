"""Request bodies shaped like Slack's, signed like Slack signs them, and checks on what the bot sent."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.oauth.installation_store import Installation, InstallationStore

from bot.app import build_app
from bot.catalogs import load_catalogs
from bot.console.local_slack import ApiCall, LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.follow_ups import FollowUps
from bot.render.ids import COACH_SHORTCUT
from bot.slack.installations import installation_store
from bot.slack.profiles import ProfileDirectory
from tests.blockkit import assert_valid_message, assert_valid_view
from tests.conftest import FIXED_NOW, TEAM, make_settings, signed_headers, slash_command_body
from tests.slack_spec import assert_calls_match_reference


class SettlingExecutor(ThreadPoolExecutor):
    """The app's follow-up pool (also Bolt's listener executor), as in production, but a test can wait until
    every request's work after its answer has finished (DMs, App Home, matching, exports)."""

    def __init__(self) -> None:
        super().__init__(max_workers=5, thread_name_prefix="listener")
        self._futures: list[Future[Any]] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        self._futures.append(future)
        return future

    def settle(self, timeout: float = 10) -> None:
        """Waits for the work, and for work that work queued meanwhile (a coach answer that refreshes App Home)."""
        deadline = time.monotonic() + timeout
        while self._futures and time.monotonic() < deadline:
            wait(list(self._futures), timeout=deadline - time.monotonic())
            self._futures = [f for f in self._futures if not f.done()]
        assert not self._futures, "a listener is still running"


class HeldExecutor(Executor):
    """The follow-up pool for a test that decides when the work after an answer runs: it keeps submitted
    work until `run_held()`, then runs it in order, like a pool with one free thread."""

    def __init__(self) -> None:
        self.held: list[Callable[[], None]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.held.append(lambda: fn(*args, **kwargs))
        future: Future[Any] = Future()
        future.set_result(None)
        return future

    def run_held(self) -> None:
        while self.held:
            self.held.pop(0)()


@contextmanager
def bolt_app(database: Database, slack: LocalSlackApi, **settings: Any) -> Iterator[tuple[App, Deps]]:
    """The production Bolt app on a test database, talking to a loopback Slack, at a fixed "now"."""
    executor = SettlingExecutor()
    deps = Deps(
        settings=make_settings(slack_api_url=slack.url, **settings),
        database=database,
        catalogs=load_catalogs(),
        profiles=ProfileDirectory(),
        clock=lambda: FIXED_NOW,
        follow_ups=FollowUps(executor),
    )
    try:
        yield build_app(deps), deps
    finally:
        executor.shutdown(wait=True)


def dispatch(app: App, body: str, content_type: str = "application/x-www-form-urlencoded") -> BoltResponse:
    """Sends a signed request and waits until the listener has done all its work."""
    headers = {**signed_headers(body), "content-type": content_type}
    response = app.dispatch(BoltRequest(body=body, headers=headers))
    executor = app.listener_runner.listener_executor
    if isinstance(executor, SettlingExecutor):
        executor.settle()
    return response


def command(app: App, text: str, user: str = "U0ANNA", team: str = TEAM, response_url: str | None = None) -> dict:
    kwargs = {"response_url": response_url} if response_url else {}
    response = dispatch(app, slash_command_body(text, user=user, team=team, **kwargs))
    assert response.status == 200, response.body
    return json.loads(response.body) if response.body else {}


def interaction(app: App, payload: dict[str, Any]) -> BoltResponse:
    return dispatch(app, urlencode({"payload": json.dumps(payload)}))


def submit(
    app: App, view: dict[str, Any], values: dict[str, Any], view_id: str = "V0001", user: str = "U0ANNA"
) -> dict[str, Any]:
    """`user` submits the modal `view` with `values`; returns the answer (errors, or the next view, which
    must be valid Block Kit), empty when the modal just closes."""
    response = interaction(app, view_submission(view, values, view_id=view_id, user=user))
    assert response.status == 200, response.body
    answer: dict[str, Any] = json.loads(response.body) if response.body else {}
    if answer.get("view"):
        assert_valid_view(answer["view"])
    return answer


def _base(kind: str, user: str, team: str) -> dict[str, Any]:
    return {
        "type": kind,
        "team": {"id": team, "domain": "firma"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0KILOTSE",
        "token": "unused",
        "trigger_id": f"{time.time_ns()}.trigger",
    }


def block_action(
    action: dict[str, Any],
    user: str = "U0ANNA",
    team: str = TEAM,
    view: dict[str, Any] | None = None,
    response_url: str | None = None,
) -> dict[str, Any]:
    payload = _base("block_actions", user, team)
    payload["actions"] = [{"action_ts": f"{time.time():.6f}", **action}]
    if view is not None:
        payload["view"] = view
        payload["container"] = {"type": "view", "view_id": view["id"]}
    else:
        payload["container"] = {"type": "message", "message_ts": "1.1", "channel_id": "C0GENERAL", "is_ephemeral": True}
        payload["channel"] = {"id": "C0GENERAL", "name": "general"}
        payload["response_url"] = response_url or "https://hooks.slack.invalid/actions/1"
    return payload


def button_click(action_id: str, value: str | None = None, **kwargs: Any) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "block_id": "b1",
        "text": {"type": "plain_text", "text": "x"},
    }
    if value is not None:
        action["value"] = value
    return block_action(action, **kwargs)


def overflow_choice(action_id: str, value: str, **kwargs: Any) -> dict[str, Any]:
    return block_action(
        {
            "type": "overflow",
            "action_id": action_id,
            "block_id": "b1",
            "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value},
        },
        **kwargs,
    )


def view_submission(
    view: dict[str, Any], values: dict[str, Any], view_id: str = "V0001", user: str = "U0ANNA", team: str = TEAM
) -> dict[str, Any]:
    """`values` maps block id → the user's input (text, option value, ISO date, `HH:MM`, channel id, user ids)
    as Slack reports it; a date, time, channel, people or number left alone is reported as the form set it."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        raw = values.get(block["block_id"])
        kind = element["type"]
        if kind in ("static_select", "radio_buttons"):
            chosen = next((o for o in element["options"] if o["value"] == raw), None) if raw is not None else None
            entry = {"type": kind, "selected_option": chosen}
        elif kind == "datepicker":
            entry = {"type": kind, "selected_date": raw or element.get("initial_date")}
        elif kind == "timepicker":
            entry = {"type": kind, "selected_time": raw or element.get("initial_time")}
        elif kind == "conversations_select":
            entry = {"type": kind, "selected_conversation": raw or element.get("initial_conversation")}
        elif kind == "multi_users_select":
            users = [raw] if isinstance(raw, str) else raw
            entry = {"type": kind, "selected_users": users if users is not None else element.get("initial_users", [])}
        elif kind == "multi_static_select":
            chosen_options = [o for o in element["options"] if o["value"] in (raw or [])]
            entry = {"type": kind, "selected_options": chosen_options}
        elif kind == "number_input":
            entry = {"type": kind, "value": raw if raw is not None else element.get("initial_value")}
        else:
            entry = {"type": kind, "value": raw}
        state[block["block_id"]] = {element["action_id"]: entry}
    payload = _base("view_submission", user, team)
    payload["view"] = {**view, "id": view_id, "team_id": team, "hash": "1.abc", "state": {"values": state}}
    return payload


def app_home_opened(user: str = "U0ANNA", team: str = TEAM, event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "unused",
            "team_id": team,
            "api_app_id": "A0KILOTSE",
            "type": "event_callback",
            "event_id": event_id or f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": user,
                "channel": "D0HOME",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
        }
    )


def open_home(app: App, slack: LocalSlackApi, user: str = "U0ANNA") -> dict[str, Any]:
    """`user` opens their App Home; returns the view the bot published for it."""
    response = dispatch(app, app_home_opened(user=user), "application/json")
    assert response.status == 200, response.body
    return as_view(slack.calls_to("views.publish")[-1])


def global_shortcut(callback_id: str, user: str = "U0ANNA", team: str = TEAM) -> dict[str, Any]:
    return {**_base("shortcut", user, team), "callback_id": callback_id, "action_ts": f"{time.time():.6f}"}


def message_shortcut(text: str, author: str, user: str = "U0ANNA", response_url: str | None = None) -> dict[str, Any]:
    """The message shortcut "Prompt verbessern" on a message by `author`, used by `user`."""
    payload = _base("message_action", user, TEAM)
    payload.update(
        {
            "callback_id": COACH_SHORTCUT,
            "action_ts": "1.2",
            "message_ts": "1.1",
            "channel": {"id": "C0GENERAL", "name": "general"},
            "message": {"type": "message", "user": author, "ts": "1.1", "text": text},
            "response_url": response_url or "https://hooks.slack.invalid/actions/1",
        }
    )
    return payload


def as_view(call: ApiCall) -> dict[str, Any]:
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def views_opened(slack: LocalSlackApi) -> list[dict[str, Any]]:
    return [as_view(c) for c in slack.calls if c.method in ("views.open", "views.push")]


def check_everything_sent(slack: LocalSlackApi) -> None:
    """Every message and view the bot sent is valid Block Kit, and every call matches Slack's reference."""
    for call in slack.calls:
        if call.method in ("views.open", "views.push", "views.update", "views.publish"):
            assert_valid_view(as_view(call))
        elif call.method in ("chat.postMessage", "chat.update", "response_url"):
            params = dict(call.params)
            if isinstance(params.get("blocks"), str):
                params["blocks"] = json.loads(params["blocks"])
            assert_valid_message(params)
    assert_calls_match_reference(slack.calls)


OAUTH_CLIENT_ID = "111.222"


def oauth_deps(database: Database, slack: LocalSlackApi, **settings: Any) -> Deps:
    """Deps for several workspaces (Slack's OAuth install, the tokens in the database), at a fixed "now";
    the follow-up work runs inline."""
    return Deps(
        settings=make_settings(
            slack_api_url=slack.url,
            slack_bot_token=None,
            slack_client_id=OAUTH_CLIENT_ID,
            slack_client_secret="client-secret",
            **settings,
        ),
        database=database,
        catalogs=load_catalogs(),
        clock=lambda: FIXED_NOW,
        follow_ups=FollowUps(),
        installations=installation_store(OAUTH_CLIENT_ID, database.engine),
    )


def save_installation(store: InstallationStore, team: str, installer: str) -> None:
    """A workspace installed as Bolt's OAuth flow stores it: its bot token is `xoxb-<team>`."""
    store.save(
        Installation(
            app_id="A0KILOTSE",
            team_id=team,
            user_id=installer,
            bot_token=f"xoxb-{team}",
            bot_id="B0KILOTSE",
            bot_user_id="U0KILOTSE",
            bot_scopes="commands,chat:write",
        )
    )
