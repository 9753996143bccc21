"""Checks that what the bot sends is Block Kit Slack accepts."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

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


def text_of(blocks: list[dict[str, Any]]) -> str:
    """All visible text of some blocks, for assertions on content."""
    parts: list[str] = []
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                parts.append(block[key]["text"])
        parts += [field["text"] for field in block.get("fields", [])]
        parts += [element.get("text", "") for element in block.get("elements", []) if isinstance(element, dict)]
    return "\n".join(parts)
