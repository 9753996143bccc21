"""What every scheduled job stands on: claiming an occurrence exactly once, a resumable fan-out with one
delivery row per recipient, and the calendar (public holidays, local times)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from apscheduler.triggers.base import BaseTrigger
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import func, or_, select, update

from bot.db import Database, UnitOfWork
from bot.domain.deliveries import DeliveryStatus
from bot.models import Delivery, JobRun, Workspace
from bot.services.records import insert_ignoring_duplicate
from bot.slack.client import outcome_unknown

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


def workspaces(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return list(connection.execute(select(Workspace.team_id).order_by(Workspace.team_id)).scalars())


def claim(database: Database, team_id: str, job: str, occurrence: str, ctx: JobContext) -> int | None:
    """The run id if this worker may work on the occurrence now; None if it is done or someone else holds
    it. The row is unique per (job, workspace, occurrence), so two schedulers cannot both start it."""
    # Created and claimed in one transaction: nobody ever sees the run unclaimed.
    with database.unit_of_work(team_id) as uow:
        insert_ignoring_duplicate(uow, JobRun, {"job": job, "team_id": team_id, "occurrence": occurrence})
        taken = uow.session.execute(
            update(JobRun)
            .where(
                JobRun.job == job,
                JobRun.team_id == team_id,
                JobRun.occurrence == occurrence,
                JobRun.finished_at.is_(None),
                or_(JobRun.lease_until.is_(None), JobRun.lease_until < ctx.now, JobRun.claimed_by == ctx.worker),
            )
            .values(claimed_by=ctx.worker, lease_until=ctx.now + LEASE)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        run_id = uow.session.scalars(
            select(JobRun.id).where(JobRun.job == job, JobRun.team_id == team_id, JobRun.occurrence == occurrence)
        ).one()
        # A resumed run: whatever was being sent when the last worker stopped may or may not have reached
        # Slack. Never sending twice wins over sending once more.
        uow.session.execute(
            update(Delivery)
            .where(Delivery.job_run_id == run_id, Delivery.status == DeliveryStatus.SENDING)
            .values(status=DeliveryStatus.UNCERTAIN, error="interrupted")
        )
        return run_id


@contextmanager
def renewing_lease(database: Database, team_id: str, run_id: int, ctx: JobContext) -> Iterator[None]:
    """Keeps the run's lease fresh by the real clock while the block runs, however long one message
    takes (429 storms): another scheduler takes over only a run whose worker stopped."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(RENEW_EVERY_SECONDS):
            try:
                with database.unit_of_work(team_id) as uow:
                    uow.session.execute(
                        update(JobRun)
                        .where(JobRun.id == run_id, JobRun.claimed_by == ctx.worker, JobRun.finished_at.is_(None))
                        .values(lease_until=ctx.deps.clock() + LEASE)
                    )
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
        uow.session.execute(
            update(JobRun).where(JobRun.id == run_id).values(finished_at=ctx.now, lease_until=None, outcome=outcome)
        )


@dataclass(frozen=True)
class MissedDeliveries:
    """Messages of a job's latest run that did not (surely) arrive: what admins see in the schedule."""

    job: str
    run_at: datetime
    failed: int
    uncertain: int


def missed_deliveries(uow: UnitOfWork) -> list[MissedDeliveries]:
    """Per job, its latest run in the workspace that had messages to send, if some of them failed (Slack
    refused them, even after retries) or are uncertain (no answer, or the worker stopped mid-send)."""
    latest = uow.session.execute(
        select(JobRun.job, func.max(JobRun.id))
        .join(Delivery, Delivery.job_run_id == JobRun.id)
        .where(JobRun.team_id == uow.team_id)
        .group_by(JobRun.job)
    ).all()
    missed = []
    for job, run_id in sorted(latest):
        counts = dict(
            uow.session.execute(
                select(Delivery.status, func.count(Delivery.id))
                .where(Delivery.job_run_id == run_id)
                .group_by(Delivery.status)
            ).all()
        )
        failed, uncertain = counts.get(DeliveryStatus.FAILED, 0), counts.get(DeliveryStatus.UNCERTAIN, 0)
        if failed or uncertain:
            run_at = uow.session.get_one(JobRun, run_id).created_at
            missed.append(MissedDeliveries(job, run_at, int(failed), int(uncertain)))
    return missed


def unfinished_runs(database: Database, job: str, ctx: JobContext) -> list[tuple[str, int, str]]:
    """(workspace, run id, occurrence) of runs of `job` that stopped half-way recently."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(JobRun.team_id, JobRun.id, JobRun.occurrence).where(
                JobRun.job == job,
                JobRun.finished_at.is_(None),
                JobRun.created_at > ctx.now - RESUME_WINDOW,
                or_(JobRun.lease_until.is_(None), JobRun.lease_until < ctx.now),
            )
        ).all()
    return [(team, run_id, occurrence) for team, run_id, occurrence in rows]


Send = Callable[[str], None]


def add_deliveries(uow: UnitOfWork, run_id: int, recipients: list[str]) -> None:
    for recipient in recipients:
        insert_ignoring_duplicate(
            uow,
            Delivery,
            {"job_run_id": run_id, "team_id": uow.team_id, "recipient": recipient, "status": DeliveryStatus.PENDING},
        )


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
        add_deliveries(uow, run_id, chosen)
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
        for recipient in recipients:
            insert_ignoring_duplicate(
                uow,
                Delivery,
                {"job_run_id": run_id, "team_id": team_id, "recipient": recipient, "status": DeliveryStatus.PENDING},
            )
    while True:
        with database.unit_of_work(team_id) as uow:
            pending = uow.session.execute(
                select(Delivery.id, Delivery.recipient)
                .where(Delivery.job_run_id == run_id, Delivery.status == DeliveryStatus.PENDING)
                .order_by(Delivery.id)
                .limit(1)
            ).first()
            if pending is None:
                return
            delivery_id, recipient = pending
            mine = uow.session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PENDING)
                .values(status=DeliveryStatus.SENDING)
            )
        if mine.rowcount != 1:  # type: ignore[attr-defined]
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
            uow.session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id)
                .values(status=status, error=error, sent_at=ctx.now if status == DeliveryStatus.SENT else None)
            )
        if status == DeliveryStatus.SENT:
            report.sent += 1
        elif status == DeliveryStatus.SKIPPED:
            report.reasons.append(Skip.ALREADY_RAN)
        else:
            report.failed += 1
            log.warning("%s: delivery to %s %s: %s", run_id, recipient, status, error)
