"""A person's data rights (DSGVO Art. 15, 17, 20) and the retention period.

Erasure and retention share one mechanism, so that past months' KPIs stay exactly as they were without a
second way of computing them: the usage logs concerned (note cleared) move to a fresh *placeholder member* —
no Slack id, no profile, deactivated at the moment it stands for, `created_at` kept — and every other personal
row is deleted or detached. A placeholder is counted in the periods the person was counted in and in no later
one, so workspace totals of past months do not change, while nothing links them to a person any more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Table, delete, func, or_, select, update

from bot.db import Database, UnitOfWork
from bot.domain.buddies import PairStatus
from bot.models import (
    PLACEHOLDER_PREFIX,
    Assessment,
    AuditEntry,
    Base,
    BuddyCheckIn,
    BuddyEnrollment,
    BuddyFeedback,
    BuddyPair,
    BuddyRating,
    Delivery,
    DepartmentMembership,
    InventoryAnswer,
    JobRun,
    Member,
    ModuleCompletion,
    RetroResponse,
    RitualEvent,
    Rsvp,
    TalentProfile,
    Tip,
    UsageLog,
    UseCase,
    UseCaseAdoption,
    UseCaseStatusChange,
)
from bot.services import job_ledger, pilots, workspace_settings
from bot.services.members import language_of
from bot.slack.installations import delete_installations, forget_installer

RETENTION_JOB = "retention"
# Stands in an audit entry for an erased person.
ERASED_ACTOR = "-"

# What erasure does with each reference to a member: every foreign key to `members` is listed here (a test
# walks the models and fails for one that is missing).
MOVE = "move to placeholder"  # kept for the workspace totals, without anything personal
DETACH = "set to NULL"
DELETE = "delete"
ERASURE: dict[tuple[str, str], str] = {
    ("usage_logs", "member_id"): MOVE,  # note cleared: time saved stays in the totals
    ("department_memberships", "member_id"): MOVE,  # who was where keeps past periods' members and pooling
    ("tips", "member_id"): MOVE,  # the post stays in the channel; anonymous tips stay anonymous
    ("use_case_adoptions", "member_id"): MOVE,  # adoption counts of past months
    ("rsvps", "member_id"): MOVE,  # RSVP counts of past events
    ("buddy_pairs", "mentor_id"): MOVE,  # check-ins held ÷ due of past months; the pair ends
    ("buddy_pairs", "mentee_id"): MOVE,
    ("buddy_pairs", "third_id"): MOVE,
    ("buddy_ratings", "member_id"): MOVE,  # comment cleared: the rating stays in released averages
    ("retro_responses", "member_id"): MOVE,  # only where the quarter's results were released, else deleted
    ("use_cases", "owner_id"): DETACH,  # the use case stays, ownerless
    ("use_case_status_changes", "changed_by_id"): DETACH,
    ("buddy_checkins", "answered_by_id"): DETACH,  # notes of the person's pairs are cleared
    ("assessments", "member_id"): DELETE,
    ("module_completions", "member_id"): DELETE,
    ("buddy_enrollments", "member_id"): DELETE,
    ("buddy_feedback", "member_id"): DELETE,
    ("coach_usage", "member_id"): DELETE,  # counters only; the coach's verdicts name nobody
    ("inventory_answers", "member_id"): DELETE,  # the Bestandsaufnahme's aggregate is counted anew without it
    ("talent_profiles", "member_id"): DELETE,  # the talent matrix shows only people who are in it
}


def member_references() -> list[tuple[Table, Column[Any]]]:
    """Every column of every table that points at a member."""
    found: list[tuple[Table, Column[Any]]] = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(key.column.table.name == Member.__tablename__ for key in column.foreign_keys):
                found.append((table, column))
    return found


def _rows_naming(uow: UnitOfWork, member: Member) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table that names the member, by table, plus rows about the member that name them
    indirectly (check-ins of their pairs, use cases they adopted, audit entries of their actions)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    references: dict[str, list[Column[Any]]] = {}
    for table, column in member_references():
        references.setdefault(table.name, []).append(column)
    for name, columns in references.items():
        table = Base.metadata.tables[name]
        rows = uow.session.execute(
            select(table).where(or_(*(column == member.id for column in columns))).order_by(*table.primary_key)
        ).mappings()
        tables[name] = [dict(row) for row in rows]
    pair_ids = [row["id"] for row in tables["buddy_pairs"]]
    tables["buddy_checkins"] = _rows(uow, BuddyCheckIn.__table__, BuddyCheckIn.pair_id.in_(pair_ids))
    adopted = select(UseCaseAdoption.use_case_id).where(UseCaseAdoption.member_id == member.id)
    tables["use_cases"] = _rows(uow, UseCase.__table__, or_(UseCase.owner_id == member.id, UseCase.id.in_(adopted)))
    tables["audit_log"] = _rows(
        uow,
        AuditEntry.__table__,
        AuditEntry.team_id == uow.team_id,
        AuditEntry.actor_user_id == member.slack_user_id,
    )
    tables["deliveries"] = _rows(uow, Delivery.__table__, job_ledger.deliveries_to(uow, member.slack_user_id))
    return tables


def _rows(uow: UnitOfWork, table: Any, *where: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in uow.session.execute(select(table).where(*where).order_by(table.c.id)).mappings()]


def stored_counts(uow: UnitOfWork, member: Member) -> dict[str, int]:
    """How many rows of each kind name the person right now (kinds with none are left out)."""
    return {name: len(rows) for name, rows in _rows_naming(uow, member).items() if rows}


def export_data(uow: UnitOfWork, member: Member, now: datetime) -> dict[str, Any]:
    """The person's complete data (Art. 15 and 20), as plain JSON-ready values."""
    profile = uow.session.execute(select(Member.__table__).where(Member.id == member.id)).mappings().one()
    return {
        "exported_at": now.isoformat(),
        "workspace": uow.team_id,
        "member": _plain(dict(profile)),
        "tables": {name: [_plain(row) for row in rows] for name, rows in _rows_naming(uow, member).items()},
    }


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in row.items()}


