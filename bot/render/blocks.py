"""Small Block Kit builders and the message type every reply uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Block = dict[str, Any]

MAX_BLOCKS_PER_MESSAGE = 50
MAX_SECTION_TEXT = 3000


def escape(text: str) -> str:
    """Text from people must not turn into Slack markup (links, mentions)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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


@dataclass
class Message:
    """A reply: `text` is the notification / fallback text, `blocks` what Slack shows."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def ephemeral(self) -> dict[str, Any]:
        return {"response_type": "ephemeral", "text": self.text, "blocks": self.blocks}

    def post_args(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}
