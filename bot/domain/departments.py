"""The departments (Bereiche) from config/departments.yaml."""

from __future__ import annotations

from pathlib import Path

from bot.domain.catalog_files import CatalogError, read_yaml, require_list, require_unique
from config import CONFIG_DIR

MAX_DEPARTMENT_NAME = 60


def load_departments(path: Path = CONFIG_DIR / "departments.yaml") -> tuple[str, ...]:
    names = [str(name).strip() for name in require_list(path, read_yaml(path), "departments")]
    for index, name in enumerate(names):
        if not name or len(name) > MAX_DEPARTMENT_NAME:
            raise CatalogError(f"{path}: departments[{index}] must be 1 to {MAX_DEPARTMENT_NAME} characters")
    require_unique(path, [name.casefold() for name in names], "department names")
    return tuple(names)
