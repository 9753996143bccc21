"""The maturity self-check: store a completed check, compare it with the previous one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.db import UnitOfWork
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


def latest_assessment(uow: UnitOfWork, member: Member) -> Assessment | None:
    return uow.session.scalar(
        select(Assessment)
        .where(Assessment.member_id == member.id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def previous_assessment(uow: UnitOfWork, member: Member, before: Assessment) -> Assessment | None:
    return uow.session.scalar(
        select(Assessment)
        .where(Assessment.member_id == member.id, Assessment.id < before.id)
        .order_by(Assessment.id.desc())
        .limit(1)
    )
