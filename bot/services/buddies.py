"""The buddy programme: opting in, matching, pauses, weekly check-ins and the end of a programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import combinations
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.orm import InstrumentedAttribute

from bot.db import UnitOfWork
from bot.domain import buddies as buddy_rules
from bot.domain import fields
from bot.domain.buddies import Answer, DecisionState, FeedbackChoice, PairKind, PairStatus, Role, is_paused
from bot.domain.calendar import week_start
from bot.domain.errors import UserError
from bot.domain.matching import Candidate, match, peer_groups
from bot.domain.privacy import check_no_personal_data
from bot.models import BuddyCheckIn, BuddyEnrollment, BuddyFeedback, BuddyPair, BuddyRating, Member
from bot.services.maturity import latest_assessment
from bot.services.members import language_of, workspace_of, zone_of
from bot.services.records import insert_ignoring_duplicate
from config.settings import WEEKDAYS, Settings

TRACK_LEVEL = {"basis": 1, "power": 2, "champion": 3}


@dataclass(frozen=True)
class PairInfo:
    """A pair as its messages show it."""

    id: int
    kind: PairKind
    ends_on: date

    @property
    def mentoring(self) -> bool:
        """A mentor with a mentee; else peers learning together."""
        return self.kind == PairKind.MENTOR


@dataclass(frozen=True)
class BuddyStatus:
    role: str | None  # None: not enrolled
    capacity: int  # mentees a mentor takes; meaningful for mentors only
    partners: list[tuple[PairInfo, list[str]]]  # the pair and the Slack ids of the others in it
    waiting: bool
    streak_weeks: int
    paused_until: date | None


# -- opting in and out ---------------------------------------------------------------------------------


def enroll(uow: UnitOfWork, member: Member, role: Role, capacity: int = 2) -> BuddyEnrollment:
    enrollment = enrollment_of(uow, member)
    if enrollment is None:
        return uow.add(BuddyEnrollment, member_id=member.id, role=role, capacity=capacity)
    enrollment.role, enrollment.capacity, enrollment.active = role, capacity, True
    enrollment.waiting_told_at = enrollment.waiting_since_round = None
    uow.session.flush()
    return enrollment


def enrollment_of(uow: UnitOfWork, member: Member) -> BuddyEnrollment | None:
    return uow.session.scalar(select(BuddyEnrollment).where(BuddyEnrollment.member_id == member.id))


def leave(uow: UnitOfWork, member: Member, now: datetime) -> list[BuddyPair]:
    """Leaves the programme; ends the person's running pairs and returns them (everyone in them is asked
    for feedback)."""
    enrollment = enrollment_of(uow, member)
    if enrollment is None or not enrollment.active:
        raise UserError("buddy.error.not_enrolled", example="example.buddy")
    enrollment.active = False
    pairs = active_pairs_of(uow, member)
    for pair in pairs:
        pair.status, pair.ended_at = PairStatus.ENDED, now
    return pairs


@dataclass(frozen=True)
class PartnerNotice:
    """Whom to tell that a pair ended because someone left, and in which language."""

    pair_id: int
    left: str  # Slack id of the person who left
    partners: list[tuple[str, str]]  # Slack id and language of each active partner


def partners_to_tell(uow: UnitOfWork, pair: BuddyPair, leaver: Member) -> PartnerNotice:
    """The other people of the pair; deactivated accounts get no messages."""
    others = [uow.session.get_one(Member, member_id) for member_id in members_of(pair) if member_id != leaver.id]
    return PartnerNotice(
        pair.id,
        leaver.slack_user_id,
        [(other.slack_user_id, language_of(uow, other)) for other in others if other.deactivated_at is None],
    )


def pause(member: Member, until: date) -> None:
    member.paused_until = until


def resume(member: Member, today: date) -> None:
    if not is_paused(member.paused_until, today):
        raise UserError("buddy.error.not_paused")
    member.paused_until = None


# -- pairs ---------------------------------------------------------------------------------------------


def active_pairs_of(uow: UnitOfWork, member: Member) -> list[BuddyPair]:
    return list(
        uow.session.scalars(
            select(BuddyPair)
            .where(
                BuddyPair.status == PairStatus.ACTIVE,
                or_(
                    BuddyPair.mentor_id == member.id, BuddyPair.mentee_id == member.id, BuddyPair.third_id == member.id
                ),
            )
            .order_by(BuddyPair.id)
        ).all()
    )


def get_pair(uow: UnitOfWork, pair_id: int) -> BuddyPair:
    pair = uow.session.scalar(select(BuddyPair).where(BuddyPair.team_id == uow.team_id, BuddyPair.id == pair_id))
    if pair is None:
        raise UserError("buddy.error.unknown_pair")
    return pair


def members_of(pair: BuddyPair) -> tuple[int, ...]:
    """Everyone in the pair: mentor and mentee, or the two or three learning partners."""
    return (pair.mentor_id, pair.mentee_id) + ((pair.third_id,) if pair.third_id is not None else ())


def pair_language(uow: UnitOfWork, pair: BuddyPair) -> str:
    """All of them read the pair's messages: their common language, else the workspace default."""
    languages = {language_of(uow, uow.session.get_one(Member, member_id)) for member_id in members_of(pair)}
    return languages.pop() if len(languages) == 1 else workspace_of(uow).default_language


