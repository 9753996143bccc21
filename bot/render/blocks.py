"""Small Block Kit builders and the message type every reply uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from bot.i18n import Translator

Block = dict[str, Any]

MAX_BLOCKS_PER_MESSAGE = 50
MAX_SECTION_TEXT = 3000
# The marks of what people read: a confirmation starts with SUCCESS (its catalog text carries it), a refusal or
# warning with WARNING (added by `warning`, since the same texts also appear unmarked as a modal's field errors).
SUCCESS = ":white_check_mark:"
WARNING = ":warning:"


def warning(text: str) -> str:
    return f"{WARNING} {text}"


_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
# Characters a URL keeps as they are (RFC 3986 reserved and unreserved, and `%` of existing escapes).
URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_ENTITY = re.compile("|".join(_ENTITIES))


def escape(text: str) -> str:
    """Text from people must not turn into Slack markup (links, mentions, channel pings). Slack already sends the
    `&`, `<` and `>` people type as entities: those are read back first, so that nothing is escaped twice."""
    typed = _ENTITY.sub(lambda match: _ENTITIES[match[0]], text)
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Slack's limit for a modal's title and its submit and close buttons.
MAX_MODAL_TITLE = 24


def shorten(text: str, limit: int = MAX_MODAL_TITLE) -> str:
    """`text` if it fits in `limit` characters, else cut at the last word boundary that leaves room for "…"
    (only a single word longer than the limit is cut inside the word)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    if text[limit - 1] != " " and " " in kept:
        kept = kept[: kept.rfind(" ")]
    return kept.rstrip(" ,;:–-") + "…"


def link(url: str, label: str) -> str:
    """A mrkdwn link that a URL from people cannot break out of: `<`, `>`, `|` and spaces in it are
    percent-encoded, so `https://x> <!channel>` stays one link and pings nobody."""
    return f"<{escape(quote(url, safe=URL_SAFE))}|{escape(label)}>"


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def fields(*items: str) -> Block:
    return {"type": "section", "fields": [mrkdwn(item[:2000]) for item in items[:10]]}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text) for text in texts[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def button(text: str, action_id: str, value: str | None = None, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text), "action_id": action_id}
    if value is not None:
        element["value"] = value
    if style is not None:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def option(text: str, value: str, description: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"text": plain(text), "value": value[:150]}
    if description:
        entry["description"] = plain(description)
    return entry


def static_select(
    action_id: str, options: list[dict[str, Any]], placeholder: str, initial: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, 150),
        "options": options[:100],
    }
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def radio_buttons(action_id: str, options: list[dict[str, Any]], initial: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": action_id, "options": options[:10]}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def text_input(
    action_id: str,
    placeholder: str | None = None,
    initial: str | None = None,
    multiline: bool = False,
    max_length: int | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline}
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    if initial:
        element["initial_value"] = initial
    if max_length:
        element["max_length"] = max_length
    return element


def datepicker(action_id: str, initial: str) -> dict[str, Any]:
    return {"type": "datepicker", "action_id": action_id, "initial_date": initial}


def input_block(
    block_id: str, label: str, element: dict[str, Any], optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def save_or_cancel(tr: Translator, submit_key: str = "modal.save") -> tuple[str, str]:
    """A form's two buttons: submit (by default "Speichern") and cancel."""
    return tr.t(submit_key), tr.t("modal.cancel")


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    submit: str | None = None,
    close: str | None = None,
    private_metadata: str = "",
) -> dict[str, Any]:
    """A modal view; Slack allows 24 characters in title, submit and close (longer ones are shortened at a word
    boundary), and 100 blocks."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(shorten(title)),
        "blocks": blocks[:100],
        "private_metadata": private_metadata,
    }
    if submit:
        view["submit"] = plain(shorten(submit))
    if close:
        view["close"] = plain(shorten(close))
    return view


@dataclass
class Message:
    """A reply: `text` is the notification / fallback text, `blocks` what Slack shows."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def ephemeral(self) -> dict[str, Any]:
        return {"response_type": "ephemeral", "text": self.text, "blocks": self.blocks}

    def post_args(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}