@dataclass(frozen=True)
class Erased:
    """Whom to tell that a buddy pairing ended: Slack id and language of each active partner."""

    partners: list[tuple[str, str]]


def erase(uow: UnitOfWork, member: Member, now: datetime, minimum: int) -> Erased:
    """Erases the person (Art. 17). Running pairs end and the partners are returned to be told (no reason)."""
    active_pairs = uow.session.scalars(
        select(BuddyPair).where(_in_pair(member.id), BuddyPair.status != PairStatus.ENDED).order_by(BuddyPair.id)
    ).all()
    partners: dict[str, str] = {}
    for pair in active_pairs:
        pair.status, pair.ended_at = PairStatus.ENDED, now
        for other_id in (pair.mentor_id, pair.mentee_id, pair.third_id):
            other = uow.session.get(Member, other_id) if other_id not in (None, member.id) else None
            if other is not None and other.deactivated_at is None:
                partners[other.slack_user_id] = language_of(uow, other)
    kept = _kept_department(uow, member, minimum)
    placeholder = _placeholder(uow, member, member.deactivated_at or now, kept)
    pair_ids = select(BuddyPair.id).where(_in_pair(member.id)).scalar_subquery()
    session = uow.session
    session.execute(update(BuddyCheckIn).where(BuddyCheckIn.pair_id.in_(pair_ids)).values(note=None))
    for column in ("mentor_id", "mentee_id", "third_id"):
        attribute = getattr(BuddyPair, column)
        session.execute(update(BuddyPair).where(attribute == member.id).values({column: placeholder.id}))
    # A department below the minimum would point at the person ("the only one in Einkauf"): their entries and
    # history then go on without it. Workspace totals stay as they were; only a group never shown alone changes.
    dropped = {"department": None} if kept is None else {}
    _move(uow, UsageLog, member.id, placeholder.id, note="", source_key=None, **dropped)
    _move(uow, DepartmentMembership, member.id, placeholder.id, **dropped)
    _move(uow, Tip, member.id, placeholder.id)
    _move(uow, UseCaseAdoption, member.id, placeholder.id)
    _move(uow, Rsvp, member.id, placeholder.id)
    _move(uow, BuddyRating, member.id, placeholder.id, comment=None)
    released = [
        quarter
        for quarter, count in session.execute(
            select(RetroResponse.quarter, func.count(RetroResponse.id))
            .where(RetroResponse.team_id == uow.team_id)
            .group_by(RetroResponse.quarter)
        ).all()
        if count >= minimum
    ]
    session.execute(
        update(RetroResponse)
        .where(RetroResponse.member_id == member.id, RetroResponse.quarter.in_(released))
        .values(member_id=placeholder.id)
    )
    session.execute(update(UseCase).where(UseCase.owner_id == member.id).values(owner_id=None))
    session.execute(
        update(UseCaseStatusChange).where(UseCaseStatusChange.changed_by_id == member.id).values(changed_by_id=None)
    )
    session.execute(update(BuddyCheckIn).where(BuddyCheckIn.answered_by_id == member.id).values(answered_by_id=None))
    erased_rows = (RetroResponse, Assessment, ModuleCompletion, BuddyEnrollment, BuddyFeedback, InventoryAnswer)
    for model in (*erased_rows, TalentProfile):
        session.execute(delete(model).where(model.member_id == member.id))
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.team_id == uow.team_id, AuditEntry.actor_user_id == member.slack_user_id)
        .values(actor_user_id=ERASED_ACTOR)
    )
    # What was sent to them by Slack id (a pending one is not sent any more); the job's run stays, so that
    # nothing is sent twice to the others.
    session.execute(delete(Delivery).where(job_ledger.deliveries_to(uow, member.slack_user_id)))
    # Admins are named by Slack id in the workspace's settings, an installer in the stored installation: the
    # erased person is neither any more.
    workspace_settings.forget_person(uow, member.slack_user_id)
    pilots.forget_person(uow, member.slack_user_id)
    forget_installer(session.connection(), uow.team_id, member.slack_user_id, ERASED_ACTOR)
    # Presenters are named by Slack id (who may send an update's summary): the erased person is no longer one.
    for event in session.scalars(
        select(RitualEvent).where(RitualEvent.team_id == uow.team_id, RitualEvent.presenter_user_ids.is_not(None))
    ).all():
        if member.slack_user_id in (event.presenter_user_ids or []):
            event.presenter_user_ids = [user for user in event.presenter_user_ids or [] if user != member.slack_user_id]
    session.delete(member)
    session.flush()
    return Erased(sorted(partners.items()))


