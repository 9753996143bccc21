"""Events: App Home opened; a person left Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.services import privacy
from handlers.context import in_unit_of_work, take_turn
from handlers.surfaces import HomeSurface

if TYPE_CHECKING:
    from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(on_app_home_opened)
    app.event("user_change")(on_user_change)


def on_app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Bolt acknowledges events itself; the home is published fresh on every open."""
    if event.get("tab", "home") != "home":
        return
    surface = HomeSurface(deps, client, body["team_id"], event["user"], "app_home_opened")
    take_turn(surface, lambda turn: turn.first_contact, read_only=True)


def on_user_change(event: dict[str, Any], body: dict[str, Any], deps: Deps) -> None:
    """An account deleted in Slack is deactivated at once: no job reaches it and no count includes it from
    now on; the daily retention job erases it after the retention period. Nobody new is recorded here."""
    user = event.get("user") or {}
    if not user.get("deleted") or not user.get("id"):
        return
    team_id = body.get("team_id") or user.get("team_id") or ""
    in_unit_of_work(deps, team_id, lambda uow: privacy.deactivate(uow, user["id"], deps.clock()))
