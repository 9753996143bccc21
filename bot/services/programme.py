"""The programme owner's 90-day roadmap: when it started, where it stands (each point of the checklist, ticked
from what the bot knows or by an admin), and the closing summary at day 90. Every figure about people is a
count over the whole workspace and is shown only when the workspace has at least the minimum group."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.db import UnitOfWork
from bot.domain import fields, roadmap
from bot.domain.buddies import Role
from bot.domain.deliveries import RecipientKey
from bot.domain.errors import UserError
from bot.domain.privacy import check_no_personal_data
from bot.domain.roadmap import CHECKLIST, Item, Phase
from bot.domain.use_cases import Status
from bot.models import (
    Assessment,
    BuddyEnrollment,
    InventoryAnswer,
    Member,
    Programme,
    RoadmapTick,
    UseCase,
    UseCaseStatusChange,
)
from bot.services import audit, job_ledger, kpis, pilots

NOTE_LIMIT = 300


@dataclass(frozen=True)
class ItemState:
    """One point of the checklist as it stands. For an automatic point, `count` of `of` is what the bot
    counted (both None when the workspace is below the minimum group); a ticked point has its day and note."""

    key: str
    phase: Phase
    automatic: bool
    done: bool
    count: int | None = None
    of: int | None = None
    done_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class RoadmapStatus:
    starts_on: date
    day: int
    phase: Phase | None  # None before day 1 and after day 90
    items: list[ItemState]

    def of_phase(self, phase: Phase) -> list[ItemState]:
        return [item for item in self.items if item.phase == phase]

    def open_until(self, phase: Phase) -> list[ItemState]:
        """Points of `phase` and the phases before it that are not done."""
        return [item for item in self.items if item.phase <= phase and not item.done]


@dataclass(frozen=True)
class Milestone:
    """The workspace's figures over the thirty days before day `day` (day 0: before the programme)."""

    day: int
    figures: kpis.WorkspaceKpis


@dataclass(frozen=True)
class PilotResult:
    """A use case that was a pilot during the programme: its estimate against the time logged against it
    since day 1 (None unless at least the minimum group logged against it)."""

    title: str
    status: Status
    estimate_minutes_per_week: int
    logged_minutes: int | None
    learning: str | None
    card: pilots.PilotCardInfo | None = None  # goal, metric and deadline, where the pilot got its card


@dataclass(frozen=True)
class ProgrammeSummary:
    status: RoadmapStatus
    milestones: list[Milestone]
    pilots: list[PilotResult]


def programme_of(uow: UnitOfWork) -> Programme | None:
    return uow.session.get(Programme, uow.team_id)


def start(uow: UnitOfWork, starts_on: date, actor_user_id: str) -> Programme:
    """Sets day 1; a programme already set moves to the new day (what was ticked stays ticked)."""
    programme = programme_of(uow)
    if programme is None:
        programme = uow.add(Programme, starts_on=starts_on)
    else:
        programme.starts_on = starts_on
    audit.record(uow, actor_user_id, "programme_start", starts_on.isoformat())
    return programme


def tick(uow: UnitOfWork, item: Item, note: str, today: date, actor_user_id: str) -> None:
    """Marks a point done by hand; the note (what was decided, where it is written down) is checked like
    every text the bot stores. Ticking it again with a note replaces the note; without one (the App Home
    button) the note stays."""
    note = note.strip()[:NOTE_LIMIT]
    check_no_personal_data(note)
    _require_programme(uow)
    ticked = uow.session.scalars(
        select(RoadmapTick).where(RoadmapTick.team_id == uow.team_id, RoadmapTick.item == item.key)
    ).one_or_none()
    if ticked is None:
        uow.add(RoadmapTick, item=item.key, done_on=today, note=note)
    else:
        ticked.done_on, ticked.note = today, note or ticked.note
    audit.record(uow, actor_user_id, "programme_tick", item.key)


def untick(uow: UnitOfWork, item: Item, actor_user_id: str) -> None:
    _require_programme(uow)
    ticked = uow.session.scalars(
        select(RoadmapTick).where(RoadmapTick.team_id == uow.team_id, RoadmapTick.item == item.key)
    ).one_or_none()
    if ticked is not None:
        uow.session.delete(ticked)
    audit.record(uow, actor_user_id, "programme_untick", item.key)