def slack_ids(uow: UnitOfWork, member_ids: list[int]) -> dict[int, str]:
    rows = uow.session.execute(select(Member.id, Member.slack_user_id).where(Member.id.in_(member_ids))).all()
    return {member_id: slack_id for member_id, slack_id in rows}


def pair_info(pair: BuddyPair) -> PairInfo:
    return PairInfo(id=pair.id, kind=pair.kind, ends_on=pair.ends_on)


def mentee_of(uow: UnitOfWork, pair: BuddyPair) -> Member:
    return uow.session.get_one(Member, pair.mentee_id)


# -- matching ------------------------------------------------------------------------------------------


def level_of(uow: UnitOfWork, member: Member) -> int | None:
    """Experience for matching: the latest self-check, else the learning track, else unknown (None)."""
    latest = latest_assessment(uow, member)
    if latest is not None:
        return latest.overall_level
    return TRACK_LEVEL.get(member.track or "")


def has_self_check(uow: UnitOfWork, member: Member) -> bool:
    return latest_assessment(uow, member) is not None


def _offset_hours(member: Member, default: ZoneInfo, at: datetime) -> float:
    offset = at.astimezone(zone_of(member, default)).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


def _available(member: Member, today: date) -> bool:
    return member.deactivated_at is None and not is_paused(member.paused_until, today)


def _one_round_at_a_time(uow: UnitOfWork) -> None:
    """A round reads who is free, then pairs them: two rounds at once (people opting in together) would
    both see the same mentor free. On PostgreSQL a lock per workspace until the transaction ends; on
    SQLite the write lock every unit of work takes at BEGIN already lets one round run at a time."""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"buddy_matching:{uow.team_id}"}
        )


def run_matching(
    uow: UnitOfWork, today: date, now: datetime, default_zone: ZoneInfo, weeks: int, scheduled: bool = False
) -> MatchingResult:
    """Matches every waiting mentee it can with a mentor, creating the pairs; the others stay on the
    waiting list. In a scheduled round, those who already waited at an earlier scheduled round and have
    no learning partners yet also get learning partners (they keep waiting for a mentor)."""
    _one_round_at_a_time(uow)
    enrollments = uow.session.execute(
        select(BuddyEnrollment, Member)
        .join(Member, Member.id == BuddyEnrollment.member_id)
        .where(BuddyEnrollment.team_id == uow.team_id, BuddyEnrollment.active.is_(True))
    ).all()
    active = uow.session.scalars(
        select(BuddyPair).where(BuddyPair.team_id == uow.team_id, BuddyPair.status == PairStatus.ACTIVE)
    ).all()
    mentored = {pair.mentee_id for pair in active if pair.kind == PairKind.MENTOR}
    with_peers = {member for pair in active if pair.kind == PairKind.PEER for member in members_of(pair)}
    load: dict[int, int] = {}
    for pair in active:
        if pair.kind == PairKind.MENTOR:
            load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    mentees, mentors = [], []
    waiting_enrollments: dict[int, BuddyEnrollment] = {}
    for enrollment, member in enrollments:
        if not _available(member, today):
            continue
        candidate = Candidate(
            member.id,
            level_of(uow, member),
            member.department,
            _offset_hours(member, default_zone, now),
            load.get(member.id, 0),
            enrollment.capacity,
        )
        if enrollment.role == Role.MENTEE and member.id not in mentored:
            mentees.append(candidate)
            waiting_enrollments[member.id] = enrollment
        elif enrollment.role == Role.MENTOR and candidate.load < candidate.capacity:
            mentors.append(candidate)
    past_groups = {frozenset(combination) for pair in past_pairs(uow) for combination in combinations(pair, 2)}
    ordered = {(a, b) for group in past_groups for a in group for b in group if a != b}
    matching = match(mentees, mentors, ordered)
    pairs = [_start(uow, PairKind.MENTOR, (mentor, mentee), today, weeks) for mentor, mentee in matching.pairs]
    for _, mentee_id in matching.pairs:
        waiting_enrollments.pop(mentee_id).waiting_since_round = None
    if scheduled:
        for enrollment in waiting_enrollments.values():
            enrollment.waiting_since_round = enrollment.waiting_since_round or today
        ready = [
            mentee
            for mentee in mentees
            if mentee.member_id in waiting_enrollments
            and mentee.member_id not in with_peers
            and (waiting_enrollments[mentee.member_id].waiting_since_round or today) < today
        ]
        pairs += [_start(uow, PairKind.PEER, group, today, weeks) for group in peer_groups(ready, past_groups)]
    uow.session.flush()
    return MatchingResult(pairs, waiting_list(uow))


