"""Pilot cards (the roadmap's phase 2): a use case in status pilot gets a team of at most five, a goal, a metric,
a baseline and a deadline; the card shows the time logged against it; its owner is reminded a week before the
deadline to record the result and a learning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select

from bot.db import UnitOfWork
from bot.domain import fields
from bot.domain.errors import UserError
from bot.domain.privacy import check_no_personal_data
from bot.domain.use_cases import Status
from bot.models import PLACEHOLDER_PREFIX, Member, PilotCard, UsageLog, UseCase

TEAM_LIMIT = 5
REMIND_DAYS_BEFORE = 7


@dataclass(frozen=True)
class PilotCardInfo:
    use_case_id: int
    title: str
    slug: str
    members: list[str]
    goal: str
    metric: str
    baseline: str
    deadline: date
    # Minutes logged against the use case since the card was made: by its team (named on the card, so
    # shown), and by everyone else (None unless at least the minimum group of them logged against it).
    team_minutes: int
    others_minutes: int | None
    # No team member outside the owner's department (the method asks for interdisciplinary teams).
    one_department: bool


def card_of(uow: UnitOfWork, use_case: UseCase, min_group_size: int) -> PilotCardInfo | None:
    card = _card(uow, use_case.id)
    return _info(uow, use_case, card, min_group_size) if card is not None else None


def _card(uow: UnitOfWork, use_case_id: int) -> PilotCard | None:
    return uow.session.scalars(
        select(PilotCard).where(PilotCard.team_id == uow.team_id, PilotCard.use_case_id == use_case_id)
    ).one_or_none()


def may_edit(use_case: UseCase, member: Member, is_admin: bool) -> None:
    """The owner or an admin, and only for a use case in status pilot."""
    if use_case.owner_id != member.id and not is_admin:
        raise UserError("pilot.error.not_allowed", title=use_case.title)
    if use_case.status != Status.PILOT:
        raise UserError("pilot.error.not_pilot", title=use_case.title, slug=use_case.slug)


def save_card(
    uow: UnitOfWork,
    use_case: UseCase,
    member: Member,
    is_admin: bool,
    team: list[str],
    goal: str,
    metric: str,
    baseline: str,
    deadline: date | None,
    today: date,
    min_group_size: int,
) -> PilotCardInfo:
    may_edit(use_case, member, is_admin)
    team = list(dict.fromkeys(team))
    if not team or len(team) > TEAM_LIMIT:
        raise UserError("pilot.error.team", field=fields.PILOT_TEAM, limit=TEAM_LIMIT)
    texts = {
        fields.PILOT_GOAL: goal.strip(),
        fields.PILOT_METRIC: metric.strip(),
        fields.PILOT_BASELINE: baseline.strip(),
    }
    for field, text in texts.items():
        check_no_personal_data(text, field=field)
    if not texts[fields.PILOT_GOAL] or not texts[fields.PILOT_METRIC]:
        field = fields.PILOT_GOAL if not texts[fields.PILOT_GOAL] else fields.PILOT_METRIC
        raise UserError("pilot.error.required", field=field)
    if deadline is None or deadline < today:
        raise UserError("pilot.error.deadline", field=fields.PILOT_DEADLINE)
    values = {
        "members": team,
        "goal": texts[fields.PILOT_GOAL][:300],
        "metric": texts[fields.PILOT_METRIC][:200],
        "baseline": texts[fields.PILOT_BASELINE][:200],
        "deadline": deadline,
    }
    card = _card(uow, use_case.id)
    if card is None:
        card = uow.add(PilotCard, use_case_id=use_case.id, **values)
    else:
        if card.deadline != deadline:
            card.reminded_at = None  # a new deadline gets its own reminder
        for name, value in values.items():
            setattr(card, name, value)
        uow.session.flush()
    return _info(uow, use_case, card, min_group_size)


def logged_against(uow: UnitOfWork, use_case_id: int, since: date, *where: Any) -> tuple[int, int]:
    """Minutes logged against a use case since `since`, and by how many people. Placeholders are not counted
    as people: retention splits one person's history across a placeholder and the person (as
    `use_cases.list_use_cases` counts)."""
    person = case((Member.slack_user_id.like(PLACEHOLDER_PREFIX + "%"), None), else_=Member.id)
    minutes, people = uow.session.execute(
        select(func.coalesce(func.sum(UsageLog.minutes), 0), func.count(func.distinct(person)))
        .join(Member, Member.id == UsageLog.member_id)
        .where(UsageLog.team_id == uow.team_id, UsageLog.use_case_id == use_case_id, UsageLog.used_on >= since, *where)
    ).one()
    return int(minutes), int(people)


def _info(uow: UnitOfWork, use_case: UseCase, card: PilotCard, min_group_size: int) -> PilotCardInfo:
    team_ids = list(
        uow.session.scalars(
            select(Member.id).where(Member.team_id == uow.team_id, Member.slack_user_id.in_(card.members))
        ).all()
    )
    since = card.created_at.date()

    team_minutes, _ = logged_against(uow, use_case.id, since, UsageLog.member_id.in_(team_ids))
    others, other_people = logged_against(uow, use_case.id, since, UsageLog.member_id.not_in(team_ids))
    others_minutes = others if other_people >= min_group_size else None
    owner = uow.session.get(Member, use_case.owner_id) if use_case.owner_id else None
    departments = set(
        uow.session.scalars(
            select(Member.department).where(Member.team_id == uow.team_id, Member.slack_user_id.in_(card.members))
        ).all()
    )
    one_department = owner is not None and owner.department is not None and departments <= {owner.department}
    return PilotCardInfo(
        use_case.id,
        use_case.title,
        use_case.slug,
        list(card.members),
        card.goal,
        card.metric,
        card.baseline,
        card.deadline,
        team_minutes,
        others_minutes,
        one_department,
    )


@dataclass(frozen=True)
class PilotReminder:
    use_case_id: int
    owner_user_id: str
    title: str
    slug: str
    deadline: date


def remind_owners(uow: UnitOfWork, today: date, now: datetime) -> list[PilotReminder]:
    """Pilots whose deadline is at most a week away and whose owner was not reminded of it yet; each is marked
    reminded (in the caller's transaction, with the deliveries that will send the reminders)."""
    rows = uow.session.execute(
        select(PilotCard, UseCase, Member)
        .join(UseCase, UseCase.id == PilotCard.use_case_id)
        .join(Member, Member.id == UseCase.owner_id)
        .where(
            PilotCard.team_id == uow.team_id,
            PilotCard.reminded_at.is_(None),
            PilotCard.deadline <= today + timedelta(days=REMIND_DAYS_BEFORE),
            UseCase.status == Status.PILOT,
            Member.deactivated_at.is_(None),
        )
        .order_by(PilotCard.id)
    ).all()
    reminders = []
    for card, use_case, owner in rows:
        card.reminded_at = now
        reminders.append(PilotReminder(use_case.id, owner.slack_user_id, use_case.title, use_case.slug, card.deadline))
    return reminders


def forget_person(uow: UnitOfWork, slack_user_id: str) -> None:
    """Erasure: the person is no longer on any pilot team."""
    for card in uow.session.scalars(select(PilotCard).where(PilotCard.team_id == uow.team_id)).all():
        if slack_user_id in card.members:
            card.members = [user for user in card.members if user != slack_user_id]


def use_case_of(uow: UnitOfWork, use_case_id: int) -> UseCase | None:
    use_case = uow.session.get(UseCase, use_case_id)
    return use_case if use_case is not None and use_case.team_id == uow.team_id else None
