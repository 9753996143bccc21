"""Reading the company-editable YAML files in config/, with errors that name the file and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class CatalogError(Exception):
    """A YAML catalog in config/ that cannot be used; the message names file and field."""


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogError(f"{path}: cannot be read ({error})") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: must be a mapping of fields")
    return data


def require_list(path: Path, data: Any, field: str) -> list[Any]:
    value = data.get(field) if isinstance(data, dict) else None
    if not isinstance(value, list) or not value:
        raise CatalogError(f"{path}: field '{field}' must be a non-empty list")
    return value


def require_text(path: Path, entry: Any, field: str, where: str) -> str:
    value = entry.get(field) if isinstance(entry, dict) else None
    if value is None or not str(value).strip():
        raise CatalogError(f"{path}: {where} is missing field '{field}'")
    return str(value).strip()


class Localized(dict[str, str]):
    """A text given per language in YAML (`{de: …, en: …}`); German stands in for a missing language."""

    def in_(self, language: str) -> str:
        return self.get(language) or self["de"]


def require_localized(path: Path, entry: Any, field: str, where: str) -> Localized:
    value = entry.get(field) if isinstance(entry, dict) else None
    if isinstance(value, str) and value.strip():
        return Localized(de=value.strip())
    if not isinstance(value, dict) or not str(value.get("de") or "").strip():
        raise CatalogError(f"{path}: {where} is missing field '{field}' (with at least a German text 'de')")
    return Localized({str(k): str(v).strip() for k, v in value.items() if v})


def require_unique(path: Path, keys: list[str], what: str) -> None:
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise CatalogError(f"{path}: {what} must be unique (repeated: {', '.join(duplicates)})")