def _start(uow: UnitOfWork, kind: PairKind, members: tuple[int, ...], today: date, weeks: int) -> BuddyPair:
    return uow.add(
        BuddyPair,
        kind=kind,
        mentor_id=members[0],
        mentee_id=members[1],
        third_id=members[2] if len(members) > 2 else None,
        status=PairStatus.ACTIVE,
        started_on=today,
        ends_on=today + timedelta(weeks=weeks),
    )


def past_pairs(uow: UnitOfWork) -> list[tuple[int, ...]]:
    """The people of every pair and group there ever was."""
    rows = uow.session.execute(
        select(BuddyPair.mentor_id, BuddyPair.mentee_id, BuddyPair.third_id).where(BuddyPair.team_id == uow.team_id)
    ).all()
    return [tuple(member for member in row if member is not None) for row in rows]


@dataclass(frozen=True)
class MatchingResult:
    new_pairs: list[BuddyPair]
    waiting: list[tuple[BuddyEnrollment, Member]]


def waiting_list(uow: UnitOfWork) -> list[tuple[BuddyEnrollment, Member]]:
    """Mentees who opted in and have no mentor (learning partners or not), longest waiting first."""
    busy = select(BuddyPair.mentee_id).where(
        BuddyPair.team_id == uow.team_id, BuddyPair.status == PairStatus.ACTIVE, BuddyPair.kind == PairKind.MENTOR
    )
    rows = uow.session.execute(
        select(BuddyEnrollment, Member)
        .join(Member, Member.id == BuddyEnrollment.member_id)
        .where(
            BuddyEnrollment.team_id == uow.team_id,
            BuddyEnrollment.active.is_(True),
            BuddyEnrollment.role == Role.MENTEE,
            BuddyEnrollment.member_id.not_in(busy),
            Member.deactivated_at.is_(None),
        )
        .order_by(BuddyEnrollment.created_at, BuddyEnrollment.id)
    ).all()
    return [(enrollment, member) for enrollment, member in rows]


# -- check-ins and the end of a programme --------------------------------------------------------------


def checkin_asked(uow: UnitOfWork, pair: BuddyPair, week: date, now: datetime) -> BuddyCheckIn:
    insert_ignoring_duplicate(uow, BuddyCheckIn, {"team_id": uow.team_id, "pair_id": pair.id, "week": week})
    checkin = uow.session.scalars(
        select(BuddyCheckIn).where(BuddyCheckIn.pair_id == pair.id, BuddyCheckIn.week == week)
    ).one()
    checkin.asked_at = checkin.asked_at or now
    return checkin


def _stamp_once(uow: UnitOfWork, stamp: InstrumentedAttribute[Any], now: datetime, *where: Any) -> bool:
    """Sets `stamp` to `now` on the row `where` selects unless it is set: True for the one call that set it.
    One conditional UPDATE, so of two runs at once exactly one wins."""
    taken = uow.session.execute(update(stamp.class_).where(*where, stamp.is_(None)).values({stamp.key: now}))
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def _unstamp(uow: UnitOfWork, stamp: InstrumentedAttribute[Any], *where: Any) -> None:
    uow.session.execute(update(stamp.class_).where(*where).values({stamp.key: None}))


