"""Alembic environment. The connection comes from `bot.migrate` (or alembic.ini's URL for the CLI)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.db import make_engine
from bot.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from config.settings import load_settings

    engine = make_engine(load_settings().sqlalchemy_url)
    with engine.connect() as own_connection:
        _run(own_connection)
    engine.dispose()


run_migrations_online()
