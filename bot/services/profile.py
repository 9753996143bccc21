"""A person's profile: the privacy notice on first contact, department and learning track."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.db import UnitOfWork
from bot.domain import fields
from bot.domain.curriculum import Curriculum
from bot.domain.departments import clean_department_name
from bot.domain.errors import UserError
from bot.models import Department, DepartmentMembership, Member
from bot.services.records import insert_ignoring_duplicate


@dataclass(frozen=True)
class ProfileForm:
    """What the profile form offers and what it shows as chosen."""

    departments: list[str]
    department: str | None
    track: str | None
    announce_stage: bool = False


def needs_privacy_notice(member: Member) -> bool:
    return member.privacy_notice_shown_at is None


def mark_privacy_notice_shown(member: Member, now: datetime) -> None:
    member.privacy_notice_shown_at = now


def department_choices(uow: UnitOfWork, configured: tuple[str, ...]) -> list[str]:
    """The departments from config, then those admins added in this workspace."""
    added = uow.session.scalars(
        select(Department.name).where(Department.team_id == uow.team_id).order_by(Department.name_key)
    ).all()
    seen = {name.casefold() for name in configured}
    return [*configured, *(name for name in added if name.casefold() not in seen)]


def profile_form(uow: UnitOfWork, member: Member, configured: tuple[str, ...]) -> ProfileForm:
    return ProfileForm(department_choices(uow, configured), member.department, member.track, member.announce_stage)


def resolve_department(uow: UnitOfWork, configured: tuple[str, ...], name: str) -> str:
    choices = department_choices(uow, configured)
    match = next((choice for choice in choices if choice.casefold() == name.strip().casefold()), None)
    if match is None:
        raise UserError(
            "profile.error.unknown_department",
            field=fields.DEPARTMENT,
            word=name.strip()[:60],
            choices=", ".join(choices),
        )
    return match


def move_to(uow: UnitOfWork, member: Member, department: str | None) -> None:
    """Sets the department and records from when it holds: figures of a period count people in the
    departments they were in during it, so a move never shifts what was already shown for the past."""
    if department == member.department:
        return
    recorded = uow.session.scalar(
        select(DepartmentMembership.id).where(DepartmentMembership.member_id == member.id).limit(1)
    )
    if recorded is None:
        # Until now the department was the same since joining; say so before the move, as the history must.
        uow.add(DepartmentMembership, member_id=member.id, department=member.department, valid_from=member.created_at)
    member.department = department
    uow.add(DepartmentMembership, member_id=member.id, department=department)


def set_department(uow: UnitOfWork, member: Member, configured: tuple[str, ...], name: str | None) -> None:
    """Nothing chosen (the profile modal left empty) means no department."""
    move_to(uow, member, resolve_department(uow, configured, name) if name else None)


def choose_department(uow: UnitOfWork, member: Member, configured: tuple[str, ...], name: str) -> str:
    """`/ki profil bereich <Name>`: a name is required; without one the choices are shown, nothing changes."""
    if not name.strip():
        raise UserError(
            "profile.error.department_missing", example="example.profile", choices=department_choices(uow, configured)
        )
    department = resolve_department(uow, configured, name)
    move_to(uow, member, department)
    return department


def add_department(uow: UnitOfWork, configured: tuple[str, ...], name: str) -> str:
    cleaned = clean_department_name(name)
    if any(choice.casefold() == cleaned.casefold() for choice in department_choices(uow, configured)):
        raise UserError("admin.error.department_exists", name=cleaned)
    insert_ignoring_duplicate(
        uow, Department, {"team_id": uow.team_id, "name": cleaned, "name_key": cleaned.casefold()}
    )
    return cleaned


def set_track(member: Member, curriculum: Curriculum, key: str) -> None:
    if curriculum.track(key) is None:
        raise UserError("path.error.unknown_track", choices=", ".join(t.key for t in curriculum.tracks))
    member.track = key
