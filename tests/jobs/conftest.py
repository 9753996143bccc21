"""Shared data for the job tests: a workspace with departments of different sizes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.domain.use_cases import Status
from bot.models import Member, UsageLog, UseCaseStatusChange, Workspace
from jobs.scheduler import run_job
from tests.conftest import TEAM
from tests.rows import add_use_case

LAST_WEEK = date(2026, 11, 23)


def posted_once(deps: Deps, slack: LocalSlackApi, job: str, now: datetime, again_after: timedelta) -> dict[str, Any]:
    """Runs `job` at `now`, which posts one message, and again a little later, which posts none (the
    occurrence is done); returns what was posted."""
    assert run_job(deps, job, now=now).sent == 1
    assert run_job(deps, job, now=now + again_after).sent == 0
    return slack.calls_to("chat.postMessage")[0].params


@pytest.fixture
def teams(database: Database) -> None:
    """Vertrieb 6, IT 5, Einkauf 4 (too small alone), 1 without department."""
    with database.unit_of_work(TEAM) as uow:
        uow.session.add(Workspace(team_id=TEAM, default_language="de"))
        uow.session.flush()
        people = []
        for n in range(16):
            department = "Vertrieb" if n < 6 else "IT" if n < 11 else "Einkauf" if n < 15 else None
            member = Member(
                team_id=TEAM,
                slack_user_id=f"U{n:02d}",
                department=department,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
                ranking_opt_in=False,
            )
            uow.session.add(member)
            people.append(member)
        uow.session.flush()
        for n, minutes in ((0, 60), (1, 30), (6, 120), (11, 45), (12, 45)):
            uow.session.add(
                UsageLog(
                    team_id=TEAM,
                    member_id=people[n].id,
                    minutes=minutes,
                    note="",
                    used_on=LAST_WEEK + timedelta(days=1),
                    department=people[n].department,
                )
            )
        case = add_use_case(
            uow.session,
            "chatbot",
            "Chatbot Intranet",
            Status.DISCARDED,
            owner_id=people[0].id,
            created_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
            learning="Zu viele falsche Antworten",
        )
        uow.session.add(
            UseCaseStatusChange(
                team_id=TEAM,
                use_case_id=case.id,
                status=Status.DISCARDED,
                learning=case.learning,
                changed_at=datetime(2026, 11, 25, tzinfo=UTC),
            )
        )
