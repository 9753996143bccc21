from pathlib import Path

import pytest

from bot.domain.tools import CatalogError, load_tool_catalog


def test_default_catalog_has_the_product_tools() -> None:
    names = [tool.name for tool in load_tool_catalog().tools]
    for expected in ["ChatGPT", "Claude", "Copilot", "Gemini", "DeepL", "Notion AI", "Perplexity", "Midjourney"]:
        assert expected in names
    assert load_tool_catalog().get("other") is not None


def test_catalog_with_missing_field_names_file_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "tools.yaml"
    broken.write_text("tools:\n  - key: x\n    aliases: [x]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"tools\.yaml: tools\[0\] is missing field 'name'"):
        load_tool_catalog(broken)


def test_catalog_with_duplicate_keys(tmp_path: Path) -> None:
    broken = tmp_path / "tools.yaml"
    broken.write_text("tools:\n  - {key: a, name: A}\n  - {key: a, name: B}\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="tool keys must be unique"):
        load_tool_catalog(broken)
