"""The works-council pack (Betriebsrat): the record of processing activities, a draft works agreement and
the employees' one-pager, in German, generated from the running configuration.

Every figure comes from where the bot itself takes it (settings, the database schema, manifest.json, the
catalogs), so the documents cannot drift from the deployment. The texts are the templates in
`templates/`, filled with `str.format`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Table

from bot.catalogs import Catalogs
from bot.docs.surfaces import SURFACES
from bot.models import Base
from bot.slack.installations import installation_tables
from config.settings import Settings

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
# The manifest lives at the root of the repository, beside pyproject.toml, where Slack's app setup reads it.
MANIFEST = HERE.parents[1] / "manifest.json"

RECORD = "verarbeitungsverzeichnis.md"
AGREEMENT = "betriebsvereinbarung.md"
ONE_PAGER = "was-sieht-wer.md"
# The documents are German only: they are written for a works council in Germany.
DOCUMENT_TITLES = {
    RECORD: "Verzeichnis von Verarbeitungstätigkeiten",
    AGREEMENT: "Entwurf Betriebsvereinbarung",
    ONE_PAGER: "Was sieht wer?",
}


class ManifestMissing(Exception):
    """manifest.json is not where the repository keeps it (e.g. an installed wheel without a clone)."""


@dataclass(frozen=True)
class Descriptions:
    """German descriptions of the database schema, the Slack scopes and the events."""

    common_columns: dict[str, str]
    tables: dict[str, dict[str, Any]]
    scopes: dict[str, str]
    events: dict[str, str]


@cache
def descriptions() -> Descriptions:
    raw = yaml.safe_load((HERE / "data_categories.yaml").read_text(encoding="utf-8"))
    return Descriptions(raw["common_columns"], raw["tables"], raw["scopes"], raw["events"])


def stored_tables() -> list[Table]:
    """Every table the database holds: the models', and Slack's installation tables (several workspaces)."""
    return [*Base.metadata.tables.values(), *installation_tables().tables.values()]


def undescribed(described: Descriptions) -> list[str]:
    """Tables and columns with no German description (`table` or `table.column`)."""
    missing = []
    for table in stored_tables():
        entry = described.tables.get(table.name)
        if entry is None:
            missing.append(table.name)
            continue
        missing += [
            f"{table.name}.{column.name}"
            for column in table.columns
            if column.name not in entry["columns"] and column.name not in described.common_columns
        ]
    return missing


def read_manifest(path: Path | None = None) -> dict[str, Any]:
    path = path or MANIFEST
    if not path.is_file():
        raise ManifestMissing(f"{path} not found: run from a clone of the repository")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def _package_version() -> str:
    try:
        return version("ki-lotse")
    except PackageNotFoundError:
        return "(Entwicklungsstand)"


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    return "\n".join([_row(header), "|" + "---|" * len(header), *(_row(row) for row in rows)])


def _bullets(items: list[str], indent: str = "") -> str:
    return "\n".join(f"{indent}- {item}" for item in items)


def who_sees_what(values: dict[str, str]) -> str:
    """The table of every surface, filled with the running configuration."""
    rows = [
        (
            surface.name.format(**values),
            surface.audience.format(**values),
            surface.shows.format(**values),
            surface.rule.format(**values),
        )
        for surface in SURFACES
    ]
    return _table(("Wo", "Wer sieht es", "Was", "Schutz"), rows)


def _purposes(names: list[str], purposes: dict[str, str]) -> str:
    """Indented bullets under a list item; a name the company added to its manifest is still listed."""
    return _bullets([f"`{name}`: {purposes.get(name, '(Zweck noch nicht beschrieben)')}" for name in names], "  ")


def _people_count(count: int) -> str:
    return "1 Person" if count == 1 else f"{count} Personen"


def coach_paragraph(settings: Settings) -> str:
    """Whether the prompt coach is on, where prompts go and what is (not) stored, for all three documents."""
    if not settings.coach_enabled:
        return (
            "ausgeschaltet. Es wird kein Prompt an ein Sprachmodell gesendet. Wird er eingeschaltet, nennen diese "
            "Unterlagen den Dienst, an den Prompts gehen."
        )
    host = settings.coach_host
    return (
        f"eingeschaltet. Mit `{settings.slash_command} prompt` (oder „Prompt verbessern“ an der eigenen Nachricht) "
        f"schickt eine Person einen Prompt an das Sprachmodell `{settings.coach_model}` unter **{host}** "
        "(vom Unternehmen gewählt; als Empfänger bzw. Auftragsverarbeiter zu prüfen). Vorher lehnt der Bot Prompts "
        "mit E-Mail-Adresse, Telefonnummer, IBAN, dem Namen einer Person aus dem Slack-Workspace oder einem vom "
        "Unternehmen gesperrten Begriff ab; dann wird nichts gesendet. **Prompts und Antworten werden nicht "
        "gespeichert**, nur ein Zähler je Person und Tag (Tageslimit "
        f"{settings.coach_per_day}, Lernpfad) und anonyme Bewertungen „Hat geholfen“/„Nicht hilfreich“ ohne Person."
    )


def works_council_pack(
    settings: Settings,
    catalogs: Catalogs,
    admins: list[str],
    *,
    manifest: dict[str, Any] | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """The three documents as Markdown, by file name."""
    described = descriptions()
    manifest = manifest if manifest is not None else read_manifest()
    scopes = manifest.get("oauth_config", {}).get("scopes", {}).get("bot", [])
    events = manifest.get("settings", {}).get("event_subscriptions", {}).get("bot_events", [])
    tables = [described.tables[table.name] for table in stored_tables()]
    common = {
        "date": (today or datetime.now(settings.zone).date()).strftime("%d.%m.%Y"),
        "version": _package_version(),
        "command": settings.slash_command,
        "min_group": str(settings.min_group_size),
        "retention_months": str(settings.retention_months),
        "admin_count": _people_count(len(set(admins))),
        "community_channel": settings.community_channel.lstrip("#"),
        "admin_channel": settings.admin_channel.lstrip("#"),
        "coach": coach_paragraph(settings),
    }
    record_values = {
        **common,
        "people": _bullets(sorted({entry["people"] for entry in tables if not entry["people"].startswith("keine")})),
        "common_columns": ", ".join(described.common_columns.values()),
        "categories": "\n".join(
            _row((entry["category"], entry["people"], ", ".join(entry["columns"].values()))) for entry in tables
        ),
        "tools": ", ".join(tool.name for tool in catalogs.tools.tools),
        "database": "PostgreSQL" if settings.sqlalchemy_url.get_backend_name() == "postgresql" else "SQLite-Datei",
        "timezone": settings.timezone,
        "scopes": _purposes(scopes, described.scopes),
        "events": _purposes(events, described.events),
    }
    table = who_sees_what(common)
    return {
        RECORD: _render(RECORD, record_values),
        AGREEMENT: _render(AGREEMENT, {**common, "who_sees_what": table}),
        ONE_PAGER: _render(ONE_PAGER, {**common, "who_sees_what": table}),
    }


def _render(name: str, values: dict[str, str]) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8").format(**values)


def write_pack(pack: dict[str, str], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pack.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
