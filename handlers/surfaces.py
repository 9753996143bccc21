"""How each Slack surface answers a member's request (the wrapper around the work is `take_turn` in
handlers/context.py). Where an interaction came from decides how: a command is answered ephemerally with its
acknowledgement, a form inline on its fields, a click where it happened (a message is replaced through its
response_url, a modal is updated or stacked)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.errors import UserError
from bot.render.blocks import Block, Message, plain, section, shorten, warning
from bot.render.replies import error_message, failure_message, not_saved_message
from bot.services.requests import trigger_key
from bot.slack import SLACK_ANSWER_SECONDS
from handlers.context import (
    NOT_SAVED_ERRORS,
    MemberTurn,
    Surface,
    answer_deadline,
    arrival,
    error_text,
    home_refresh,
    safe_call,
)

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)

# -- the slash command ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a subcommand answers: an ephemeral reply, and/or a modal to open."""

    reply: Message | None = None
    view: dict[str, Any] | None = None
    # Slack work after the commit whose result is the reply: a tip is posted only once it is stored.
    finish: Callable[[WebClient], Message] | None = None
    # Work after the acknowledgement that answers through the command's response_url (the prompt coach).
    respond_later: Callable[[Respond], None] | None = None


class CommandSurface(Surface[Outcome]):
    """The reply goes with the acknowledgement, sent only after the commit; a modal opens right after it
    (Slack's trigger lasts 3 s)."""

    not_saved_errors = NOT_SAVED_ERRORS
    # Typed in a conversation: App Home is not what the person looks at.
    home_in_view = False

    def __init__(
        self,
        deps: Deps,
        client: WebClient,
        command: dict[str, Any],
        ack: Ack,
        respond: Respond,
        context: BoltContext,
        name: str,
    ) -> None:
        self.ack, self.respond, self.trigger_id = ack, respond, command["trigger_id"]
        self.arrived = arrival(context)
        super().__init__(deps, client, command["team_id"], command["user_id"], name, answer_deadline(self.arrived))
        self.request_key = trigger_key(command)

    def refused(self, turn: MemberTurn, error: UserError) -> Outcome:
        return Outcome(reply=error_message(turn.tr, error, self.deps.settings.slash_command))

    def answer(self, turn: MemberTurn, outcome: Outcome) -> None:
        reply = outcome.finish(self.client) if outcome.finish is not None else outcome.reply
        notice = turn.notice_blocks()
        if notice:
            reply = Message(
                text=reply.text if reply else turn.tr.t("privacy.title"),
                blocks=[*notice, *(reply.blocks if reply else [])],
            )
        if reply is not None:
            self.ack(**reply.ephemeral())
        else:
            self.ack()
        if outcome.view is not None:
            safe_call(self.client.views_open, trigger_id=self.trigger_id, view=outcome.view)
        if outcome.respond_later is not None:
            turn.later.append(partial(outcome.respond_later, self.respond))

    def not_saved(self) -> None:
        say_not_saved(self.ack, self.respond, self.arrived, not_saved_message(self.fallback_translator()))

    def replayed(self) -> None:
        self.ack()

    def failed(self) -> None:
        self.ack(**failure_message(self.fallback_translator()).ephemeral())


def say_not_saved(ack: Any, respond: Respond, arrived: float, message: Message) -> None:
    """Within Slack's window the acknowledgement carries the answer; after it only the response URL still
    reaches the person."""
    ack(**message.ephemeral())
    if time.monotonic() - arrived >= SLACK_ANSWER_SECONDS:
        try:
            respond(**message.ephemeral())
        except Exception as error:
            log.warning("could not tell the person that nothing was stored: %s", type(error).__name__)


# -- buttons, menus and the shortcut -------------------------------------------------------------------


@dataclass(frozen=True)
class Modal:
    """Open this modal (stacked on top when the click came from a modal)."""

    view: dict[str, Any]


@dataclass(frozen=True)
class Refresh:
    """Show these blocks where the click happened."""

    title: str
    blocks: list[Block]


@dataclass(frozen=True)
class Notice:
    """A short confirmation, or a refusal marked as such."""

    text: str


@dataclass(frozen=True)
class Waiting:
    """Say `message` now (ephemerally, below the message clicked) and answer with `then` after the
    acknowledgement, through the same response_url."""

    message: Message
    then: Callable[[Respond], None]


Reaction = Modal | Refresh | Notice | Waiting


class ClickSurface(Surface[Reaction]):
    """A click is acknowledged at once; the answer follows where the click happened, after the commit. A
    person on first contact gets the privacy notice by DM."""

    def __init__(
        self, deps: Deps, client: WebClient, body: dict[str, Any], respond: Respond, team_id: str, name: str
    ) -> None:
        self.body, self.respond = body, respond
        super().__init__(deps, client, team_id, body["user"]["id"], name)
        self.request_key = trigger_key(body)

    def opened(self, turn: MemberTurn) -> None:
        turn.notice_by_dm()

    def refused(self, turn: MemberTurn, error: UserError) -> Reaction:
        return Notice(warning(error_text(turn.tr, error, self.deps.settings.slash_command)))

    def answer(self, turn: MemberTurn, reaction: Reaction) -> None:
        match reaction:
            case Modal(view):
                open_modal(self.client, self.body, view)
            case Refresh(title, blocks):
                refresh(self.client, self.body, self.respond, title, blocks)
            case Notice(text):
                show_notice(self.client, self.body, self.respond, "KI-Lotse", text, turn.tr.t("modal.close"))
            case Waiting(message, then):
                safe_call(self.respond, replace_original=False, response_type="ephemeral", **message.post_args())
                turn.later.append(partial(then, self.respond))

    def failed(self) -> None:
        tr = self.fallback_translator()
        show_notice(self.client, self.body, self.respond, "KI-Lotse", failure_message(tr).text, tr.t("modal.close"))