def claim_checkin(uow: UnitOfWork, pair_id: int, week: date, now: datetime) -> bool:
    """Marks the pair's question for the week as asked unless it already was; only the run that marked it
    sends it, so an admin's run and the scheduled one never both ask."""
    insert_ignoring_duplicate(uow, BuddyCheckIn, {"team_id": uow.team_id, "pair_id": pair_id, "week": week})
    return _stamp_once(uow, BuddyCheckIn.asked_at, now, BuddyCheckIn.pair_id == pair_id, BuddyCheckIn.week == week)


def release_checkin(uow: UnitOfWork, pair_id: int, week: date) -> None:
    """Slack refused the question: it counts as not asked, and a later run may ask."""
    this_week = (BuddyCheckIn.pair_id == pair_id, BuddyCheckIn.week == week, BuddyCheckIn.answer.is_(None))
    _unstamp(uow, BuddyCheckIn.asked_at, *this_week)


@dataclass(frozen=True)
class AskedOnce:
    """A message sent at most once per row: the column that records when it was claimed, and the column
    that finds the row (within the unit's workspace)."""

    stamp: InstrumentedAttribute[Any]
    key: InstrumentedAttribute[Any]

    def _row(self, uow: UnitOfWork, key: int) -> tuple[Any, ...]:
        return self.key == key, self.stamp.class_.team_id == uow.team_id


FEEDBACK_QUESTION = AskedOnce(BuddyPair.feedback_asked_at, BuddyPair.id)  # the end-of-programme question
WAITING_NOTICE = AskedOnce(BuddyEnrollment.waiting_told_at, BuddyEnrollment.member_id)  # "you wait for a mentor"


def claim(uow: UnitOfWork, message: AskedOnce, key: int, now: datetime) -> bool:
    """Like `claim_checkin`, for a message sent once per pair or enrollment."""
    return _stamp_once(uow, message.stamp, now, *message._row(uow, key))


def release(uow: UnitOfWork, message: AskedOnce, key: int) -> None:
    """Slack refused the message: it counts as not sent, and a later run may send it."""
    _unstamp(uow, message.stamp, *message._row(uow, key))


def was_asked(uow: UnitOfWork, pair: BuddyPair, week: date) -> bool:
    return (
        uow.session.scalar(
            select(BuddyCheckIn.asked_at).where(BuddyCheckIn.pair_id == pair.id, BuddyCheckIn.week == week)
        )
        is not None
    )


def answer_checkin(
    uow: UnitOfWork, pair: BuddyPair, week: date, member: Member, answer: Answer, now: datetime, pause_weeks: int = 2
) -> tuple[BuddyCheckIn, bool]:
    """Stores the pair's answer for the week once; a second click changes nothing. Returns the check-in and
    whether this click stored it. "Pause" pauses the pair's check-ins for two weeks."""
    if member.id not in members_of(pair):
        raise UserError("buddy.error.not_your_pair")
    checkin = checkin_asked(uow, pair, week, now)
    if checkin.answer is not None:
        return checkin, False
    checkin.answer, checkin.answered_by_id, checkin.answered_at = answer, member.id, now
    if answer is Answer.PAUSE:
        pair.paused_until = week + timedelta(weeks=pause_weeks + 1) - timedelta(days=1)
    return checkin, True


def add_note(uow: UnitOfWork, member: Member, week: date, note: str, now: datetime) -> BuddyCheckIn:
    text = " ".join(note.split())
    if not text:
        raise UserError("buddy.error.note_empty", example="example.buddy_note")
    if len(text) > 280:
        raise UserError("buddy.error.note_too_long", max=280)
    check_no_personal_data(text)
    pairs = active_pairs_of(uow, member)
    if not pairs:
        raise UserError("buddy.error.no_pair")
    checkin = checkin_asked(uow, pairs[0], week, now)
    checkin.note = text
    return checkin


def streak_weeks(uow: UnitOfWork, pair: BuddyPair, this_week: date) -> int:
    """Weeks in a row the pair answered "Ja", ending with the latest asked week."""
    answers = dict(
        uow.session.execute(
            select(BuddyCheckIn.week, BuddyCheckIn.answer).where(
                BuddyCheckIn.pair_id == pair.id, BuddyCheckIn.week <= this_week
            )
        ).all()
    )
    week = max(answers, default=None)
    if week is not None and answers[week] is None:
        week -= timedelta(weeks=1)  # this week's question may still be open
    streak = 0
    while week is not None and answers.get(week) == Answer.YES:
        streak += 1
        week -= timedelta(weeks=1)
    return streak


