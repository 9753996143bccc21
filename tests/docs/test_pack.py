"""The works-council pack is made from the running configuration: the schema, manifest.json, the settings
and the admin list. A change to any of them shows up in the documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogs import load_catalogs
from bot.docs.pack import (
    AGREEMENT,
    DOCUMENT_TITLES,
    ONE_PAGER,
    RECORD,
    Descriptions,
    descriptions,
    read_manifest,
    stored_tables,
    undescribed,
    who_sees_what,
    works_council_pack,
)
from bot.docs.surfaces import SURFACES
from tests.conftest import make_settings, run_bot

CATALOGS = load_catalogs()


def pack(admins: tuple[str, ...] = ("UADMIN",), **settings: object) -> dict[str, str]:
    return works_council_pack(make_settings(**settings), CATALOGS, list(admins))


def test_every_table_and_column_of_the_models_is_described() -> None:
    assert undescribed(descriptions()) == [], "describe these in bot/docs/data_categories.yaml"
    described = descriptions()
    tables = {table.name: table for table in stored_tables()}
    assert set(described.tables) == set(tables), "a described table no longer exists"
    for name, entry in described.tables.items():
        stale = set(entry["columns"]) - {column.name for column in tables[name].columns}
        assert not stale, f"{name} describes columns it does not have: {stale}"


def test_a_new_column_without_description_is_named() -> None:
    described = descriptions()
    members = {**described.tables["members"], "columns": dict(described.tables["members"]["columns"])}
    del members["columns"]["ranking_opt_in"]
    tables = {**described.tables, "members": members}
    del tables["rsvps"]
    partial = Descriptions(described.common_columns, tables, described.scopes, described.events)
    assert undescribed(partial) == ["members.ranking_opt_in", "rsvps"]


def test_every_scope_and_event_of_the_manifest_has_a_purpose() -> None:
    manifest = read_manifest()
    assert set(manifest["oauth_config"]["scopes"]["bot"]) <= set(descriptions().scopes)
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) <= set(descriptions().events)


def test_documents_change_with_min_group_retention_and_admins() -> None:
    before = pack(("U1", "U2"), min_group_size=5, retention_months=24)
    after = pack(("U1", "U2", "U3"), min_group_size=7, retention_months=12)
    assert set(before) == set(after) == {RECORD, AGREEMENT, ONE_PAGER} == set(DOCUMENT_TITLES)
    assert "weniger als **5 Personen**" in before[RECORD] and "weniger als **7 Personen**" in after[RECORD]
    assert "nach **24 Monaten**" in before[RECORD] and "nach **12 Monaten**" in after[RECORD]
    assert "**Admins:** 2 Personen" in before[RECORD] and "**Admins:** 3 Personen" in after[RECORD]
    assert "mindestens **5 Personen**" in before[AGREEMENT] and "mindestens **7 Personen**" in after[AGREEMENT]
    assert "Nach **24 Monaten**" in before[AGREEMENT] and "Nach **12 Monaten**" in after[AGREEMENT]
    assert "derzeit **2 Personen**" in before[AGREEMENT] and "derzeit **3 Personen**" in after[AGREEMENT]
    assert "ab **5 Personen**" in before[ONE_PAGER] and "ab **7 Personen**" in after[ONE_PAGER]
    assert "Nach 24 Monaten werden deine Einträge" in before[ONE_PAGER] and "Nach 12 Monaten werden" in after[ONE_PAGER]
    assert "nur Bereiche ab 7 Personen" in after[ONE_PAGER] and "ab 5 Personen" not in after[ONE_PAGER]
    assert "1 Person**" in pack(("U1",))[AGREEMENT]


@pytest.mark.parametrize("name", [RECORD, AGREEMENT, ONE_PAGER])
def test_every_placeholder_is_filled(name: str) -> None:
    text = pack(slash_command="/lotse", community_channel="#kanal-a", admin_channel="kanal-b")[name]
    assert "{" not in text and "}" not in text
    assert "/ki " not in text and "`/ki`" not in text, "the configured command, not the default"


def test_record_lists_data_categories_from_the_schema() -> None:
    record = pack()[RECORD]
    for entry in descriptions().tables.values():
        assert f"| {entry['category']} | {entry['people']} |" in record
    assert "eingesparte Minuten" in record and "Zustimmung zur namentlichen Rangliste" in record
    assert "ChatGPT" in record and "DeepL" in record, "the tools people can log come from the catalog"
    assert "Datenbank: SQLite-Datei" in record
    assert "Datenbank: PostgreSQL" in pack(database_url="postgresql://bot@db/ki")[RECORD]


def test_scopes_and_events_come_from_the_manifest() -> None:
    record = pack()[RECORD]
    for scope in read_manifest()["oauth_config"]["scopes"]["bot"]:
        assert f"`{scope}`: {descriptions().scopes[scope]}" in record
    assert "`app_home_opened`" in record
    manifest = read_manifest()
    manifest["oauth_config"]["scopes"]["bot"].append("channels:history")
    widened = works_council_pack(make_settings(), CATALOGS, [], manifest=manifest)[RECORD]
    assert "`channels:history`: (Zweck noch nicht beschrieben)" in widened


def test_agreement_and_one_pager_share_the_who_sees_what_table() -> None:
    documents = pack(min_group_size=6, community_channel="ki-alle")
    table = who_sees_what(
        {"min_group": "6", "command": "/ki", "community_channel": "ki-alle", "admin_channel": "ki-admin"}
    )
    assert table in documents[AGREEMENT] and table in documents[ONE_PAGER]
    assert len(table.splitlines()) == 2 + len(SURFACES)
    for surface in ("App Home", "/ki stats", "Wochenpost", "/ki top", "Monatsbericht", "CSV-Export", "Retro"):
        assert surface in table
    assert "Buddy-Feedback" in table and "Admin-Panel" in table and "#ki-alle" in table


def test_the_command_writes_the_pack_from_a_clone_without_a_database(tmp_path: Path) -> None:
    result = run_bot(
        ["docs", "betriebsrat", "--out", "unterlagen"],
        tmp_path,
        MIN_GROUP_SIZE="8",
        RETENTION_MONTHS="6",
        ADMIN_USER_IDS="U1,U2,U3,U4",
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
    )
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "unterlagen"
    assert sorted(path.name for path in folder.iterdir()) == sorted(DOCUMENT_TITLES)
    record = (folder / RECORD).read_text(encoding="utf-8")
    assert "**8 Personen**" in record and "**6 Monaten**" in record and "**Admins:** 4 Personen" in record
    assert not (tmp_path / "bot.db").exists(), "writing documents touches no database"
