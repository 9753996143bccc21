"""Checks that what the bot sends is Block Kit Slack accepts."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_BLOCKS_PER_MESSAGE = 50


def assert_valid_message(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Round-trips every block through slack_sdk's models (which raise on limit violations) and checks
    the per-message block limit that slack_sdk does not check. Returns the blocks."""
    blocks = payload.get("blocks") or []
    assert payload.get("text"), "every message needs a fallback text for notifications"
    assert len(blocks) <= MAX_BLOCKS_PER_MESSAGE, f"{len(blocks)} blocks exceed Slack's limit of 50"
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, f"unknown block {block}"
        assert parsed.to_dict() == block, f"block changes when round-tripped: {block}"
    return blocks


def assert_valid_view(view: dict[str, Any]) -> list[dict[str, Any]]:
    """A modal or App Home as Slack checks it: slack_sdk's View raises on title, block and text limits."""
    if isinstance(view, str):
        import json

        view = json.loads(view)
    assert view["type"] in ("modal", "home")
    assert 1 <= len(view["blocks"]) <= 100
    checked = View(**view).to_dict()
    assert checked["blocks"] == [Block.parse(b).to_dict() for b in view["blocks"]]
    for block in view["blocks"]:
        assert Block.parse(block).to_dict() == block, f"block changes when round-tripped: {block}"
    if view["type"] == "modal":
        assert len(view["title"]["text"]) <= 24
    return view["blocks"]


def text_of(blocks: list[dict[str, Any]]) -> str:
    """All visible text of some blocks (sections, fields, context, buttons, options), for assertions."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                parts.append(node["text"])
                return
            for key, value in node.items():
                if key not in ("action_id", "block_id", "value", "url"):
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(blocks)
    return "\n".join(parts)
