"""All company-editable catalogs from config/, loaded and cross-checked once at start."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.catalog_files import CatalogError
from bot.domain.curriculum import Curriculum, load_curriculum
from bot.domain.departments import load_departments
from bot.domain.maturity import MaturityMatrix, load_maturity_matrix
from bot.domain.tools import ToolCatalog, load_tool_catalog
from config import CONFIG_DIR


@dataclass(frozen=True)
class Catalogs:
    tools: ToolCatalog
    departments: tuple[str, ...]
    maturity: MaturityMatrix
    curriculum: Curriculum


def load_catalogs() -> Catalogs:
    """Raises CatalogError naming file and field for anything that cannot work."""
    catalogs = Catalogs(load_tool_catalog(), load_departments(), load_maturity_matrix(), load_curriculum())
    for level, track in catalogs.maturity.recommended_tracks.items():
        if catalogs.curriculum.track(track) is None:
            raise CatalogError(
                f"{CONFIG_DIR / 'maturity.yaml'}: recommended_tracks.{level} names track '{track}', "
                f"which {CONFIG_DIR / 'curriculum.yaml'} does not define"
            )
    return catalogs
