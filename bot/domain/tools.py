"""The catalog of AI tools people log, read from `config/tools.yaml`, and detection in free text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.domain.catalog_files import CatalogError, read_yaml, require_list, require_text, require_unique
from config import CONFIG_DIR

__all__ = ["OTHER_TOOL", "CatalogError", "Tool", "ToolCatalog", "load_tool_catalog"]

OTHER_TOOL = "other"


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
        """The tool mentioned first in `text` (whole words, any case), or None; where two are mentioned at the
        same place, the one listed first."""
        match = self._mentions.search(text)
        return self._mentioned[match.lastindex - 1] if match and match.lastindex else None

    @cached_property
    def _mentions(self) -> re.Pattern[str]:
        """Every alias as a whole word, each in a group of its own, in the catalog's order: one search finds
        the first mention (each log's note is searched, so not one search per alias)."""
        aliases = "|".join(f"({re.escape(alias)})" for _tool, alias in self._aliases)
        return re.compile(rf"(?<![\w-])(?:{aliases})(?![\w-])", re.IGNORECASE)

    @cached_property
    def _mentioned(self) -> tuple[Tool, ...]:
        """The tool of each group of `_mentions`."""
        return tuple(tool for tool, _alias in self._aliases)

    @property
    def _aliases(self) -> list[tuple[Tool, str]]:
        return [(tool, alias) for tool in self.tools for alias in tool.aliases]


def load_tool_catalog(path: Path = CONFIG_DIR / "tools.yaml") -> ToolCatalog:
    tools = []
    for index, entry in enumerate(require_list(path, read_yaml(path), "tools")):
        where = f"tools[{index}]"
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            raise CatalogError(f"{path}: {where}.aliases must be a list")
        tools.append(
            Tool(
                require_text(path, entry, "key", where),
                require_text(path, entry, "name", where),
                tuple(str(alias).lower() for alias in aliases),
            )
        )
    require_unique(path, [tool.key for tool in tools], "tool keys")
    return ToolCatalog(tuple(tools))
