"""The maturity self-check: store a completed check, compare it with the previous one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, or_, select

from bot.db import UnitOfWork
from bot.domain.buddies import is_paused
from bot.domain.calendar import quarter_number, quarter_start
from bot.domain.maturity import MaturityMatrix, Score
from bot.models import Assessment, Member
from bot.services.records import already_submitted


@dataclass(frozen=True)
class AssessmentInfo:
    """A completed self-check as its result and App Home show it."""

    id: int
    levels: dict[str, int]
    overall_level: int
    recommended_track: str
    created_at: datetime


@dataclass(frozen=True)
class AssessmentResult:
    assessment: AssessmentInfo
    score: Score
    previous: AssessmentInfo | None


def record_assessment(
    uow: UnitOfWork, member: Member, matrix: MaturityMatrix, answers: dict[str, int], source_key: str | None
) -> AssessmentResult:
    """Stores a complete check (incomplete answers raise and store nothing). A repeated submission of
    the same check (`source_key`) is stored once. A person without a track gets the recommended one."""
    score = matrix.score(answers)
    existing = already_submitted(uow, Assessment, source_key)
    if existing is not None:
        earlier = previous_assessment(uow, member, before=existing)
        return AssessmentResult(assessment_info(existing), score, assessment_info(earlier) if earlier else None)
    previous = latest_assessment(uow, member)
    assessment = uow.add(
        Assessment,
        member_id=member.id,
        levels=score.levels,
        overall_level=score.overall,
        recommended_track=score.track,
        department=member.department,
        source_key=source_key,
    )
    if member.track is None:
        member.track = score.track
    return AssessmentResult(assessment_info(assessment), score, assessment_info(previous) if previous else None)


def assessment_info(assessment: Assessment) -> AssessmentInfo:
    return AssessmentInfo(
        id=assessment.id,
        levels=dict(assessment.levels),
        overall_level=assessment.overall_level,
        recommended_track=assessment.recommended_track,
        created_at=assessment.created_at,
    )


# Built once: `/ki stats` and every App Home ask for it.
_LATEST = (
    select(Assessment)
    .where(Assessment.member_id == bindparam("member_id"))
    .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    .limit(1)
)


def latest_assessment(uow: UnitOfWork, member: Member) -> Assessment | None:
    return uow.session.scalar(_LATEST, {"member_id": member.id})


_LATEST_LEVEL = (
    select(Assessment.overall_level)
    .where(Assessment.member_id == bindparam("member_id"))
    .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    .limit(1)
)


def latest_level(uow: UnitOfWork, member: Member) -> int:
    """The overall level of the person's latest self-check; 0 without one (asked after every change of the
    person, hence a statement built once)."""
    return int(uow.rows(_LATEST_LEVEL, {"member_id": member.id}).scalar() or 0)


def previous_assessment(uow: UnitOfWork, member: Member, before: Assessment) -> Assessment | None:
    return uow.session.scalar(
        select(Assessment)
        .where(Assessment.member_id == member.id, Assessment.id < before.id)
        .order_by(Assessment.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class ReassessmentInvite:
    """Whom to invite to repeat the self-check, in their language, and when they last took it."""

    member_id: int
    slack_user_id: str
    last_taken: date


def invite_to_reassess(
    uow: UnitOfWork, today: date, zone: ZoneInfo, after_days: int, now: datetime
) -> list[ReassessmentInvite]:
    """People whose latest self-check is at least `after_days` old, who are not paused and were not invited
    since that check nor in this quarter; each is marked invited (in the caller's transaction, with the
    deliveries that will send the invitations)."""
    latest = (
        select(Assessment.member_id, func.max(Assessment.created_at).label("taken"))
        .where(Assessment.team_id == uow.team_id)
        .group_by(Assessment.member_id)
        .subquery()
    )
    cutoff = datetime.combine(today - timedelta(days=after_days), time.max, zone)
    quarter_began = datetime.combine(quarter_start(today.year, quarter_number(today)), time.min, zone)
    rows = uow.session.execute(
        select(Member, latest.c.taken)
        .join(latest, latest.c.member_id == Member.id)
        .where(
            Member.team_id == uow.team_id,
            Member.deactivated_at.is_(None),
            latest.c.taken <= cutoff,
            or_(Member.reassess_invited_at.is_(None), Member.reassess_invited_at < latest.c.taken),
            or_(Member.reassess_invited_at.is_(None), Member.reassess_invited_at < quarter_began),
        )
        .order_by(Member.id)
    ).all()
    invites = []
    for member, taken in rows:
        if is_paused(member.paused_until, today):
            continue
        member.reassess_invited_at = now
        invites.append(ReassessmentInvite(member.id, member.slack_user_id, taken.astimezone(zone).date()))
    return invites