def _require_programme(uow: UnitOfWork) -> Programme:
    programme = programme_of(uow)
    if programme is None:
        raise UserError("programme.error.not_started", example="example.programme_start")
    return programme


def status(uow: UnitOfWork, today: date, settings: kpis.KpiSettings) -> RoadmapStatus | None:
    """Where the roadmap stands today; None when no programme was started."""
    programme = programme_of(uow)
    if programme is None:
        return None
    day = roadmap.day_of(programme.starts_on, today)
    ticks = {
        tick.item: tick
        for tick in uow.session.scalars(select(RoadmapTick).where(RoadmapTick.team_id == uow.team_id)).all()
    }
    counted = _automatic_counts(uow, programme.starts_on, settings)
    items = []
    for item in CHECKLIST:
        if item.automatic:
            count, of, done = counted[item.key]
            items.append(ItemState(item.key, item.phase, True, done, count, of))
        else:
            ticked = ticks.get(item.key)
            items.append(
                ItemState(
                    item.key,
                    item.phase,
                    False,
                    ticked is not None,
                    done_on=ticked.done_on if ticked else None,
                    note=ticked.note if ticked else "",
                )
            )
    return RoadmapStatus(programme.starts_on, day, roadmap.phase_of(day), items)


def _automatic_counts(
    uow: UnitOfWork, starts_on: date, settings: kpis.KpiSettings
) -> dict[str, tuple[int | None, int | None, bool]]:
    """Per automatic point: what was counted, out of how many, and whether that is done."""
    team = uow.team_id
    members = _count(uow, select(func.count(Member.id)).where(Member.team_id == team, Member.deactivated_at.is_(None)))
    checked = _people(uow, func.distinct(Assessment.member_id), Assessment.member_id, Assessment.team_id == team)
    mentors = _people(
        uow,
        BuddyEnrollment.id,
        BuddyEnrollment.member_id,
        BuddyEnrollment.team_id == team,
        BuddyEnrollment.active.is_(True),
        BuddyEnrollment.role == Role.MENTOR,
    )
    answered = _people(
        uow,
        InventoryAnswer.id,
        InventoryAnswer.member_id,
        InventoryAnswer.team_id == team,
        InventoryAnswer.programme_start == starts_on,
    )
    # Out of everyone it went to, not only the people the bot knows.
    asked = members + _asked_without_member(uow, starts_on)
    piloted = _pilots_since(uow, starts_on, settings)
    cards = [card for case in piloted if (card := pilots.card_of(uow, case, settings.min_group_size)) is not None]
    mixed = sum(1 for card in cards if not card.one_department)
    ended = [case for case in piloted if case.status in (Status.ROLLED_OUT, Status.DISCARDED)]
    with_learning = [case for case in ended if (case.learning or "").strip()]
    # Counts of people only where the workspace is no smaller than the minimum group.
    people_shown = members >= settings.min_group_size

    def share_of_people(count: int, people: int) -> tuple[int | None, int | None, bool]:
        done = bool(people) and count >= roadmap.SELF_CHECK_SHARE * people
        return (count, people, done) if people_shown else (None, None, done)

    return {
        "inventory": share_of_people(answered, asked),
        "selfcheck": share_of_people(checked, members),
        "champions": (mentors if people_shown else None, None, mentors >= roadmap.CHAMPIONS),
        "pilots": (len(cards), roadmap.PILOTS[0], len(cards) >= roadmap.PILOTS[0]),
        "pilot_teams": (mixed, len(cards), bool(cards) and mixed == len(cards)),
        "learnings": (len(with_learning), len(ended), bool(ended) and len(with_learning) == len(ended)),
    }


def _people(uow: UnitOfWork, counted: Any, member_id: Any, *where: Any) -> int:
    """How many rows of `counted` belong to people who are still in the workspace."""
    query = select(func.count(counted)).join(Member, Member.id == member_id)
    return _count(uow, query.where(Member.deactivated_at.is_(None), *where))


