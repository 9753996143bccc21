"""Claims and fan-out on SQLite and PostgreSQL: two schedulers racing, a crash half-way and a restart,
429 answers from a loopback Slack — with exact message counts."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.catalogs import load_catalogs
from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.models import Delivery, JobRun
from bot.services.members import ensure_member
from bot.slack.client import make_web_client
from jobs.runtime import JobContext, JobReport, claim, fan_out, finish, unfinished_runs
from tests.conftest import FIXED_NOW, TEAM, make_settings

RECIPIENTS = [f"U{n:03d}" for n in range(20)]


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs, no except clause catches it."""


@pytest.fixture
def deps(database: Database, local_slack: LocalSlackApi) -> Deps:
    with database.unit_of_work(TEAM) as uow:
        ensure_member(uow, "U0ADMIN", "de")  # creates the workspace
    return Deps(
        settings=make_settings(slack_api_url=local_slack.url),
        database=database,
        catalogs=load_catalogs(),
        clock=lambda: FIXED_NOW,
    )


def context(deps: Deps, minutes_later: int = 0) -> JobContext:
    return JobContext(deps, make_web_client(deps.settings, patient=True), FIXED_NOW + timedelta(minutes=minutes_later))


def post_to(client: WebClient):
    def send(recipient: str) -> None:
        client.chat_postMessage(channel=recipient, text="Hallo")

    return send


def test_two_schedulers_racing_claim_one_occurrence_once(deps: Deps) -> None:
    winners: list[int | None] = []
    barrier = threading.Barrier(4)

    def scheduler() -> None:
        ctx = context(deps)
        barrier.wait()
        winners.append(claim(deps.database, TEAM, "buddy_checkin", "2026-11-26T09:00+00:00", ctx))

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(1 for winner in winners if winner is not None) == 1
    run_id = next(winner for winner in winners if winner is not None)
    finish(deps.database, TEAM, run_id, context(deps))
    assert claim(deps.database, TEAM, "buddy_checkin", "2026-11-26T09:00+00:00", context(deps, 60)) is None


def test_fan_out_sends_each_once_through_429s(deps: Deps, local_slack: LocalSlackApi) -> None:
    local_slack.fail("chat.postMessage", status=429, retry_after=1, times=2)
    ctx = context(deps)
    run_id = claim(deps.database, TEAM, "test_job", "once", ctx)
    assert run_id is not None
    report = JobReport("test_job")
    fan_out(deps.database, TEAM, run_id, RECIPIENTS, post_to(ctx.client), ctx, report)
    calls = local_slack.calls_to("chat.postMessage")
    assert len(calls) == 22  # 20 messages + the 2 answered with 429 and retried after Retry-After
    assert calls[2].at - calls[1].at >= 1.0 or calls[1].at - calls[0].at >= 1.0
    delivered = Counter(c.params["channel"] for c in calls[2:])
    assert sorted(delivered) == RECIPIENTS and set(delivered.values()) == {1}
    assert (report.sent, report.failed) == (20, 0)


def test_an_error_for_one_recipient_does_not_stop_the_others(deps: Deps, local_slack: LocalSlackApi) -> None:
    ctx = context(deps)
    run_id = claim(deps.database, TEAM, "test_job", "errors", ctx)
    assert run_id is not None
    local_slack.fail("chat.postMessage", status=200, error="channel_not_found", times=1)
    report = JobReport("test_job")
    fan_out(deps.database, TEAM, run_id, RECIPIENTS[:5], post_to(ctx.client), ctx, report)
    assert (report.sent, report.failed) == (4, 1)
    with deps.database.unit_of_work(TEAM) as uow:
        errors = uow.session.scalars(select(Delivery.error).where(Delivery.status == "failed")).all()
    assert errors == ["channel_not_found"]


def test_a_fan_out_killed_half_way_resumes_without_sending_twice(deps: Deps, local_slack: LocalSlackApi) -> None:
    local_slack.fail("chat.postMessage", status=429, retry_after=1, times=1)
    first = context(deps)
    run_id = claim(deps.database, TEAM, "test_job", "crash", first)
    assert run_id is not None
    sent = 0

    def send_then_die(recipient: str) -> None:
        nonlocal sent
        first.client.chat_postMessage(channel=recipient, text="Hallo")
        sent += 1
        if sent == 8:
            raise Crash  # after Slack took message 8, before it was marked sent

    with pytest.raises(Crash):
        fan_out(deps.database, TEAM, run_id, RECIPIENTS, send_then_die, first, JobReport("test_job"))
    assert len({c.params["channel"] for c in local_slack.calls_to("chat.postMessage")}) == 8

    # A second scheduler right away finds the lease held and does nothing.
    assert unfinished_runs(deps.database, "test_job", context(deps, 1)) == []
    assert claim(deps.database, TEAM, "test_job", "crash", context(deps, 1)) is None

    # After the restart (lease expired) the run resumes: the rest is sent, nothing twice.
    restart = context(deps, 5)
    assert unfinished_runs(deps.database, "test_job", restart) == [(TEAM, run_id, "crash")]
    assert claim(deps.database, TEAM, "test_job", "crash", restart) == run_id
    report = JobReport("test_job")
    fan_out(deps.database, TEAM, run_id, [], post_to(restart.client), restart, report)
    finish(deps.database, TEAM, run_id, restart)
    messages = local_slack.calls_to("chat.postMessage")
    assert len(messages) == 21  # 20 recipients once each + the first attempt, answered 429 and retried
    per_recipient = Counter(c.params["channel"] for c in messages[1:])
    assert set(per_recipient.values()) == {1} and sorted(per_recipient) == RECIPIENTS
    assert report.sent == 12
    with deps.database.unit_of_work(TEAM) as uow:
        statuses = Counter(uow.session.scalars(select(Delivery.status)).all())
        interrupted = uow.session.scalars(select(Delivery.recipient).where(Delivery.error == "interrupted")).all()
        assert uow.session.scalar(select(JobRun.finished_at)) is not None
    # The one in flight at the crash reached Slack; it is recorded as uncertain, not sent again.
    assert statuses == {"sent": 19, "uncertain": 1} and interrupted == [RECIPIENTS[7]]
