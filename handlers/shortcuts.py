"""The global shortcut "Nutzung erfassen" (the logging modal from anywhere in Slack) and the message shortcut
"Prompt verbessern" (the prompt coach on one's own message)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.errors import UserError
from bot.render import ids
from bot.render.blocks import Message
from bot.render.log_form import log_modal
from bot.services import use_cases
from handlers.coach import accept_prompt, shortcut_text
from handlers.context import MemberTurn, take_turn
from handlers.surfaces import ClickSurface, Modal, Notice, Reaction, ShortcutSurface, Waiting

if TYPE_CHECKING:
    from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    app.shortcut(ids.LOG_SHORTCUT)(on_log_shortcut)
    app.shortcut(ids.COACH_SHORTCUT)(on_coach_shortcut)


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


def on_coach_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext, deps: Deps
) -> None:
    """The coach on a message: only one's own (someone else's words are theirs to send), answered below it."""
    ack()
    message = shortcut.get("message") or {}
    own = message.get("user") == shortcut["user"]["id"]
    surface = ClickSurface(deps, client, shortcut, respond, str(context.team_id), "coach shortcut")
    take_turn(surface, lambda turn: coach_message(turn, shortcut_text(message), own))


def coach_message(turn: MemberTurn, text: str, own: bool) -> Reaction:
    if not own:
        raise UserError("coach.error.not_own")
    accepted = accept_prompt(turn, text, replace_waiting=False)
    if isinstance(accepted, Message):
        return Notice(accepted.text)
    return Waiting(accepted.waiting, accepted.answer)