@dataclass(frozen=True)
class Decision:
    """Where the end-of-programme decision stands, and what each chose."""

    state: DecisionState
    choices: list[tuple[str, FeedbackChoice | None]]  # Slack id and choice (None: not answered yet)
    ends_on: date


def give_feedback(
    uow: UnitOfWork, pair: BuddyPair, member: Member, extend: bool, weeks: int, now: datetime
) -> Decision:
    """At the end of a programme each says "extend" or "end"; a second click of the same person changes
    nothing. One "end" ends it; "extend" from everyone adds `weeks`."""
    if member.id not in members_of(pair):
        raise UserError("buddy.error.not_your_pair")
    if pair.status == PairStatus.ACTIVE:
        insert_ignoring_duplicate(
            uow,
            BuddyFeedback,
            {
                "team_id": uow.team_id,
                "pair_id": pair.id,
                "member_id": member.id,
                "decision": FeedbackChoice.EXTEND if extend else FeedbackChoice.END,
            },
        )
    decisions = dict(
        uow.session.execute(
            select(BuddyFeedback.member_id, BuddyFeedback.decision).where(BuddyFeedback.pair_id == pair.id)
        ).all()
    )
    ids = slack_ids(uow, list(members_of(pair)))
    choices = [(ids[member_id], decisions.get(member_id)) for member_id in members_of(pair)]
    if pair.status != PairStatus.ACTIVE:
        return Decision(DecisionState.ENDED, choices, pair.ends_on)
    if FeedbackChoice.END in decisions.values():
        pair.status, pair.ended_at = PairStatus.ENDED, now
        return Decision(DecisionState.ENDED, choices, pair.ends_on)
    if len(decisions) == len(members_of(pair)):
        pair.ends_on += timedelta(weeks=weeks)
        pair.feedback_asked_at = None
        uow.session.execute(delete(BuddyFeedback).where(BuddyFeedback.pair_id == pair.id))
        return Decision(DecisionState.EXTENDED, choices, pair.ends_on)
    return Decision(DecisionState.OPEN, choices, pair.ends_on)


MAX_COMMENT = 280


def check_can_rate(uow: UnitOfWork, pair: BuddyPair, member: Member) -> None:
    """Only people of an ended programme rate it, each once."""
    if member.id not in members_of(pair):
        raise UserError("buddy.error.not_your_pair")
    if pair.status != PairStatus.ENDED:
        raise UserError("buddy.error.rating_not_ended")
    existing = uow.session.scalar(
        select(BuddyRating.id).where(BuddyRating.pair_id == pair.id, BuddyRating.member_id == member.id)
    )
    if existing is not None:
        raise UserError("buddy.error.already_rated")


def rate_programme(uow: UnitOfWork, pair: BuddyPair, member: Member, rating: int, comment: str | None) -> None:
    """One rating (1-5) and an optional line per person and ended programme."""
    check_can_rate(uow, pair, member)
    if not 1 <= rating <= 5:
        raise UserError("buddy.error.rating")
    line = " ".join((comment or "").split()) or None
    if line is not None:
        if len(line) > MAX_COMMENT:
            raise UserError("buddy.error.note_too_long", field=fields.NOTE, max=MAX_COMMENT)
        check_no_personal_data(line, field=fields.NOTE)
    # A modal sent twice at once: the database keeps one rating per person and pair.
    insert_ignoring_duplicate(
        uow,
        BuddyRating,
        {"team_id": uow.team_id, "pair_id": pair.id, "member_id": member.id, "rating": rating, "comment": line},
    )


