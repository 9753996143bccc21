"""The global shortcut "Nutzung erfassen": the logging modal from anywhere in Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.render import ids
from bot.render.log_form import log_modal
from bot.services import use_cases
from handlers.context import deliver, member_turn, safe_call

if TYPE_CHECKING:
    from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    app.shortcut(ids.LOG_SHORTCUT)(on_log_shortcut)


def on_log_shortcut(ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext, deps: Deps) -> None:
    ack()
    # Bolt's context has the workspace wherever the payload names it (team, or the user's team).
    team_id, user_id = str(context.team_id), shortcut["user"]["id"]
    with member_turn(deps, client, team_id, user_id) as turn:
        turn.notice_by_dm()
        view = log_modal(turn.tr, deps.catalogs.tools, use_cases.list_use_cases(turn.uow, turn.member), turn.today)
    safe_call(client.views_open, trigger_id=shortcut["trigger_id"], view=view)
    deliver(turn, client, user_id)