def _in_pair(member_id: int) -> Any:
    return or_(BuddyPair.mentor_id == member_id, BuddyPair.mentee_id == member_id, BuddyPair.third_id == member_id)


def _move(uow: UnitOfWork, model: Any, member_id: int, placeholder_id: int, **cleared: Any) -> None:
    uow.session.execute(update(model).where(model.member_id == member_id).values(member_id=placeholder_id, **cleared))


def _placeholder(uow: UnitOfWork, member: Member, ends: datetime, department: str | None) -> Member:
    """Counted wherever `member` was counted up to `ends`, and nowhere after."""
    return uow.add(
        Member,
        slack_user_id=PLACEHOLDER_PREFIX + uuid.uuid4().hex[:20],
        department=department,
        created_at=member.created_at,
        deactivated_at=ends,
    )


def _kept_department(uow: UnitOfWork, member: Member, minimum: int) -> str | None:
    """The department stays on the de-identified totals only where its group meets the minimum size."""
    if member.department is None:
        return None
    size = uow.session.scalar(
        select(func.count(Member.id)).where(
            Member.team_id == uow.team_id,
            Member.department == member.department,
            Member.deactivated_at.is_(None),
            Member.slack_user_id.not_like(PLACEHOLDER_PREFIX + "%"),
        )
    )
    return member.department if int(size or 0) >= minimum else None


def deactivate(uow: UnitOfWork, slack_user_id: str, now: datetime) -> bool:
    """The person left Slack: no jobs and no counts from now on; erased after the retention period."""
    member = uow.session.scalars(
        select(Member).where(Member.team_id == uow.team_id, Member.slack_user_id == slack_user_id)
    ).one_or_none()
    if member is None or member.deactivated_at is not None:
        return False
    member.deactivated_at = now
    return True


# -- retention -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Removed:
    """What one retention run removed (counts only)."""

    logs: int = 0
    notes: int = 0
    # Free texts cleared: the retrospective's answers and the Bestandsaufnahme's potentials.
    free_texts: int = 0
    members: int = 0
    # Records of scheduled messages (to whom, by member or Slack id) sent before the cutoff.
    deliveries: int = 0

    def outcome(self) -> str:
        # `retro=`: the name the job ledger has stored since before the Bestandsaufnahme counted too.
        return (
            f"logs={self.logs};notes={self.notes};retro={self.free_texts};members={self.members}"
            f";deliveries={self.deliveries}"
        )

    @classmethod
    def from_outcome(cls, outcome: str | None) -> Removed:
        counts = dict(part.split("=", 1) for part in (outcome or "").split(";") if "=" in part)
        numbers = {key: int(value) for key, value in counts.items() if value.isdigit()}
        return cls(
            numbers.get("logs", 0),
            numbers.get("notes", 0),
            numbers.get("retro", 0),
            numbers.get("members", 0),
            numbers.get("deliveries", 0),
        )


