"""Workspaces and members: created on first contact, with language and time zone per person."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, select

from bot.db import UnitOfWork
from bot.i18n import language_from_slack_locale
from bot.models import Member, Workspace
from bot.services.records import insert_ignoring_duplicate


@dataclass(frozen=True)
class SlackProfile:
    """What Slack's users.info tells about a person that KI-Lotse uses."""

    locale: str | None
    timezone: str | None
    deleted: bool = False


def find_member(uow: UnitOfWork, slack_user_id: str, *, lock: bool = False) -> Member | None:
    """`lock`: the member's row stays locked until the unit of work ends (see `lock_member`), taken with the
    same statement that reads it."""
    parameters = {"team_id": uow.team_id, "user_id": slack_user_id}
    if not lock:
        return uow.session.scalars(_MEMBER_NAMED, parameters).one_or_none()
    member = uow.session.scalars(_MEMBER_LOCKED, parameters).one_or_none()
    if member is not None:
        _locked(uow).add(member.id)
    return member


def lock_member(uow: UnitOfWork, member: Member) -> None:
    """Changes of one person that must not interleave (two logs against one daily limit) wait for each other:
    PostgreSQL locks the member's row until the unit of work ends; SQLite serialises writers at BEGIN IMMEDIATE
    already, so there nothing is sent. Once per unit of work."""
    locked = _locked(uow)
    if member.id in locked or uow.session.get_bind().dialect.name != "postgresql":
        return
    uow.session.execute(_LOCK_BY_ID, {"member_id": member.id})
    locked.add(member.id)


def _locked(uow: UnitOfWork) -> set[int]:
    locked: set[int] = uow.session.info.setdefault("locked_members", set())
    return locked


def member_by_id(uow: UnitOfWork, member_id: int) -> Member | None:
    """By id (from a delivery's key), only within this workspace; None when erased meanwhile."""
    member = uow.session.get(Member, member_id)
    return member if member is not None and member.team_id == uow.team_id else None


# Built once: every request looks its member up, and building the statement costs more than running it.
_MEMBER_NAMED = select(Member).where(
    Member.team_id == bindparam("team_id"), Member.slack_user_id == bindparam("user_id")
)
_MEMBER_LOCKED = _MEMBER_NAMED.with_for_update()
_LOCK_BY_ID = select(Member.id).where(Member.id == bindparam("member_id")).with_for_update()


def ensure_member(
    uow: UnitOfWork,
    slack_user_id: str,
    default_language: str,
    profile: SlackProfile | None = None,
    *,
    lock: bool = False,
) -> Member:
    """The member, created with their workspace on first contact; stored again only when Slack's profile
    says something new about them. `lock`: as `find_member`'s."""
    member = find_member(uow, slack_user_id, lock=lock)
    if member is None:
        # Safe when two first requests arrive at once: each row is inserted once, the other insert is a no-op.
        insert_ignoring_duplicate(uow, Workspace, {"team_id": uow.team_id, "default_language": default_language})
        insert_ignoring_duplicate(uow, Member, {"team_id": uow.team_id, "slack_user_id": slack_user_id})
        member = find_member(uow, slack_user_id, lock=lock)
        assert member is not None
    if profile is not None:
        if profile.deleted and member.deactivated_at is None:
            member.deactivated_at = uow.now()
        if profile.locale and member.slack_locale != profile.locale:
            member.slack_locale = profile.locale
        if profile.timezone and member.timezone != profile.timezone:
            member.timezone = profile.timezone
    return member


def profile_changed(member: Member, profile: SlackProfile | None) -> bool:
    """Whether Slack's profile says something the member's row does not hold yet."""
    if profile is None:
        return False
    return bool(
        (profile.deleted and member.deactivated_at is None)
        or (profile.locale and member.slack_locale != profile.locale)
        or (profile.timezone and member.timezone != profile.timezone)
    )


def workspace_of(uow: UnitOfWork) -> Workspace:
    workspace = uow.session.get(Workspace, uow.team_id)
    if workspace is None:
        raise LookupError(f"workspace {uow.team_id} has not been set up")
    return workspace


def language_of(uow: UnitOfWork, member: Member) -> str:
    """The member's choice, else Slack's locale, else the workspace default."""
    return member.language or language_from_slack_locale(member.slack_locale) or workspace_of(uow).default_language


def zone_of(member: Member, default: ZoneInfo) -> ZoneInfo:
    if member.timezone:
        try:
            return ZoneInfo(member.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default


def set_language(member: Member, language: str) -> None:
    member.language = language
