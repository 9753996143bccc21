"""The catalog of AI tools people log, read from `config/tools.yaml`, and detection in free text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from config import CONFIG_DIR

OTHER_TOOL = "other"


class CatalogError(Exception):
    """A YAML catalog in config/ that cannot be used; the message names file and field."""


@dataclass(frozen=True)
class Tool:
    key: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ToolCatalog:
    tools: tuple[Tool, ...]

    def get(self, key: str | None) -> Tool | None:
        return next((tool for tool in self.tools if tool.key == key), None)

    def detect(self, text: str) -> Tool | None:
        """The tool mentioned first in `text` (whole words, any case), or None."""
        best: tuple[int, Tool] | None = None
        for tool in self.tools:
            for alias in tool.aliases:
                match = re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, re.IGNORECASE)
                if match and (best is None or match.start() < best[0]):
                    best = (match.start(), tool)
        return best[1] if best else None


def load_tool_catalog(path: Path = CONFIG_DIR / "tools.yaml") -> ToolCatalog:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogError(f"{path}: cannot be read ({error})") from None
    entries = data.get("tools") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{path}: field 'tools' must be a non-empty list")
    tools = []
    for index, entry in enumerate(entries):
        for field in ("key", "name"):
            if not isinstance(entry, dict) or not str(entry.get(field) or "").strip():
                raise CatalogError(f"{path}: tools[{index}] is missing field '{field}'")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            raise CatalogError(f"{path}: tools[{index}].aliases must be a list")
        tools.append(Tool(str(entry["key"]), str(entry["name"]), tuple(str(a).lower() for a in aliases)))
    keys = [tool.key for tool in tools]
    if len(set(keys)) != len(keys):
        raise CatalogError(f"{path}: field 'key' must be unique among tools")
    return ToolCatalog(tuple(tools))
