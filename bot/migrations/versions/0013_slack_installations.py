"""Slack's OAuth install: a bot token per workspace (`slack_installations`, `slack_bots`) and the state of
running installs (`slack_oauth_states`), with the schema slack_sdk's SQLAlchemy stores define, so that the
stores read and write them as they expect.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("slack_installations", "slack_bots", "slack_oauth_states")


def _tables() -> sa.MetaData:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    metadata = sa.MetaData()
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    return metadata


def upgrade() -> None:
    _tables().create_all(op.get_bind())


def downgrade() -> None:
    for name in TABLES:
        op.drop_table(name)
