"""Block Kit as readable terminal text: sections, fields, context, and buttons as numbered choices."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.i18n import Translator

_EMOJI = {
    ":white_check_mark:": "✅",
    ":warning:": "⚠️",
    ":tada:": "🎉",
    ":bulb:": "💡",
    ":calendar:": "📅",
    ":wave:": "👋",
    ":chart_with_upwards_trend:": "📈",
    ":white_circle:": "○",
    ":books:": "📚",
    ":test_tube:": "🧪",
    ":microphone:": "🎤",
    ":alarm_clock:": "⏰",
    ":sparkles:": "✨",
    ":speech_balloon:": "💬",
    ":white_large_square:": "⬜",
    ":clipboard:": "📋",
    ":seedling:": "🌱",
    ":rocket:": "🚀",
    ":star:": "⭐",
    ":hourglass_flowing_sand:": "⏳",
    ":busts_in_silhouette:": "👥",
}
_BOLD = re.compile(r"(?<![\w*])\*(?P<text>[^*\n]+)\*(?![\w*])")
_LINK = re.compile(r"<(?P<target>[^|>]+)(?:\|(?P<label>[^>]+))?>")


@dataclass(frozen=True)
class Choice:
    """An interactive element the console user can pick by its number."""

    label: str
    action: dict[str, Any]
    block_id: str | None
    source: dict[str, Any]


def plain(text: str, names: dict[str, str] | None = None) -> str:
    """Slack mrkdwn as terminal text; `names` turns user mentions into @names."""
    for code, symbol in _EMOJI.items():
        text = text.replace(code, symbol)

    def link(match: re.Match[str]) -> str:
        target, label = match["target"], match["label"]
        if target.startswith("@"):
            return "@" + (names or {}).get(target[1:], label or target[1:])
        if target.startswith("#"):
            return label or target
        return f"{label} ({target})" if label else target

    return html.unescape(_BOLD.sub(r"\g<text>", _LINK.sub(link, text)))


# The user names the console knows, for mentions; set by the console workspace.
NAMES: dict[str, str] = {}


def _text_of(obj: dict[str, Any] | None) -> str:
    return plain(obj.get("text", ""), NAMES) if obj else ""


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines() or [""])


def render_blocks(
    blocks: list[dict[str, Any]] | None,
    fallback: str,
    choices: list[Choice],
    source: dict[str, Any],
    tr: Translator,
    first: int = 1,
) -> str:
    """Text for a message or view; interactive elements are appended to `choices` and numbered from
    `first` on."""
    if not blocks:
        return _indent(plain(fallback, NAMES))
    out: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text_of(block.get("text"))
            out += [f"  {title}", "  " + "═" * len(title)]
        elif kind == "section":
            if block.get("text"):
                out.append(_indent(_text_of(block["text"])))
            for item in block.get("fields") or []:
                out.append(_indent(_text_of(item).replace("\n", ": ", 1), "  · "))
            accessory = block.get("accessory")
            if accessory:
                out += _elements([accessory], block.get("block_id"), choices, source, first)
        elif kind == "context":
            out += [
                _indent(_text_of(element), "  › ")
                for element in block.get("elements", [])
                if element.get("type") in ("mrkdwn", "plain_text")
            ]
        elif kind == "divider":
            out.append("  " + "─" * 40)
        elif kind == "actions":
            out += _elements(block.get("elements", []), block.get("block_id"), choices, source, first)
        elif kind == "image":
            out.append("  [" + tr.t("console.image", alt=block.get("alt_text", "")) + "]")
        elif kind == "input":
            out.append(_indent(_text_of(block.get("label")) + ":"))
    return "\n".join(out)


def _elements(
    elements: list[dict[str, Any]], block_id: str | None, choices: list[Choice], source: dict[str, Any], first: int
) -> list[str]:
    lines = []
    for element in elements:
        if element.get("type") == "button":
            choices.append(Choice(_text_of(element.get("text")), element, block_id, source))
            lines.append(f"  [{first + len(choices) - 1}] {_text_of(element.get('text'))}")
        elif element.get("type") in ("static_select", "overflow", "radio_buttons"):
            for option in element.get("options", []):
                action = {**element, "selected_option": option}
                choices.append(Choice(_text_of(option.get("text")), action, block_id, source))
                lines.append(f"  [{first + len(choices) - 1}] {_text_of(option.get('text'))}")
    return lines
