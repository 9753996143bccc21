"""Where an interaction came from decides how to answer: a message is replaced through its response_url,
a modal is updated or stacked, App Home is republished."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.render.blocks import Block, Message, plain, section, shorten
from handlers.context import safe_call


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