def retention_cutoff(today: date, months: int) -> date:
    """Whole months are removed: with 24 months, on any day of November 2026 everything before November 2024."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def apply_retention(uow: UnitOfWork, today: date, zone: ZoneInfo, months: int, minimum: int, now: datetime) -> Removed:
    """Raw entries older than the retention period go: logs move to placeholders (note cleared), check-in notes
    and retro free texts are cleared, people who left Slack that long ago are erased, and the record of whom
    scheduled messages went to is deleted (the runs stay: none is sent again)."""
    cutoff = retention_cutoff(today, months)
    cutoff_at = datetime.combine(cutoff, time(0), zone)
    session = uow.session
    left = session.scalars(
        select(Member).where(
            Member.team_id == uow.team_id,
            Member.deactivated_at < cutoff_at,
            Member.slack_user_id.not_like(PLACEHOLDER_PREFIX + "%"),
        )
    ).all()
    for member in left:
        erase(uow, member, now, minimum)
    owners = session.scalars(
        select(Member)
        .where(
            Member.team_id == uow.team_id,
            Member.slack_user_id.not_like(PLACEHOLDER_PREFIX + "%"),
            Member.id.in_(select(UsageLog.member_id).where(UsageLog.team_id == uow.team_id, UsageLog.used_on < cutoff)),
        )
        .order_by(Member.id)
    ).all()
    logs = 0
    for member in owners:
        # The person's history splits at the cutoff: the placeholder stands for them before it, they after it.
        placeholder = _placeholder(uow, member, cutoff_at, member.department)
        # The placeholder was where the person was before the cutoff, so past periods keep their members.
        for row in session.scalars(
            select(DepartmentMembership).where(
                DepartmentMembership.member_id == member.id, DepartmentMembership.valid_from < cutoff_at
            )
        ).all():
            uow.add(
                DepartmentMembership, member_id=placeholder.id, department=row.department, valid_from=row.valid_from
            )
        moved = session.execute(
            update(UsageLog)
            .where(UsageLog.member_id == member.id, UsageLog.used_on < cutoff)
            .values(member_id=placeholder.id, note="", source_key=None)
        )
        logs += int(moved.rowcount)  # type: ignore[attr-defined]
        member.created_at = max(member.created_at, cutoff_at)
    notes = session.execute(
        update(BuddyCheckIn)
        .where(BuddyCheckIn.team_id == uow.team_id, BuddyCheckIn.week < cutoff, BuddyCheckIn.note.is_not(None))
        .values(note=None)
    )
    texts = session.execute(
        update(RetroResponse)
        .where(
            RetroResponse.team_id == uow.team_id,
            RetroResponse.created_at < cutoff_at,
            or_(RetroResponse.works.is_not(None), RetroResponse.blocks.is_not(None), RetroResponse.needs.is_not(None)),
        )
        .values(works=None, blocks=None, needs=None)
    )
    potentials = session.execute(
        update(InventoryAnswer)
        .where(
            InventoryAnswer.team_id == uow.team_id,
            InventoryAnswer.created_at < cutoff_at,
            InventoryAnswer.potential.is_not(None),
        )
        .values(potential=None)
    )
    deliveries = job_ledger.forget_deliveries_before(uow, cutoff_at)
    return Removed(
        logs=logs,
        notes=int(notes.rowcount),  # type: ignore[attr-defined]
        free_texts=int(texts.rowcount) + int(potentials.rowcount),  # type: ignore[attr-defined]
        members=len(left),
        deliveries=deliveries,
    )


@dataclass(frozen=True)
class RetentionRun:
    finished_at: datetime
    removed: Removed


def last_retention(uow: UnitOfWork) -> RetentionRun | None:
    """The latest finished retention run of the workspace, for `/ki admin datenschutz`."""
    run = uow.session.scalars(
        select(JobRun)
        .where(JobRun.team_id == uow.team_id, JobRun.job == RETENTION_JOB, JobRun.finished_at.is_not(None))
        .order_by(JobRun.finished_at.desc(), JobRun.id.desc())
        .limit(1)
    ).one_or_none()
    if run is None or run.finished_at is None:
        return None
    return RetentionRun(run.finished_at, Removed.from_outcome(run.outcome))


def erase_workspace(database: Database, team_id: str) -> int:
    """The operator's erasure of a whole workspace (after an uninstall, at the company's request): every row
    of it, its settings and its stored tokens, in one transaction. How many rows were removed."""
    removed = 0
    with database.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if "team_id" in table.c:
                removed += int(connection.execute(delete(table).where(table.c.team_id == team_id)).rowcount)
        removed += delete_installations(connection, team_id)
    workspace_settings.WORKSPACE_SETTINGS.forget(team_id)
    return removed
