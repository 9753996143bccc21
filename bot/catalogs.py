"""All company-editable catalogs from config/, loaded and cross-checked once at start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.domain.catalog_files import CatalogError
from bot.domain.coach import load_blocked_terms
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
    # Words the prompt coach never sends to the language model (customer names, project code names).
    coach_terms: tuple[str, ...] = ()


def load_catalogs(company_dir: Path | None = None) -> Catalogs:
    """The shipped catalogs, each replaced by the company's file of the same name in `company_dir`.
    Raises CatalogError naming file and field for anything that cannot work."""

    def path(name: str) -> Path:
        own = company_dir / name if company_dir is not None else None
        return own if own is not None and own.is_file() else CONFIG_DIR / name

    catalogs = Catalogs(
        load_tool_catalog(path("tools.yaml")),
        load_departments(path("departments.yaml")),
        load_maturity_matrix(path("maturity.yaml")),
        load_curriculum(path("curriculum.yaml")),
        load_blocked_terms(path("coach_terms.yaml")),
    )
    for level, track in catalogs.maturity.recommended_tracks.items():
        if catalogs.curriculum.track(track) is None:
            raise CatalogError(
                f"{path('maturity.yaml')}: recommended_tracks.{level} names track '{track}', "
                f"which {path('curriculum.yaml')} does not define"
            )
    return catalogs
