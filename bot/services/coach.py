"""The prompt coach's bookkeeping: the daily limit per person, the count of improved prompts (a learning
activity), the anonymous verdicts on its answers, and the figures admins see. Prompts and answers pass
through and are never stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update

from bot.chat_model import ChatModel, ModelUnavailable
from bot.db import UnitOfWork
from bot.domain.coach import Advice, MalformedAdvice, Unavailable, chat_messages, check_may_leave, parse_advice
from bot.domain.curriculum import CareerStage, Curriculum, Module
from bot.domain.errors import UserError
from bot.models import CoachUsage, CoachVerdict, Member, ModuleCompletion
from bot.services.learning import completed_modules, improved_prompts, update_career_stage
from bot.services.members import find_member
from bot.services.records import insert_ignoring_duplicate
from config.settings import Settings


def advise(settings: Settings, prompt: str, language: str, colleague_names: Iterable[str]) -> Advice:
    """The model's advice on `prompt`, in `language`. The prompt passed the request's checks; the names of the
    workspace's people are checked here, the last moment before it leaves (UserError). No answer, or one
    that cannot be read: ModelUnavailable."""
    check_may_leave(prompt, (), colleague_names)
    model = ChatModel.from_settings(settings)
    try:
        return parse_advice(model.complete(chat_messages(prompt, language)))
    except MalformedAdvice as error:
        raise ModelUnavailable(Unavailable.MALFORMED, str(error)) from None


def reserve_request(uow: UnitOfWork, member: Member, today: date, per_day: int) -> None:
    """Counts a request against the person's daily limit, or refuses it when the limit is reached. One
    conditional UPDATE: two requests at once cannot both take the last one."""
    _ensure_day(uow, member.id, today)
    taken = uow.session.execute(
        update(CoachUsage)
        .where(CoachUsage.member_id == member.id, CoachUsage.day == today, CoachUsage.requests < per_day)
        .values(requests=CoachUsage.requests + 1)
    )
    if taken.rowcount == 0:  # type: ignore[attr-defined]
        raise UserError("coach.error.limit", limit=per_day)


def release_request(uow: UnitOfWork, user_id: str, day: date) -> None:
    """Gives a reserved request back: nothing reached the model, or no answer came back."""
    member = find_member(uow, user_id)
    if member is None:  # erased meanwhile: nothing left to give back
        return
    uow.session.execute(
        update(CoachUsage)
        .where(CoachUsage.member_id == member.id, CoachUsage.day == day, CoachUsage.requests > 0)
        .values(requests=CoachUsage.requests - 1)
    )


def record_improved(uow: UnitOfWork, member: Member, day: date, curriculum: Curriculum) -> list[Module]:
    """Counts an answered prompt; returns the modules of the person's track that this count completes
    (`done_when: {coached_prompts: N}` in the curriculum)."""
    _ensure_day(uow, member.id, day)
    uow.session.execute(
        update(CoachUsage)
        .where(CoachUsage.member_id == member.id, CoachUsage.day == day)
        .values(improved=CoachUsage.improved + 1)
    )
    track = curriculum.track(member.track)
    counted_modules = [module for module in track.modules if module.coached_prompts] if track else []
    if not counted_modules:  # nothing on the person's path is completed by the coach: no need to count
        return []
    count, done = improved_prompts(uow, member), completed_modules(uow, member)
    reached = [m for m in counted_modules if (m.coached_prompts or 0) <= count and m.key not in done]
    for module in reached:
        insert_ignoring_duplicate(
            uow, ModuleCompletion, {"team_id": uow.team_id, "member_id": member.id, "module_key": module.key}
        )
    return reached


@dataclass(frozen=True)
class Counted:
    """An answered prompt, counted: the learning modules it completed, and a career stage it brought."""

    completed: list[Module]
    promoted: CareerStage | None
    # The person chose to have a new stage announced in the community channel.
    announce: bool = False


def count_answered(uow: UnitOfWork, user_id: str, day: date, curriculum: Curriculum) -> Counted:
    """Counts an answered prompt for the person (gone meanwhile: nothing to count)."""
    member = find_member(uow, user_id)
    if member is None:
        return Counted([], None)
    completed = record_improved(uow, member, day, curriculum)
    promoted = update_career_stage(uow, member, curriculum) if completed else None
    return Counted(completed, promoted, member.announce_stage)


def record_verdict(uow: UnitOfWork, answer_token: str, helpful: bool, today: date) -> bool:
    """Notes "helpful" or "not helpful" for one answer, anonymously; False when that answer was judged
    already (the second click changes nothing)."""
    if not answer_token.isalnum() or len(answer_token) > 32:
        raise UserError("coach.error.unknown_answer")
    judged = uow.session.scalar(
        select(func.count(CoachVerdict.id)).where(
            CoachVerdict.team_id == uow.team_id, CoachVerdict.answer_token == answer_token
        )
    )
    # Two clicks at the same moment: the unique token keeps one verdict.
    insert_ignoring_duplicate(
        uow,
        CoachVerdict,
        {"team_id": uow.team_id, "answer_token": answer_token, "month": today.replace(day=1), "helpful": helpful},
    )
    return not judged


@dataclass(frozen=True)
class CoachFigures:
    """A month of the coach for admins. `people`, `improved` and the verdicts are None when fewer than the
    minimum group used it: with three users, "12 prompts" would say who practised how much."""

    people: int | None
    improved: int | None
    helpful: int | None
    not_helpful: int | None

    @property
    def below_minimum(self) -> bool:
        return self.people is None


def month_figures(uow: UnitOfWork, month_start: date, month_end: date, min_group: int) -> CoachFigures:
    """The coach in the month `month_start` … `month_end` (inclusive)."""
    in_month = (
        CoachUsage.team_id == uow.team_id,
        CoachUsage.day >= month_start,
        CoachUsage.day <= month_end,
        CoachUsage.improved > 0,
    )
    people, improved = uow.session.execute(
        select(func.count(func.distinct(CoachUsage.member_id)), func.coalesce(func.sum(CoachUsage.improved), 0)).where(
            *in_month
        )
    ).one()
    if people < min_group:
        return CoachFigures(None, None, None, None)
    verdicts = dict(
        uow.session.execute(
            select(CoachVerdict.helpful, func.count(CoachVerdict.id))
            .where(CoachVerdict.team_id == uow.team_id, CoachVerdict.month == month_start)
            .group_by(CoachVerdict.helpful)
        ).all()
    )
    return CoachFigures(int(people), int(improved), verdicts.get(True, 0), verdicts.get(False, 0))


def _ensure_day(uow: UnitOfWork, member_id: int, day: date) -> None:
    insert_ignoring_duplicate(
        uow,
        CoachUsage,
        {"team_id": uow.team_id, "member_id": member_id, "day": day, "requests": 0, "improved": 0},
    )
