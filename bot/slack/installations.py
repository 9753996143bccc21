"""Slack's OAuth install for several workspaces, on the bot's own database: slack_sdk's SQLAlchemy
installation store (a bot token per workspace) and OAuth state store (the `state` of a running install). Their
tables are created by the migrations (0013), with the schema slack_sdk defines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, MetaData, delete, update

if TYPE_CHECKING:
    # Imported when a store is made: slack_sdk's SQLAlchemy stores load SQLAlchemy's asyncio support, which
    # a deployment for one workspace never needs.
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

# The bot's scopes, as manifest.json asks for them (a test holds the two together).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "users:read",
    "mpim:write",
    "im:write",
    "files:write",
    "reactions:read",
)
# An install must be finished within this long after "Add to Slack" was clicked.
STATE_EXPIRATION_SECONDS = 600


def installation_tables() -> MetaData:
    """The stores' tables as slack_sdk defines them (the migration creates them; the works-council documents
    describe them)."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    metadata = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    return metadata


def installation_store(client_id: str, engine: Engine) -> SQLAlchemyInstallationStore:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)


def forget_installer(connection: Connection, team_id: str, user_id: str, placeholder: str) -> None:
    """Erasure: the stored installation no longer names the person who installed the app (the bot token it
    holds is the workspace's, and stays)."""
    table = installation_tables().tables["slack_installations"]
    connection.execute(
        update(table).where(table.c.team_id == team_id, table.c.user_id == user_id).values(user_id=placeholder)
    )


def delete_installations(connection: Connection, team_id: str) -> int:
    """A workspace's stored installations and bot tokens, gone; how many rows there were."""
    deleted = 0
    for name in ("slack_installations", "slack_bots"):
        table = installation_tables().tables[name]
        deleted += int(connection.execute(delete(table).where(table.c.team_id == team_id)).rowcount)
    return deleted
