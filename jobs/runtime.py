"""What every scheduled job stands on: claiming an occurrence exactly once (a run held under a lease that
its worker keeps renewing), a resumable fan-out with one delivery per recipient, the keys that name those
recipients, and the report of what a run did. The records themselves are kept by
bot/services/job_ledger.py."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.db import Database, UnitOfWork
from bot.domain.deliveries import DeliveryStatus
from bot.metrics import DELIVERIES
from bot.services import job_ledger
from bot.services.workspace_settings import SettingsUnavailable
from bot.slack.client import outcome_unknown
from config.settings import Settings

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)

# A claim lasts this long without being renewed; then another scheduler (or a restart) may resume the run.
LEASE = timedelta(minutes=2)
# A worker renews its lease this often (in real seconds) while it works on a run.
RENEW_EVERY_SECONDS = LEASE.total_seconds() / 4
# Unfinished runs younger than this are resumed when their job runs next.
RESUME_WINDOW = timedelta(days=2)


@dataclass
class JobContext:
    deps: Deps
    client: WebClient
    now: datetime
    # Run by an admin or the console: "due" means "due this week", not "due this hour".
    manual: bool = False
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")

    def for_team(self, team_id: str) -> JobContext:
        """The context acting for one workspace: its settings, and with several workspaces its own token's
        client."""
        deps = self.deps.for_team(team_id, strict=True)
        if self.deps.installations is None:
            return replace(self, deps=deps)
        return replace(self, deps=deps, client=deps.web_client(team_id))


class AlreadyDelivered(Exception):
    """Raised by a sender whose message was claimed by another run: nothing was sent, nothing failed."""


class Skip(StrEnum):
    """Why a run sent nothing, or not to everyone: what the console and an admin's `/ki admin run` say."""

    ALREADY_RAN = "already_ran"
    NOT_DUE = "not_due"
    HOLIDAY = "holiday"
    NOBODY = "nobody"
    PAUSED = "paused"
    # A job that only tidies up the data (retention) and messages nobody.
    NO_MESSAGES = "no_messages"


# Job modules note a skip as "<team>: <what> <reason>"; the reasons among them that people are told.
_NOTED_REASONS = {"holiday": Skip.HOLIDAY, "paused": Skip.PAUSED, "deactivated": Skip.NOBODY}


@dataclass
class JobReport:
    job: str
    runs: int = 0
    sent: int = 0
    failed: int = 0
    # Notes for the log, e.g. "T1: pair 3 paused".
    skipped: list[str] = field(default_factory=list)
    reasons: list[Skip] = field(default_factory=list)

    def why(self) -> list[Skip]:
        """Each reason once, in the order it came up, including those noted in `skipped`."""
        noted = (_NOTED_REASONS.get(note.rsplit(" ", 1)[-1]) for note in self.skipped)
        return list(dict.fromkeys([*self.reasons, *(reason for reason in noted if reason is not None)]))


def post_claimed(post: Callable[[], object], release: Callable[[], None]) -> None:
    """Sends a message whose claim (e.g. "this week's check-in is asked") is already stored. When Slack
    definitely did not take it, the claim is released so that a later run may send it; without an answer
    the claim stays, since the message may have arrived."""
    try:
        post()
    except (SlackApiError, SlackClientError, OSError) as failure:
        if not outcome_unknown(failure):
            release()
        raise


def due_times(trigger: BaseTrigger, now: datetime, grace: timedelta) -> list[datetime]:
    """The times `trigger` names in the last `grace` up to `now`: occurrences a tick still has to run, also
    when no scheduler was running at that moment (deploy, restart). Their occurrence keys make each
    happen once."""
    times: list[datetime] = []
    moment = trigger.get_next_fire_time(None, now - grace)
    while moment is not None and moment <= now:
        times.append(moment)
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return times


def claim(database: Database, team_id: str, job: str, occurrence: str, ctx: JobContext) -> int | None:
    """The run id if this worker may work on the occurrence now; None if it is done or someone else holds
    it. Claiming a run that stopped half-way marks what was being sent then as uncertain."""
    with database.unit_of_work(team_id) as uow:
        return job_ledger.claim_run(uow, job, occurrence, ctx.worker, ctx.now, LEASE)


