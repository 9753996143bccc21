"""The tool a log's note names, found with one search over all aliases, is the one the plain rule finds: the
first whole-word mention of any alias, any case; at the same place the tool listed first."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.tools import Tool, ToolCatalog, load_tool_catalog

CATALOG = load_tool_catalog()
ALIASES = [alias for tool in CATALOG.tools for alias in tool.aliases]


def first_mention(catalog: ToolCatalog, text: str) -> Tool | None:
    """The rule as written: each alias searched on its own, the earliest start wins, ties to the first tool."""
    best: tuple[int, Tool] | None = None
    for tool in catalog.tools:
        for alias in tool.aliases:
            match = re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, re.IGNORECASE)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), tool)
    return best[1] if best else None


words = st.one_of(
    st.sampled_from(ALIASES),
    st.sampled_from(ALIASES).map(str.upper),
    st.sampled_from(["Angebot", "mit", "-", "x", "GPT4", "chat", "für", "4o", "ai", "Co-Pilot"]),
    st.text(alphabet="abcgptx-4 äß", max_size=6),
)
separators = st.sampled_from([" ", "", "-", ", ", "/", "\n"])


@given(st.lists(st.tuples(words, separators), max_size=8))
def test_one_search_finds_what_each_alias_on_its_own_finds(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in parts)
    assert CATALOG.detect(text) == first_mention(CATALOG, text)


def test_examples() -> None:
    assert CATALOG.detect("Angebot mit ChatGPT und Claude") == CATALOG.get("chatgpt")
    assert CATALOG.detect("Claude, dann GPT-4o") == CATALOG.get("claude")
    assert CATALOG.detect("gpt-4o-mini") is None  # no alias is this whole word
    assert CATALOG.detect("") is None
    assert ToolCatalog(()).detect("ChatGPT") is None
