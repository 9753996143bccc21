"""The departments (Bereiche) from config/departments.yaml, and what a department name may be."""

from __future__ import annotations

from pathlib import Path

from bot.domain.catalog_files import CatalogError, read_yaml, require_list, require_unique
from bot.domain.errors import UserError
from config import CONFIG_DIR

# Short enough for a select option, a leaderboard line and a modal.
MAX_DEPARTMENT_NAME = 40
# Slack reads these as markup (links and mentions, entities, bold, italics, strike, code): a department name
# is plain text, shown as typed everywhere.
MARKUP_CHARACTERS = "<>&*_~`"


def clean_department_name(name: str) -> str:
    """Collapses whitespace; refuses an empty or over-long name and any Slack markup character."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_DEPARTMENT_NAME:
        raise UserError("admin.error.department_name", example="example.department", max=MAX_DEPARTMENT_NAME)
    if any(character in MARKUP_CHARACTERS for character in cleaned):
        raise UserError(
            "admin.error.department_markup", example="example.department", forbidden=" ".join(MARKUP_CHARACTERS)
        )
    return cleaned


def load_departments(path: Path = CONFIG_DIR / "departments.yaml") -> tuple[str, ...]:
    names = [str(name) for name in require_list(path, read_yaml(path), "departments")]
    for index, name in enumerate(names):
        try:
            names[index] = clean_department_name(name)
        except UserError:
            raise CatalogError(
                f"{path}: departments[{index}] must be 1 to {MAX_DEPARTMENT_NAME} characters of plain text "
                f"(none of {' '.join(MARKUP_CHARACTERS)})"
            ) from None
    require_unique(path, [name.casefold() for name in names], "department names")
    return tuple(names)