@contextmanager
def renewing_lease(database: Database, team_id: str, run_id: int, ctx: JobContext) -> Iterator[None]:
    """Keeps the run's lease fresh by the real clock while the block runs, however long one message
    takes (429 storms): another scheduler takes over only a run whose worker stopped."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(RENEW_EVERY_SECONDS):
            try:
                with database.unit_of_work(team_id) as uow:
                    job_ledger.renew_lease(uow, run_id, ctx.worker, ctx.deps.clock() + LEASE)
            except Exception:
                log.exception("%s: renewing the lease failed", run_id)

    renewer = threading.Thread(target=renew, name=f"lease-{run_id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()


def finish(database: Database, team_id: str, run_id: int, ctx: JobContext, outcome: str | None = None) -> None:
    with database.unit_of_work(team_id) as uow:
        job_ledger.finish_run(uow, run_id, ctx.now, outcome)


def unfinished_runs(database: Database, job: str, ctx: JobContext) -> list[tuple[str, int, str]]:
    """(workspace, run id, occurrence) of runs of `job` that stopped half-way recently."""
    return job_ledger.unfinished_runs(database, job, ctx.now, RESUME_WINDOW)


Send = Callable[[str], None]


def resume_unfinished(ctx: JobContext, job: str, sender: Callable[[JobContext, str], Send], report: JobReport) -> None:
    """Finishes the runs of `job` that stopped half-way recently (a crash, a restart): what was still
    pending is sent, what was being sent stays uncertain."""
    database = ctx.deps.database
    for team_id, run_id, occurrence in unfinished_runs(database, job, ctx):
        if not ctx.deps.serves(team_id):
            continue
        try:
            team_ctx = ctx.for_team(team_id)
        except SettingsUnavailable:
            continue  # resumed at a later tick
        if claim(database, team_id, job, occurrence, team_ctx) == run_id:
            with renewing_lease(database, team_id, run_id, team_ctx):
                fan_out(database, team_id, run_id, [], sender(team_ctx, team_id), team_ctx, report)
            finish(database, team_id, run_id, team_ctx, outcome="resumed")


def occurrence_key(ctx: JobContext, scheduled: str) -> str:
    """A run started by hand is an occurrence of its own; a scheduled one is named by what it covers."""
    return f"manual:{ctx.now.isoformat(timespec='seconds')}" if ctx.manual else scheduled


def run_occurrence(
    ctx: JobContext,
    team_id: str,
    job: str,
    occurrence: str,
    recipients: Callable[[UnitOfWork], list[str]],
    send: Send,
    report: JobReport,
) -> bool:
    """Claims the occurrence, writes its deliveries (in one transaction with whatever `recipients` writes,
    e.g. new buddy pairs), sends them and marks the run finished. False if it was not ours to run."""
    database = ctx.deps.database
    run_id = claim(database, team_id, job, occurrence, ctx)
    if run_id is None:
        report.reasons.append(Skip.ALREADY_RAN)
        return False
    report.runs += 1
    with database.unit_of_work(team_id) as uow:
        chosen = recipients(uow)
        job_ledger.add_deliveries(uow, run_id, chosen)
    if not chosen:
        report.reasons.append(Skip.NOBODY)
    with renewing_lease(database, team_id, run_id, ctx):
        fan_out(database, team_id, run_id, [], send, ctx, report)
    finish(database, team_id, run_id, ctx)
    return True


def fan_out(
    database: Database, team_id: str, run_id: int, recipients: list[str], send: Send, ctx: JobContext, report: JobReport
) -> None:
    """Writes one delivery per recipient (unique per run), then sends the pending ones one by one, marking
    each. A crash leaves the rest pending for the next attempt; an error is recorded for that recipient
    and the others go on. 429s and 5xx are retried by the Web API client; a call without an answer is
    recorded as uncertain and not repeated."""
    with database.unit_of_work(team_id) as uow:
        job_ledger.add_deliveries(uow, run_id, recipients)
    while True:
        with database.unit_of_work(team_id) as uow:
            pending = job_ledger.next_pending(uow, run_id)
            if pending is None:
                return
            delivery_id, recipient = pending
            mine = job_ledger.take_for_sending(uow, delivery_id)
        if not mine:
            continue
        status, error = DeliveryStatus.SENT, None
        try:
            send(recipient)
        except AlreadyDelivered:
            status = DeliveryStatus.SKIPPED
        except SlackApiError as failure:
            status, error = DeliveryStatus.FAILED, str(failure.response.get("error") or "slack_error")[:200]
        except (SlackClientError, OSError) as failure:
            unknown = outcome_unknown(failure)
            status = DeliveryStatus.UNCERTAIN if unknown else DeliveryStatus.FAILED
            error = type(failure).__name__
        with database.unit_of_work(team_id) as uow:
            job_ledger.record_outcome(uow, delivery_id, status, error, ctx.now)
        DELIVERIES.labels(job=report.job, outcome=status.value).inc()
        if status == DeliveryStatus.SENT:
            report.sent += 1
        elif status == DeliveryStatus.SKIPPED:
            report.reasons.append(Skip.ALREADY_RAN)
        else:
            report.failed += 1
            log.warning("%s: delivery to %s %s: %s", run_id, recipient, status, error)


def mornings(settings: Settings) -> CronTrigger:
    """A job that looks every day at the report's time (the scheduler's quarter-hour ticks make up a missed one)."""
    at = settings.report_time
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=settings.zone)


def morning_of(ctx: JobContext) -> date | None:
    """The workspace's day, once its report time has come (an admin's run: at once); None before that."""
    settings = ctx.deps.settings
    local = ctx.now.astimezone(settings.zone)
    if not ctx.manual and local.time() < settings.report_time:
        return None
    return local.date()
