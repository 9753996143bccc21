"""What a person's App Home shows: their numbers, maturity, path and stage, all theirs alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.catalogs import Catalogs
from bot.db import UnitOfWork
from bot.domain.curriculum import CareerStage
from bot.models import Member
from bot.services import kpis, programme, rituals, talent
from bot.services.kpis import WorkspaceKpis
from bot.services.learning import PathProgress, path_progress
from bot.services.maturity import AssessmentInfo, assessment_info, latest_assessment, previous_assessment
from bot.services.programme import RoadmapStatus
from bot.services.rituals import Upcoming
from bot.services.talent import TalentChoice
from bot.services.usage import LogLine, MemberStats, member_stats, recent_logs
from config.settings import Settings

HOME_ENTRIES = 5


@dataclass(frozen=True)
class HomeSnapshot:
    stats: MemberStats
    recent: list[LogLine]
    latest: AssessmentInfo | None
    previous: AssessmentInfo | None
    progress: PathProgress
    stage: CareerStage | None
    next_check_on: date | None


def home_snapshot(
    uow: UnitOfWork, member: Member, today: date, catalogs: Catalogs, entries: int = HOME_ENTRIES
) -> HomeSnapshot:
    """`entries`: how many of the latest entries to show (`/ki stats` shows none)."""
    latest = latest_assessment(uow, member)
    previous = previous_assessment(uow, member, before=latest) if latest else None
    return HomeSnapshot(
        stats=member_stats(uow, member, today),
        recent=recent_logs(uow, member, limit=entries) if entries else [],
        latest=assessment_info(latest) if latest else None,
        previous=assessment_info(previous) if previous else None,
        progress=path_progress(uow, member, catalogs.curriculum),
        stage=catalogs.curriculum.stage(member.career_stage),
        next_check_on=(latest.created_at.date() + timedelta(days=catalogs.maturity.reassess_after_days))
        if latest
        else None,
    )


@dataclass(frozen=True)
class HomePage:
    """All an App Home shows: the person's own snapshot, the next rituals, and for admins the month's
    workspace figures (aggregates only, minimum group size applied)."""

    snapshot: HomeSnapshot
    next_events: Upcoming
    admin_kpis: WorkspaceKpis | None
    # For admins, once the 90-day roadmap was started.
    roadmap: RoadmapStatus | None = None
    # The person's own entry in the talent matrix (whether they are in it, a role they were given).
    talent: TalentChoice | None = None


def home_page(
    uow: UnitOfWork, member: Member, today: date, catalogs: Catalogs, settings: Settings, as_admin: bool
) -> HomePage:
    figures = roadmap = None
    if as_admin:
        kpi_settings = kpis.KpiSettings.from_settings(settings)
        figures = kpis.workspace_kpis(uow, kpis.month_of(today), kpi_settings, today=today)
        roadmap = programme.status(uow, today, kpi_settings)
    return HomePage(
        home_snapshot(uow, member, today, catalogs),
        rituals.upcoming(uow, today, settings),
        figures,
        roadmap,
        talent.choice_of(uow, member),
    )
