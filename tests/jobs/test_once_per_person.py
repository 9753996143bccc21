"""One message per person and occurrence, whoever triggers it: an admin's run while the scheduled one is
still sending, opt-ins at the same moment, a failed question asked again later the same day."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse
from sqlalchemy import select

from bot.console.local_slack import Drop, LocalSlackApi
from bot.db import Database, UnitOfWork
from bot.deps import Deps
from bot.domain.buddies import Role
from bot.models import BuddyCheckIn, BuddyPair
from bot.render import ids
from bot.services import buddies
from bot.services.members import ensure_member
from bot.slack.client import make_web_client
from jobs.scheduler import run_job
from tests.conftest import TEAM
from tests.rows import add_pair
from tests.slack_payloads import bolt_app

THURSDAY_10_BERLIN = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def deps(database: Database, local_slack: LocalSlackApi) -> Iterator[Deps]:
    with bolt_app(database, local_slack, admin_user_ids="UADMIN") as (_, deps):
        yield deps


class Interleaving(WebClient):
    """A client that, just before its first post, lets something else happen: a second run started while
    the first one is between "not asked yet?" and its post."""

    def __init__(self, meanwhile: Callable[[], object], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.meanwhile: Callable[[], object] | None = meanwhile

    def chat_postMessage(self, **kwargs: Any) -> SlackResponse:
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile is not None:
            meanwhile()
        return super().chat_postMessage(**kwargs)


def pairs(database: Database, count: int, ends_on: date | None = None) -> list[int]:
    with database.unit_of_work(TEAM) as uow:
        created = []
        for n in range(count):
            mentor = ensure_member(uow, f"UMENTOR{n:02d}", "de")
            mentee = ensure_member(uow, f"UMENTEE{n:02d}", "de")
            pair = add_pair(uow.session, mentor.id, mentee.id, date(2026, 11, 20), ends_on or date(2027, 2, 12))
            created.append(pair.id)
        return created


def questions(slack: LocalSlackApi, words: str) -> Counter[str]:
    return Counter(c.params["channel"] for c in slack.calls_to("chat.postMessage") if words in str(c.params["text"]))


def interleaved_runs(deps: Deps, job: str, now: datetime) -> None:
    """The scheduled run; while it is about to post its first message, an admin runs the job by hand."""
    admin = lambda: run_job(  # noqa: E731
        deps, job, manual=True, client=make_web_client(deps.settings, patient=True), now=now + timedelta(seconds=1)
    )
    client = Interleaving(admin, token="xoxb-test", base_url=deps.settings.slack_api_url)
    run_job(deps, job, client=client, now=now)


def test_an_admin_run_during_the_scheduled_one_asks_each_pair_once(
    deps: Deps, local_slack: LocalSlackApi, database: Database
) -> None:
    pairs(database, 5)
    interleaved_runs(deps, "buddy_checkin", THURSDAY_10_BERLIN)
    asked = questions(local_slack, "ausgetauscht")
    assert len(asked) == 5 and set(asked.values()) == {1}


def test_the_end_of_programme_question_is_asked_once_per_pair(
    deps: Deps, local_slack: LocalSlackApi, database: Database
) -> None:
    pairs(database, 3, ends_on=date(2026, 11, 26))
    interleaved_runs(deps, "buddy_checkin", THURSDAY_10_BERLIN)
    feedback = Counter(
        c.params["channel"] for c in local_slack.calls_to("chat.postMessage") if ids.FEEDBACK_DECISION in str(c.params)
    )
    assert len(feedback) == 3 and set(feedback.values()) == {1}


def test_a_question_slack_refused_is_asked_again_later_that_day_and_counts_once(
    deps: Deps, local_slack: LocalSlackApi, database: Database
) -> None:
    (pair_id,) = pairs(database, 1)
    local_slack.fail("chat.postMessage", status=200, error="not_in_channel")
    failed = run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
    assert (failed.sent, failed.failed) == (0, 1)
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalar(select(BuddyCheckIn.asked_at).where(BuddyCheckIn.pair_id == pair_id)) is None
    later = run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN + timedelta(minutes=15))
    assert (later.sent, later.failed) == (1, 0)
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN + timedelta(minutes=30))
    assert sum(questions(local_slack, "ausgetauscht").values()) == 2  # the one refused, the one that arrived


def test_sixteen_opt_ins_at_once_respect_every_mentors_capacity(
    deps: Deps, local_slack: LocalSlackApi, database: Database
) -> None:
    from handlers.commands import match_now

    with database.unit_of_work(TEAM) as uow:
        for n in range(8):
            buddies.enroll(uow, ensure_member(uow, f"UMENTOR{n:02d}", "de"), Role.MENTOR, capacity=1)
        mentees = [ensure_member(uow, f"UMENTEE{n:02d}", "de") for n in range(16)]
        for mentee in mentees:
            mentee.track = "basis"
            buddies.enroll(uow, mentee, Role.MENTEE)
        mentee_ids = [mentee.id for mentee in mentees]
    barrier = threading.Barrier(len(mentee_ids))
    errors: list[BaseException] = []

    def opt_in(member_id: int) -> None:
        barrier.wait()
        try:
            match_now(deps, TEAM, member_id)
        except BaseException as error:  # a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=opt_in, args=(member_id,)) for member_id in mentee_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.unit_of_work(TEAM) as uow:
        active = uow.session.execute(
            select(BuddyPair.mentor_id, BuddyPair.mentee_id).where(BuddyPair.status == "active")
        ).all()
    assert len(active) == 8
    assert set(Counter(mentor for mentor, _ in active).values()) == {1}
    assert set(Counter(mentee for _, mentee in active).values()) == {1}
    intros = [c for c in local_slack.calls_to("chat.postMessage") if c.params["channel"].startswith("D")]
    assert len(intros) == 8
    waiting = Counter(
        c.params["channel"] for c in local_slack.calls_to("chat.postMessage") if "Warteliste" in str(c.params)
    )
    assert len(waiting) == 8 and set(waiting.values()) == {1}


def test_the_database_refuses_a_second_running_mentor_for_a_mentee(database: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    (pair_id,) = pairs(database, 1)

    def second_mentor_for_the_mentee(uow: UnitOfWork, first: BuddyPair) -> None:
        other = ensure_member(uow, "UOTHERMENTOR", "de")
        add_pair(uow.session, other.id, first.mentee_id, first.started_on, first.ends_on)

    with pytest.raises(IntegrityError), database.unit_of_work(TEAM) as uow:
        second_mentor_for_the_mentee(uow, uow.session.get_one(BuddyPair, pair_id))
    # Once the first pair has ended, the same mentee may have another mentor.
    with database.unit_of_work(TEAM) as uow:
        first = uow.session.get_one(BuddyPair, pair_id)
        first.status = "ended"
        second_mentor_for_the_mentee(uow, first)


def test_admins_see_what_did_not_arrive_in_the_last_run(local_slack: LocalSlackApi, database: Database) -> None:
    from tests.slack_payloads import command

    pairs(database, 3)
    with bolt_app(database, local_slack, admin_user_ids="UADMIN") as (app, deps):
        local_slack.fail("chat.postMessage", status=200, error="not_in_channel", times=1)
        local_slack.drop("chat.postMessage", Drop.AFTER, times=1)
        report = run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
        assert (report.sent, report.failed) == (1, 2)
        schedule = command(app, "admin zeitplan", user="UADMIN")["text"]
    assert "`buddy_checkin`, Lauf vom 26.11.2026 10:00: 1 Nachricht nicht zugestellt" in schedule
    assert "`buddy_checkin`, Lauf vom 26.11.2026 10:00: 1 Nachricht ohne Antwort von Slack" in schedule