def buddy_status(uow: UnitOfWork, member: Member, today: date) -> BuddyStatus:
    enrollment = enrollment_of(uow, member)
    pairs = active_pairs_of(uow, member)
    ids = slack_ids(uow, [other for pair in pairs for other in members_of(pair) if other != member.id])
    partners = [(pair_info(pair), [ids[other] for other in members_of(pair) if other != member.id]) for pair in pairs]
    mentored = any(pair.kind == PairKind.MENTOR and pair.mentee_id == member.id for pair in pairs)
    waiting = bool(enrollment and enrollment.active and enrollment.role == Role.MENTEE and not mentored)
    streak = max((streak_weeks(uow, pair, week_start(today)) for pair in pairs), default=0)
    enrolled = enrollment if enrollment and enrollment.active else None
    return BuddyStatus(
        enrolled.role if enrolled else None,
        enrolled.capacity if enrolled else 0,
        partners,
        waiting,
        streak,
        member.paused_until if is_paused(member.paused_until, today) else None,
    )


def count_active_pairs(uow: UnitOfWork) -> int:
    """Running mentor-mentee pairs (learning partners are listed apart)."""
    return int(
        uow.session.scalar(
            select(func.count(BuddyPair.id)).where(
                BuddyPair.team_id == uow.team_id,
                BuddyPair.status == PairStatus.ACTIVE,
                BuddyPair.kind == PairKind.MENTOR,
            )
        )
        or 0
    )


def active_peer_groups(uow: UnitOfWork) -> list[list[str]]:
    """The Slack ids of each running group of learning partners, oldest first."""
    groups = uow.session.scalars(
        select(BuddyPair)
        .where(BuddyPair.team_id == uow.team_id, BuddyPair.status == PairStatus.ACTIVE, BuddyPair.kind == PairKind.PEER)
        .order_by(BuddyPair.id)
    ).all()
    ids = slack_ids(uow, [member for group in groups for member in members_of(group)])
    return [[ids[member] for member in members_of(group)] for group in groups]


# -- what the buddy jobs ask ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckinPair:
    """An active pair as the weekly check-in sees it at one moment."""

    pair_id: int
    local_now: datetime  # in the mentee's time zone
    paused_until: tuple[date | None, ...]  # the pair's, then each person's
    deactivated: bool  # someone in it has left
    ends_on: date
    feedback_asked: bool
    asked_this_week: bool  # this local week's question


def pairs_to_ask(uow: UnitOfWork, now: datetime, default_zone: ZoneInfo) -> list[CheckinPair]:
    rows = uow.session.execute(
        select(BuddyPair, Member)
        .join(Member, Member.id == BuddyPair.mentee_id)
        .where(BuddyPair.team_id == uow.team_id, BuddyPair.status == PairStatus.ACTIVE)
    ).all()
    pairs = []
    for pair, mentee in rows:
        people = [uow.session.get_one(Member, member_id) for member_id in members_of(pair)]
        local_now = now.astimezone(zone_of(mentee, default_zone))
        pairs.append(
            CheckinPair(
                pair_id=pair.id,
                local_now=local_now,
                paused_until=(pair.paused_until, *(person.paused_until for person in people)),
                deactivated=any(person.deactivated_at is not None for person in people),
                ends_on=pair.ends_on,
                feedback_asked=pair.feedback_asked_at is not None,
                asked_this_week=was_asked(uow, pair, week_start(local_now.date())),
            )
        )
    return pairs


def next_checkin(pair: BuddyPair, mentee: Member, now: datetime, settings: Settings) -> datetime | None:
    """When the pair is asked next (skipping holidays and pauses), for `/ki buddy`."""
    return buddy_rules.next_checkin(
        now,
        zone_of(mentee, settings.zone),
        WEEKDAYS.index(settings.buddy_checkin_day),
        settings.buddy_checkin_time,
        settings.holiday_state,
        (pair.paused_until, mentee.paused_until),
        pair.ends_on,
    )


@dataclass(frozen=True)
class PairChat:
    """What a message to a pair's group DM needs."""

    pair: BuddyPair
    language: str
    users: tuple[str, ...]  # Slack ids: mentor first, then mentee; or the learning partners
    channel: str | None  # the group DM, once opened


def pair_chat(uow: UnitOfWork, pair_id: int) -> PairChat:
    pair = get_pair(uow, pair_id)
    users = tuple(uow.session.get_one(Member, member_id).slack_user_id for member_id in members_of(pair))
    return PairChat(pair, pair_language(uow, pair), users, pair.channel_id)


def remember_pair_channel(uow: UnitOfWork, pair_id: int, channel: str) -> None:
    """The group DM, opened once and kept for every later message."""
    uow.session.execute(update(BuddyPair).where(BuddyPair.id == pair_id).values(channel_id=channel))