class ShortcutSurface(ClickSurface):
    """The global shortcut opens a modal from anywhere in Slack."""

    def failed(self) -> None:
        """There is no message or modal to say it in: the log has it."""


def in_modal(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "modal"


def open_modal(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Opens `view`; from inside a modal it is stacked on top, so closing it returns there."""
    method = client.views_push if in_modal(body) else client.views_open
    safe_call(method, trigger_id=body["trigger_id"], view=view)


def refresh(client: WebClient, body: dict[str, Any], respond: Respond, title: str, blocks: list[Block]) -> None:
    """Shows `blocks` where the click happened: in place of the message, or in the modal."""
    if in_modal(body):
        view = body["view"]
        safe_call(
            client.views_update, view_id=view["id"], hash=view.get("hash"), view=info_modal_like(view, title, blocks)
        )
    elif body.get("response_url"):
        safe_call(respond, replace_original=True, response_type="ephemeral", text=title, blocks=blocks)


def info_modal_like(view: dict[str, Any], title: str, blocks: list[Block]) -> dict[str, Any]:
    """`blocks` in a modal with the title and close button of `view` (the one being replaced)."""
    modal = {
        "type": "modal",
        "callback_id": view.get("callback_id") or "info",
        "title": view.get("title") or plain(shorten(title)),
        "blocks": blocks[:100],
        "private_metadata": view.get("private_metadata") or "",
    }
    if view.get("close"):
        modal["close"] = view["close"]
    return modal


def show_notice(client: WebClient, body: dict[str, Any], respond: Respond, title: str, text: str, close: str) -> None:
    """A short answer to a click (a confirmation or a refusal, marked as such in `text`): said ephemerally below
    a message, else in a small modal."""
    message = Message(text=text, blocks=[section(text)])
    if body.get("response_url") and not in_modal(body):
        safe_call(respond, replace_original=False, response_type="ephemeral", **message.post_args())
    else:
        view = info_modal_like(
            {"title": plain(shorten(title)), "close": plain(shorten(close))},
            title,
            message.blocks,
        )
        open_modal(client, body, view)


# -- modal submissions ---------------------------------------------------------------------------------


class FormSurface(Surface[dict[str, Any]]):
    """A submission is answered with its acknowledgement, after the commit: the next view, or refusals
    inline on their fields. Work that cannot be committed within Slack's window is rolled back."""

    not_saved_errors = NOT_SAVED_ERRORS

    def __init__(
        self, deps: Deps, client: WebClient, body: dict[str, Any], ack: Ack, context: BoltContext, first_field: str
    ) -> None:
        """`first_field`: where a refusal shows that names no field of the form, and where a failure shows."""
        self.view, self.ack, self.first_field = body["view"], ack, first_field
        team_id = (body.get("team") or {}).get("id") or self.view.get("team_id")
        deadline = answer_deadline(arrival(context))
        super().__init__(deps, client, team_id, body["user"]["id"], "view submission", deadline)

    def opened(self, turn: MemberTurn) -> None:
        turn.notice_by_dm()

    def refused(self, turn: MemberTurn, error: UserError) -> dict[str, Any]:
        field = error.field if error.field in _input_blocks(self.view) else self.first_field
        return {
            "response_action": "errors",
            "errors": {field: error_text(turn.tr, error, self.deps.settings.slash_command)[:150]},
        }

    def answer(self, turn: MemberTurn, response: dict[str, Any]) -> None:
        self.ack(**response)

    def not_saved(self) -> None:
        self.ack(response_action="errors", errors={self.first_field: self.fallback_translator().t("error.not_saved")})

    def failed(self) -> None:
        text = failure_message(self.fallback_translator()).text.removeprefix(":warning: ")
        self.ack(response_action="errors", errors={self.first_field: text})


def _input_blocks(view: dict[str, Any]) -> set[str]:
    """Slack refuses errors for a block the view does not have."""
    return {
        block["block_id"]
        for block in view.get("blocks") or []
        if block.get("type") == "input" and isinstance(block.get("block_id"), str)
    }


# -- App Home ------------------------------------------------------------------------------------------


class HomeSurface(Surface[bool]):
    """Opening App Home asks for nothing: it is published fresh, with the privacy notice on first contact,
    after the event's acknowledgement (as a follow-up, coalesced with other refreshes of the person's home)."""

    def refused(self, turn: MemberTurn, error: UserError) -> bool:
        raise error

    def answer(self, turn: MemberTurn, first_contact: bool) -> None:
        self.deps.follow_ups.submit(
            home_refresh(self.deps, self.client, self.team_id, self.user_id, show_notice=first_contact)
        )
