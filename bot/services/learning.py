"""Learning paths and career stages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from bot.db import UnitOfWork
from bot.domain.buddies import PairKind, PairStatus
from bot.domain.curriculum import CareerStage, Curriculum, Module, Track
from bot.domain.errors import UserError
from bot.models import BuddyPair, CoachUsage, Member, ModuleCompletion, UsageLog
from bot.services.maturity import latest_level
from bot.services.records import insert_ignoring_duplicate
from bot.services.tips import tips_shared
from bot.services.use_cases import rolled_out_owned


@dataclass(frozen=True)
class PathProgress:
    track: Track | None
    done: frozenset[str]
    next_module: Module | None
    # Prompts the coach has improved, counted only when a module of the track is completed by them.
    coached_prompts: int = 0

    @property
    def completed(self) -> int:
        return sum(1 for module in self.track.modules if module.key in self.done) if self.track else 0

    @property
    def total(self) -> int:
        return len(self.track.modules) if self.track else 0


# Built once: `/ki stats` and every App Home ask for it.
_COMPLETED = select(ModuleCompletion.module_key).where(ModuleCompletion.member_id == bindparam("member_id"))


def completed_modules(uow: UnitOfWork, member: Member) -> frozenset[str]:
    return frozenset(uow.rows(_COMPLETED, {"member_id": member.id}).scalars().all())


def path_progress(uow: UnitOfWork, member: Member, curriculum: Curriculum) -> PathProgress:
    track = curriculum.track(member.track)
    done = completed_modules(uow, member)
    upcoming = next((m for m in track.modules if m.key not in done), None) if track else None
    coached = any(m.coached_prompts for m in track.modules) if track else False
    return PathProgress(track, done, upcoming, improved_prompts(uow, member) if coached else 0)


_IMPROVED = select(func.coalesce(func.sum(CoachUsage.improved), 0)).where(
    CoachUsage.member_id == bindparam("member_id")
)


def improved_prompts(uow: UnitOfWork, member: Member) -> int:
    """How many of the person's prompts the prompt coach has answered, all time."""
    return int(uow.rows(_IMPROVED, {"member_id": member.id}).scalar_one())


def complete_module(uow: UnitOfWork, member: Member, curriculum: Curriculum, module_key: str) -> Module:
    """Marks a module of the person's track done; marking it again changes nothing."""
    module = _module_of_track(member, curriculum, module_key)
    insert_ignoring_duplicate(
        uow, ModuleCompletion, {"team_id": uow.team_id, "member_id": member.id, "module_key": module_key}
    )
    return module


def reopen_module(uow: UnitOfWork, member: Member, curriculum: Curriculum, module_key: str) -> Module:
    """Takes back a completion (marked by mistake); a module that is not done is refused."""
    module = _module_of_track(member, curriculum, module_key)
    completion = uow.session.scalar(
        select(ModuleCompletion).where(
            ModuleCompletion.member_id == member.id, ModuleCompletion.module_key == module_key
        )
    )
    if completion is None:
        raise UserError("path.error.not_done")
    uow.session.delete(completion)
    return module


def _module_of_track(member: Member, curriculum: Curriculum, module_key: str) -> Module:
    found = curriculum.module(module_key)
    track = curriculum.track(member.track)
    if found is None or track is None or found[0].key != track.key:
        raise UserError("path.error.unknown_module", example="example.path")
    return found[1]


class _ActivityOnDemand:
    """A person's activity for the career rule, each figure counted only when the rule asks for it and
    only once: the rule stops at the first requirement that fails, and for most people that is the first
    one (the self-check level), so one query decides instead of six."""

    def __init__(self, uow: UnitOfWork, member: Member) -> None:
        session, member_id = uow.session, member.id
        self._count: dict[str, Callable[[], int]] = {
            "overall_level": lambda: latest_level(uow, member),
            "completed_modules": lambda: len(completed_modules(uow, member)),
            "tips": lambda: tips_shared(uow, member),
            "logs": lambda: int(
                session.scalar(select(func.count(UsageLog.id)).where(UsageLog.member_id == member_id)) or 0
            ),
            "rolled_out_use_cases": lambda: rolled_out_owned(uow, member),
            "active_mentees": lambda: int(
                session.scalar(
                    select(func.count(BuddyPair.id)).where(
                        BuddyPair.mentor_id == member_id,
                        BuddyPair.status == PairStatus.ACTIVE,
                        BuddyPair.kind == PairKind.MENTOR,
                    )
                )
                or 0
            ),
        }
        self._counted: dict[str, int] = {}

    def value(self, requirement: str) -> int:
        name = requirement.removeprefix("min_")
        if name not in self._counted:
            self._counted[name] = self._count[name]()
        return self._counted[name]


def update_career_stage(uow: UnitOfWork, member: Member, curriculum: Curriculum) -> CareerStage | None:
    """Re-derives the stage from the rule; returns the stage if the person just reached a higher one."""
    uow.session.flush()
    stage = curriculum.stage_for(_ActivityOnDemand(uow, member))
    # Everyone starts at the first stage; reaching any stage above the one held is a promotion.
    promoted = curriculum.rank(stage.key) > max(curriculum.rank(member.career_stage), 0)
    if member.career_stage != stage.key:
        member.career_stage = stage.key
    return stage if promoted else None
