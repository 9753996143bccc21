"""The global shortcut "Nutzung erfassen": the logging modal from anywhere in Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.render import ids
from bot.render.log_form import log_modal
from bot.services import use_cases
from handlers.context import MemberTurn, take_turn
from handlers.surfaces import Modal, Reaction, ShortcutSurface

if TYPE_CHECKING:
    from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    app.shortcut(ids.LOG_SHORTCUT)(on_log_shortcut)


def on_log_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext, deps: Deps
) -> None:
    ack()
    # Bolt's context has the workspace wherever the payload names it (team, or the user's team).
    surface = ShortcutSurface(deps, client, shortcut, respond, str(context.team_id), "shortcut")
    take_turn(surface, log_form, read_only=True)


def log_form(turn: MemberTurn) -> Reaction:
    listed = use_cases.list_use_cases(turn.uow, turn.member)
    return Modal(log_modal(turn.tr, turn.deps.catalogs.tools, listed, turn.today))
