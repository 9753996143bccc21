"""Events: App Home opened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from handlers.context import member_turn, publish_home

if TYPE_CHECKING:
    from bot.app import Deps


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(on_app_home_opened)


def on_app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Bolt acknowledges events itself; the home is published fresh on every open."""
    if event.get("tab", "home") != "home":
        return
    team_id, user_id = body["team_id"], event["user"]
    with member_turn(deps, client, team_id, user_id) as turn:
        first_contact = turn.first_contact
    publish_home(deps, client, team_id, user_id, show_notice=first_contact)
