"""Rows a test writes straight into the database when how they came about is not what it checks: a buddy
pair, a rating of one, a use case (a pair and a use case are flushed, so that the caller can use their ids
at once); and what a column holds, for a test that checks what was stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.db import Database
from bot.domain.buddies import PairStatus
from bot.domain.use_cases import Status, title_key
from bot.models import BuddyPair, BuddyRating, UseCase
from tests.conftest import TEAM

T = TypeVar("T")


def add_pair(
    session: Session, mentor: int, mentee: int, start: date, end: date, status: PairStatus | str = PairStatus.ACTIVE
) -> BuddyPair:
    """A pair of the members with ids `mentor` and `mentee`, running from `start` to `end`."""
    pair = BuddyPair(team_id=TEAM, mentor_id=mentor, mentee_id=mentee, status=status, started_on=start, ends_on=end)
    session.add(pair)
    session.flush()
    return pair


def add_rating(
    session: Session, pair: BuddyPair, rater: int, rating: int, created_at: datetime, comment: str | None = None
) -> None:
    """The rating member `rater` gave `pair`."""
    rated = BuddyRating(team_id=TEAM, pair_id=pair.id, member_id=rater, rating=rating, comment=comment)
    rated.created_at = created_at
    session.add(rated)


def add_use_case(
    session: Session,
    slug: str,
    title: str,
    status: Status | str,
    owner_id: int,
    created_at: datetime,
    learning: str | None = None,
    *,
    team_id: str = TEAM,
    minutes_per_week: int = 60,
) -> UseCase:
    """A use case (saving an hour a week unless told); its title key is derived from the title as the app
    derives it."""
    case = UseCase(
        team_id=team_id, slug=slug, title=title, title_key=title_key(title), minutes_per_week=minutes_per_week
    )
    case.status, case.learning, case.owner_id, case.created_at = status, learning, owner_id, created_at
    session.add(case)
    session.flush()
    return case


def stored(database: Database, column: InstrumentedAttribute[T]) -> list[T]:
    """The values of `column` in the test workspace, in the order the database returns them."""
    with database.unit_of_work(TEAM) as uow:
        return list(uow.session.scalars(select(column)).all())
