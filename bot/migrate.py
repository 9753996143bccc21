"""Bring the database schema to the newest migration.

Alembic (with Mako) is a noticeable part of a process's memory and is needed only when a migration is
pending. A start against a database that is already at the newest revision (every restart, every further
web process) reads the revision from the database and from the migration files and never imports it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r'^revision(?:: str)? = "(?P<id>[^"]+)"', re.MULTILINE)
_DOWN_REVISION = re.compile(r'^down_revision(?:: [^=]+)? = "(?P<id>[^"]+)"', re.MULTILINE)
# Any constant works; it only has to be the same for every KI-Lotse process sharing a database.
_PG_MIGRATION_LOCK = 0x4B494C4F


def head_revision() -> str:
    """The newest revision: the one no migration names as the one it revises (the chain has one head)."""
    revisions, revised = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if revision := _REVISION.search(source):
            revisions.add(revision["id"])
        if down := _DOWN_REVISION.search(source):
            revised.add(down["id"])
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Apply pending migrations. On PostgreSQL an advisory lock keeps a web and a clock process
    starting together from migrating at the same time."""
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            connection.commit()
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with foreign keys on, dropping
            # `members` would cascade into every row that references it. The pragma only works outside a
            # transaction, so it goes straight to the driver before SQLAlchemy begins one.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} rows with broken references")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
                connection.commit()