def _count(uow: UnitOfWork, query: object) -> int:
    return int(uow.session.scalar(query) or 0)  # type: ignore[call-overload]


def _pilots_since(uow: UnitOfWork, starts_on: date, settings: kpis.KpiSettings) -> list[UseCase]:
    """Use cases that were pilots at some moment since day 1 (day 1 begins at midnight in the workspace)."""
    since = datetime.combine(starts_on, time.min, settings.zone)
    piloted = (
        select(UseCaseStatusChange.use_case_id)
        .where(
            UseCaseStatusChange.team_id == uow.team_id,
            UseCaseStatusChange.status == Status.PILOT,
            UseCaseStatusChange.changed_at >= since,
        )
        .distinct()
    )
    query = select(UseCase).where(UseCase.team_id == uow.team_id, UseCase.id.in_(piloted)).order_by(UseCase.id)
    return list(uow.session.scalars(query).all())


def summary(uow: UnitOfWork, today: date, settings: kpis.KpiSettings) -> ProgrammeSummary | None:
    """The closing summary: the figures of the thirty days before day 0, 30, 60 and 90 side by side, every
    pilot's estimate against what was logged, and what is still open."""
    now = status(uow, today, settings)
    if now is None:
        return None
    milestones = []
    for day in (0, 30, 60, 90):
        last = now.starts_on + timedelta(days=day - 1)
        period = kpis.Period(last - timedelta(days=roadmap.PHASE_DAYS - 1), last, "days")
        milestones.append(Milestone(day, kpis.workspace_kpis(uow, period, settings, today=today)))
    results = [
        PilotResult(
            case.title,
            case.status,
            case.minutes_per_week,
            _logged(uow, case, now.starts_on, settings),
            case.learning,
            pilots.card_of(uow, case, settings.min_group_size),
        )
        for case in _pilots_since(uow, now.starts_on, settings)
    ]
    return ProgrammeSummary(now, milestones, results)


def _logged(uow: UnitOfWork, case: UseCase, since: date, settings: kpis.KpiSettings) -> int | None:
    minutes, people = pilots.logged_against(uow, case.id, since)
    return minutes if people >= settings.min_group_size else None


# -- the Bestandsaufnahme ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InventoryResults:
    """The answers in aggregate: how many answered, people per tool, per time budget, per champion answer,
    and the potential texts without names (sorted, so that their order says nothing about who wrote them).
    `shown` False: fewer than the minimum group answered, and nothing but that is said."""

    answered: int
    shown: bool
    tools: dict[str, int]
    hours: dict[str, int]
    champions: dict[str, int]
    potentials: list[tuple[int, str]]  # (answer id for "Als Idee anlegen", text)


# The job that sends the programme's messages, the Bestandsaufnahme's occurrence in its ledger, and the kind of
# delivery that invites someone the bot had not met yet (`inventory-new:<Slack id>:<language>`).
MESSAGES_JOB = "programme"
NEWCOMER_INVITATION = "inventory-new"


def inventory_occurrence(starts_on: date) -> str:
    return f"{starts_on.isoformat()}:inventory"


def _asked_without_member(uow: UnitOfWork, starts_on: date) -> int:
    """People invited to the Bestandsaufnahme before the bot knew them who are still not members: with the
    members, they are everyone it went to (on day one, nearly the whole company)."""
    sent = job_ledger.sent_recipients(uow, MESSAGES_JOB, inventory_occurrence(starts_on))
    keys = [RecipientKey.decode(key) for key in sent]
    invited = {key.subject for key in keys if key.kind == NEWCOMER_INVITATION}
    return len(inventory_newcomers(uow, invited)) if invited else 0


def inventory_open(uow: UnitOfWork, today: date) -> Programme | None:
    """The programme whose Bestandsaufnahme people may answer now (its phase 1)."""
    started = programme_of(uow)
    if started is None:
        return None
    day = roadmap.day_of(started.starts_on, today)
    return started if 1 <= day <= Phase.ASSESSMENT.last_day else None


