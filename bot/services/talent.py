"""The talent matrix (PRODUCT §2.9): people who opt in record their interest in the new roles and their
strengths; admins see only them, with maturity level, career stage and mentoring done, and may assign a role.
Opting out deletes the entry."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from bot.db import UnitOfWork
from bot.domain import talent
from bot.domain.buddies import PairKind
from bot.domain.errors import UserError
from bot.models import Assessment, BuddyPair, Member, TalentProfile
from bot.services import audit


@dataclass(frozen=True)
class TalentChoice:
    """What the person's form shows: whether they are in the matrix, and what they chose."""

    opted_in: bool
    roles: list[str]
    strengths: list[str]
    assigned_role: str | None


@dataclass(frozen=True)
class TalentRow:
    member_id: int
    slack_user_id: str
    roles: list[str]
    strengths: list[str]
    level: int | None  # the latest self-check's overall level
    stage: str | None
    mentored: int  # mentees they had as a buddy
    assigned_role: str | None


def _entry(uow: UnitOfWork, member_id: int) -> TalentProfile | None:
    return uow.session.scalars(
        select(TalentProfile).where(TalentProfile.team_id == uow.team_id, TalentProfile.member_id == member_id)
    ).one_or_none()


def choice_of(uow: UnitOfWork, member: Member) -> TalentChoice:
    entry = _entry(uow, member.id)
    if entry is None:
        return TalentChoice(False, [], [], None)
    return TalentChoice(True, list(entry.roles), list(entry.strengths), entry.assigned_role)


def save_choice(uow: UnitOfWork, member: Member, opted_in: bool, roles: list[str], strengths: list[str]) -> None:
    """In the matrix with these interests, or (not opted in) out of it: the entry is deleted."""
    entry = _entry(uow, member.id)
    if not opted_in:
        if entry is not None:
            uow.session.delete(entry)
        return
    roles, strengths = talent.known(roles, talent.ROLES), talent.known(strengths, talent.STRENGTHS)
    if entry is None:
        uow.add(TalentProfile, member_id=member.id, roles=roles, strengths=strengths)
    else:
        entry.roles, entry.strengths = roles, strengths


def talent_matrix(uow: UnitOfWork, role: str | None = None) -> list[TalentRow]:
    """Everyone who opted in (and is still in the workspace), optionally only those interested in `role`."""
    latest = (
        select(Assessment.member_id, func.max(Assessment.id).label("last"))
        .where(Assessment.team_id == uow.team_id)
        .group_by(Assessment.member_id)
        .subquery()
    )
    levels: dict[int, int] = dict(
        uow.session.execute(
            select(latest.c.member_id, Assessment.overall_level).join(Assessment, Assessment.id == latest.c.last)
        ).all()
    )
    mentored: dict[int, int] = dict(
        uow.session.execute(
            select(BuddyPair.mentor_id, func.count(BuddyPair.id))
            .where(BuddyPair.team_id == uow.team_id, BuddyPair.kind == PairKind.MENTOR)
            .group_by(BuddyPair.mentor_id)
        ).all()
    )
    rows = uow.session.execute(
        select(TalentProfile, Member)
        .join(Member, Member.id == TalentProfile.member_id)
        .where(TalentProfile.team_id == uow.team_id, Member.deactivated_at.is_(None))
        .order_by(Member.id)
    ).all()
    return [
        TalentRow(
            member.id,
            member.slack_user_id,
            list(entry.roles),
            list(entry.strengths),
            levels.get(member.id),
            member.career_stage,
            int(mentored.get(member.id, 0)),
            entry.assigned_role,
        )
        for entry, member in rows
        if role is None or role in entry.roles
    ]


def assign(uow: UnitOfWork, member_id: int, role: str | None, actor_user_id: str) -> TalentRow:
    """Records the role an admin gave someone in the matrix (None takes it back); they see it on App Home."""
    entry = _entry(uow, member_id)
    if entry is None:
        raise UserError("talent.error.not_in_matrix")
    if role is not None and role not in talent.ROLES:
        raise UserError("talent.error.role", word=role[:30], roles=", ".join(talent.ROLES))
    entry.assigned_role = role
    entry.assigned_on = uow.now().date() if role else None
    audit.record(uow, actor_user_id, "talent_assign", role or "-")
    return next(row for row in talent_matrix(uow) if row.member_id == member_id)
