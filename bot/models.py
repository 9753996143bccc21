"""The stored data. Every row belongs to a workspace (`team_id`); nothing is shared across workspaces."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Workspace(Base):
    """A Slack workspace (team) that installed the bot."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    default_language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Member(Base):
    """A person in a workspace who has used the bot."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id", name="uq_members_team_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    # Chosen with `/ki sprache`; None means "follow Slack's locale, else the workspace default".
    language: Mapped[str | None] = mapped_column(String(8))
    # Cached from users.info so that scheduled jobs know language and local time without asking Slack.
    slack_locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    usage_logs: Mapped[list[UsageLog]] = relationship(back_populates="member", passive_deletes=True)


class UsageLog(Base):
    """One "AI saved me time" entry."""

    __tablename__ = "usage_logs"
    __table_args__ = (
        Index("ix_usage_logs_member_day", "member_id", "used_on"),
        Index("ix_usage_logs_team_day", "team_id", "used_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    minutes: Mapped[int] = mapped_column(Integer)
    tool: Mapped[str | None] = mapped_column(String(40))
    use_case_slug: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(280), default="")
    # The member's local calendar day the time was saved on.
    used_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    member: Mapped[Member] = relationship(back_populates="usage_logs")
