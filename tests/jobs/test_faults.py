"""A fan-out against a fake Slack that misbehaves: 5xx, 429 storms, slow answers, and connections dropped
before or after Slack processed the call. Per recipient, delivered at most once; every miss recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.catalogs import load_catalogs
from bot.console.local_slack import Drop, LocalSlackApi, SlackUser
from bot.db import Database
from bot.deps import Deps
from bot.models import Delivery, Tip
from bot.services.job_ledger import DeliveryStatus
from bot.services.members import ensure_member
from bot.slack.client import make_web_client
from jobs.runtime import JobContext, JobReport, claim, fan_out, finish
from tests.blockkit import text_of
from tests.conftest import FIXED_NOW, TEAM, eventually, make_settings
from tests.slack_payloads import bolt_app, command

RECIPIENTS = [f"U{n:03d}" for n in range(12)]


@pytest.fixture
def deps(database: Database, local_slack: LocalSlackApi) -> Deps:
    with database.unit_of_work(TEAM) as uow:
        ensure_member(uow, "U0ADMIN", "de")
    return Deps(
        settings=make_settings(slack_api_url=local_slack.url),
        database=database,
        catalogs=load_catalogs(),
        clock=lambda: FIXED_NOW,
    )


def post_to(client: WebClient):
    def send(recipient: str) -> None:
        client.chat_postMessage(channel=recipient, text="Hallo")

    return send


def run_fan_out(deps: Deps, client: WebClient | None = None) -> JobReport:
    ctx = JobContext(deps, client or make_web_client(deps.settings, patient=True), FIXED_NOW)
    run_id = claim(deps.database, TEAM, "test_job", "faults", ctx)
    assert run_id is not None
    report = JobReport("test_job")
    fan_out(deps.database, TEAM, run_id, RECIPIENTS, post_to(ctx.client), ctx, report)
    finish(deps.database, TEAM, run_id, ctx)
    return report


def statuses(database: Database) -> dict[str, str]:
    with database.unit_of_work(TEAM) as uow:
        return dict(uow.session.execute(select(Delivery.recipient, Delivery.status)).all())  # type: ignore[arg-type]


def fan_out_with_drops(deps: Deps, slack: LocalSlackApi, drop: Drop, times: int) -> tuple[JobReport, Counter[str]]:
    """Runs the fan-out while Slack drops the connection of its first `times` posts (`drop`: before or after
    Slack processed the post); returns the report and how many posts Slack processed for each recipient."""
    slack.drop("chat.postMessage", drop, times=times)
    report = run_fan_out(deps)
    return report, Counter(call.params["channel"] for call in slack.calls_to("chat.postMessage"))


def test_a_post_whose_answer_was_lost_is_not_repeated_and_recorded_as_uncertain(
    deps: Deps, local_slack: LocalSlackApi
) -> None:
    report, delivered = fan_out_with_drops(deps, local_slack, Drop.AFTER, times=3)
    assert sorted(delivered) == RECIPIENTS and set(delivered.values()) == {1}
    uncertain = [call.params["channel"] for call in local_slack.unheard]
    assert {r: s for r, s in statuses(deps.database).items() if s != DeliveryStatus.SENT} == dict.fromkeys(
        uncertain, DeliveryStatus.UNCERTAIN
    )
    assert (report.sent, report.failed) == (9, 3)


def test_a_connection_dropped_before_slack_saw_the_post_is_recorded_not_repeated(
    deps: Deps, local_slack: LocalSlackApi
) -> None:
    report, delivered = fan_out_with_drops(deps, local_slack, Drop.BEFORE, times=2)
    assert sorted(delivered) == RECIPIENTS[2:] and set(delivered.values()) == {1}
    # The bot cannot tell the two kinds of drop apart: both are uncertain, and both are listed for admins.
    assert Counter(statuses(deps.database).values()) == {DeliveryStatus.SENT: 10, DeliveryStatus.UNCERTAIN: 2}
    assert (report.sent, report.failed) == (10, 2)


def test_server_errors_are_retried_with_backoff(deps: Deps, local_slack: LocalSlackApi) -> None:
    local_slack.fail("chat.postMessage", status=500, error="internal_error", times=2)
    report = run_fan_out(deps)
    calls = local_slack.calls_to("chat.postMessage")
    assert len(calls) == len(RECIPIENTS) + 2
    assert Counter(call.params["channel"] for call in calls[2:]) == Counter(RECIPIENTS)
    assert (report.sent, report.failed) == (12, 0)


def test_a_rate_limit_storm_is_waited_out(deps: Deps, local_slack: LocalSlackApi) -> None:
    local_slack.fail("chat.postMessage", status=429, retry_after=0, times=10)
    report = run_fan_out(deps)
    calls = local_slack.calls_to("chat.postMessage")
    assert Counter(call.params["channel"] for call in calls[10:]) == Counter(RECIPIENTS)
    assert (report.sent, report.failed) == (12, 0)


def test_server_errors_beyond_the_budget_are_recorded_as_failed(
    deps: Deps, local_slack: LocalSlackApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.slack.client.PATIENT_RETRY_BUDGET_SECONDS", 0)
    local_slack.fail("chat.postMessage", status=503, error="service_unavailable", times=1)
    report = run_fan_out(deps)
    assert statuses(deps.database)[RECIPIENTS[0]] == DeliveryStatus.FAILED
    assert (report.sent, report.failed) == (11, 1)


def test_a_slow_answer_is_uncertain_and_not_repeated(deps: Deps, local_slack: LocalSlackApi) -> None:
    client = make_web_client(deps.settings, patient=True)
    client.timeout = 1
    local_slack.delay("chat.postMessage", 2)
    ctx = JobContext(deps, client, FIXED_NOW)
    run_id = claim(deps.database, TEAM, "test_job", "slow", ctx)
    assert run_id is not None
    report = JobReport("test_job")
    fan_out(deps.database, TEAM, run_id, RECIPIENTS[:1], post_to(client), ctx, report)
    # Slack still processes the post after the bot stopped waiting; the guard only bounds a hang.
    eventually(lambda: bool(local_slack.calls_to("chat.postMessage")), timeout=30)
    assert len(local_slack.calls_to("chat.postMessage")) == 1
    assert statuses(deps.database) == {RECIPIENTS[0]: DeliveryStatus.UNCERTAIN}


# -- a post for a person: the answer says what is known ----------------------------------------------------


@pytest.fixture
def app(database: Database, local_slack: LocalSlackApi) -> Iterator[App]:
    local_slack.add_user(SlackUser("U0ANNA", "anna", locale="de-DE"))
    with bolt_app(database, local_slack, community_channel="C0COMMUNITY") as (bolt, _):
        yield bolt


def tips_stored(database: Database) -> int:
    with database.unit_of_work(TEAM) as uow:
        return int(uow.session.scalar(select(func.count(Tip.id))) or 0)


def test_a_tip_whose_post_got_no_answer_is_not_posted_twice_and_the_person_is_told(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    local_slack.drop("chat.postMessage", Drop.AFTER)
    answer = command(app, "tip Lass dir von ChatGPT erst Rückfragen stellen")
    assert len(local_slack.calls_to("chat.postMessage")) == 1
    assert "vielleicht trotzdem in #C0COMMUNITY angekommen" in text_of(answer["blocks"])
    assert tips_stored(database) == 0


def test_a_tip_after_a_server_error_is_posted_once(app: App, local_slack: LocalSlackApi, database: Database) -> None:
    local_slack.fail("chat.postMessage", status=500, error="internal_error")
    answer = command(app, "tip Lass dir von ChatGPT erst Rückfragen stellen")
    assert "Dein Tipp steht jetzt in #C0COMMUNITY" in text_of(answer["blocks"])
    assert tips_stored(database) == 1
