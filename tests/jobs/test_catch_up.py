"""What was due while no scheduler ran happens once when one comes back, within the job's grace; a worker
keeps its lease while it is still sending."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.models import JobRun
from bot.services.members import ensure_member
from bot.slack.client import make_web_client
from jobs import runtime
from jobs.runtime import JobContext, JobReport, claim, run_occurrence
from jobs.scheduler import add_jobs, run_job
from tests.conftest import TEAM, eventually
from tests.rows import add_pair
from tests.slack_payloads import bolt_app

MONDAY_9_BERLIN = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
THURSDAY_10_BERLIN = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def deps(database: Database, local_slack: LocalSlackApi) -> Iterator[Deps]:
    with bolt_app(database, local_slack, community_channel="C0COMMUNITY") as (_, deps):
        with database.unit_of_work(TEAM) as uow:
            ensure_member(uow, "U0ANNA", "de")  # creates the workspace
        yield deps


def leaderboard_posts(slack: LocalSlackApi) -> int:
    return len([c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == "C0COMMUNITY"])


def test_a_scheduler_started_just_after_the_leaderboard_time_posts_it_once(
    deps: Deps, local_slack: LocalSlackApi
) -> None:
    deps.clock = lambda: MONDAY_9_BERLIN + timedelta(seconds=16)
    scheduler = add_jobs(BackgroundScheduler(), deps)
    scheduler.start()
    try:
        assert eventually(lambda: leaderboard_posts(local_slack) == 1, timeout=30)
    finally:
        scheduler.shutdown(wait=True)
    assert run_job(deps, "weekly_leaderboard", now=MONDAY_9_BERLIN + timedelta(hours=3)).sent == 0
    assert leaderboard_posts(local_slack) == 1


@pytest.mark.parametrize(
    ("late", "posted"),
    [(timedelta(minutes=15), 1), (timedelta(hours=23), 1), (timedelta(hours=24, minutes=15), 0)],
)
def test_a_missed_leaderboard_is_posted_within_a_day(
    deps: Deps, local_slack: LocalSlackApi, late: timedelta, posted: int
) -> None:
    run_job(deps, "weekly_leaderboard", now=MONDAY_9_BERLIN + late)
    run_job(deps, "weekly_leaderboard", now=MONDAY_9_BERLIN + late + timedelta(minutes=15))
    assert leaderboard_posts(local_slack) == posted


def test_the_monthly_report_missed_on_the_first_workday_comes_the_next_morning(
    deps: Deps, local_slack: LocalSlackApi
) -> None:
    first_workday_9 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    run_job(deps, "monthly_report", now=first_workday_9 + timedelta(hours=20))
    run_job(deps, "monthly_report", now=first_workday_9 + timedelta(hours=22))
    reports = [
        c for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == deps.settings.admin_channel
    ]
    assert len(reports) == 1


@pytest.mark.parametrize(
    ("late", "asked"), [(timedelta(minutes=15), 1), (timedelta(hours=1), 1), (timedelta(days=1), 0)]
)
def test_a_missed_checkin_is_asked_later_the_same_day_once(
    deps: Deps, local_slack: LocalSlackApi, database: Database, late: timedelta, asked: int
) -> None:
    with database.unit_of_work(TEAM) as uow:
        mentor, mentee = ensure_member(uow, "UMENTOR", "de"), ensure_member(uow, "UMENTEE", "de")
        add_pair(uow.session, mentor.id, mentee.id, date(2026, 11, 20), date(2027, 2, 12))
    for later in (late, late + timedelta(hours=2)):
        run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN + later)
    posts = [c for c in local_slack.calls_to("chat.postMessage") if "ausgetauscht" in str(c.params["text"])]
    assert len(posts) == asked


def test_a_worker_renews_its_lease_while_a_message_takes_long(
    deps: Deps, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "RENEW_EVERY_SECONDS", 0.05)
    now = [MONDAY_9_BERLIN]
    deps.clock = lambda: now[0]
    sending, done = threading.Event(), threading.Event()

    def slow_send(_recipient: str) -> None:
        sending.set()
        done.wait(timeout=30)

    ctx = JobContext(deps, make_web_client(deps.settings, patient=True), MONDAY_9_BERLIN)
    worker = threading.Thread(
        target=run_occurrence,
        args=(ctx, TEAM, "test_job", "slow", lambda _uow: ["U1"], slow_send, JobReport("test_job")),
    )
    worker.start()
    try:
        assert sending.wait(timeout=30)
        now[0] = MONDAY_9_BERLIN + runtime.LEASE + timedelta(minutes=1)

        def renewed() -> bool:
            with database.unit_of_work(TEAM) as uow:
                lease = uow.session.scalar(select(JobRun.lease_until).where(JobRun.occurrence == "slow"))
            return lease is not None and lease > now[0]

        assert eventually(renewed, timeout=30)
        # The next tick finds the run still held and does not take over.
        assert (
            claim(
                database,
                TEAM,
                "test_job",
                "slow",
                JobContext(deps, make_web_client(deps.settings, patient=True), now[0]),
            )
            is None
        )
    finally:
        done.set()
        worker.join()