def save_inventory(
    uow: UnitOfWork,
    member: Member,
    today: date,
    tools: list[str],
    potential: str | None,
    hours: str | None,
    champion: str | None,
) -> None:
    """A person's answer; answering again replaces it. The free text is checked like every stored text."""
    started = inventory_open(uow, today)
    if started is None:
        raise UserError("inventory.error.closed")
    hours, champion = roadmap.check_inventory(hours, champion)
    text = (potential or "").strip()[: roadmap.POTENTIAL_LIMIT] or None
    if text:
        check_no_personal_data(text, field=fields.INVENTORY_POTENTIAL)
    answer = uow.session.scalars(
        select(InventoryAnswer).where(
            InventoryAnswer.member_id == member.id, InventoryAnswer.programme_start == started.starts_on
        )
    ).one_or_none()
    if answer is None:
        uow.add(
            InventoryAnswer,
            member_id=member.id,
            programme_start=started.starts_on,
            tools=sorted(set(tools)),
            potential=text,
            hours=hours,
            champion=champion,
        )
    else:
        answer.tools, answer.potential, answer.hours, answer.champion = sorted(set(tools)), text, hours, champion


def inventory_recipients(uow: UnitOfWork) -> list[Member]:
    """Everyone the survey goes to: the workspace's active people who have not answered this programme's."""
    started = programme_of(uow)
    if started is None:
        return []
    answered = select(InventoryAnswer.member_id).where(InventoryAnswer.programme_start == started.starts_on)
    return list(
        uow.session.scalars(
            select(Member)
            .where(Member.team_id == uow.team_id, Member.deactivated_at.is_(None), Member.id.not_in(answered))
            .order_by(Member.id)
        ).all()
    )


def inventory_newcomers(uow: UnitOfWork, listed: Iterable[str]) -> list[str]:
    """Of the Slack user ids Slack lists as working here, those the bot has no member for: the Bestandsaufnahme
    goes to them too (day one of a company: nearly everyone), without storing anything about them."""
    known = set(uow.session.scalars(select(Member.slack_user_id).where(Member.team_id == uow.team_id)))
    return [user for user in listed if user not in known]


def has_answered_inventory(uow: UnitOfWork, slack_user_id: str) -> bool:
    """Whether the person answered this programme's Bestandsaufnahme (an invitation waiting since is not
    sent)."""
    started = programme_of(uow)
    if started is None:
        return False
    answered = (
        select(InventoryAnswer.id)
        .join(Member, Member.id == InventoryAnswer.member_id)
        .where(
            Member.team_id == uow.team_id,
            Member.slack_user_id == slack_user_id,
            InventoryAnswer.programme_start == started.starts_on,
        )
    )
    return uow.session.scalars(answered).first() is not None


def inventory_results(uow: UnitOfWork, min_group_size: int) -> InventoryResults | None:
    """None when no programme was started."""
    started = programme_of(uow)
    if started is None:
        return None
    answers = uow.session.scalars(
        select(InventoryAnswer).where(
            InventoryAnswer.team_id == uow.team_id, InventoryAnswer.programme_start == started.starts_on
        )
    ).all()
    if len(answers) < min_group_size:
        return InventoryResults(len(answers), False, {}, {}, {}, [])
    tools: dict[str, int] = {}
    for answer in answers:
        for tool in answer.tools:
            tools[tool] = tools.get(tool, 0) + 1
    return InventoryResults(
        len(answers),
        True,
        dict(sorted(tools.items(), key=lambda item: (-item[1], item[0]))),
        {key: sum(1 for a in answers if a.hours == key) for key in roadmap.INVESTMENT},
        {key: sum(1 for a in answers if a.champion == key) for key in roadmap.CHAMPION_ANSWERS},
        sorted(((a.id, a.potential) for a in answers if a.potential), key=lambda item: item[1].lower()),
    )


def potential_text(uow: UnitOfWork, answer_id: int, min_group_size: int) -> str:
    """A potential text an admin turns into a use-case idea: only while the results are shown."""
    results = inventory_results(uow, min_group_size)
    text = dict(results.potentials).get(answer_id) if results is not None and results.shown else None
    if text is None:
        raise UserError("inventory.error.gone")
    return text
