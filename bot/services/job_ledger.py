"""The record of scheduled work: one run per job, workspace and occurrence, held by one worker at a time
under a lease, and one delivery per recipient of a run with what became of it. jobs/runtime.py decides
when each of these is written; this module is how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update

from bot.db import Database, UnitOfWork
from bot.domain.deliveries import DeliveryStatus
from bot.models import Delivery, JobRun, Workspace
from bot.services.records import insert_ignoring_duplicate


def workspaces(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return list(connection.execute(select(Workspace.team_id).order_by(Workspace.team_id)).scalars())


def workspace_count(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(Workspace)).scalar_one())


def _run_of(uow: UnitOfWork, job: str, occurrence: str) -> ColumnElement[bool]:
    """The workspace's run of `job` for `occurrence` (there is at most one)."""
    return and_(JobRun.job == job, JobRun.team_id == uow.team_id, JobRun.occurrence == occurrence)


def claim_run(uow: UnitOfWork, job: str, occurrence: str, worker: str, now: datetime, lease: timedelta) -> int | None:
    """The run id if `worker` may work on the occurrence now; None if it is done or someone else holds it.
    The row is unique per (job, workspace, occurrence), so two schedulers cannot both start it."""
    # Created and claimed in one transaction: nobody ever sees the run unclaimed.
    insert_ignoring_duplicate(uow, JobRun, {"job": job, "team_id": uow.team_id, "occurrence": occurrence})
    taken = uow.session.execute(
        update(JobRun)
        .where(
            _run_of(uow, job, occurrence),
            JobRun.finished_at.is_(None),
            or_(JobRun.lease_until.is_(None), JobRun.lease_until < now, JobRun.claimed_by == worker),
        )
        .values(claimed_by=worker, lease_until=now + lease)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    run_id = uow.session.scalars(select(JobRun.id).where(_run_of(uow, job, occurrence))).one()
    # A resumed run: whatever was being sent when the last worker stopped may or may not have reached
    # Slack. Never sending twice wins over sending once more.
    uow.session.execute(
        update(Delivery)
        .where(Delivery.job_run_id == run_id, Delivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.UNCERTAIN, error="interrupted")
    )
    return int(run_id)


def finished(uow: UnitOfWork, job: str, occurrence: str) -> bool:
    """Whether the occurrence's run is over (a run still open, or none yet, is not)."""
    finished_run = select(JobRun.id).where(_run_of(uow, job, occurrence), JobRun.finished_at.is_not(None))
    return uow.session.scalars(finished_run).first() is not None


def sent_recipients(uow: UnitOfWork, job: str, occurrence: str) -> list[str]:
    """The recipients of the occurrence's deliveries that were sent."""
    return list(
        uow.session.scalars(
            select(Delivery.recipient)
            .join(JobRun, JobRun.id == Delivery.job_run_id)
            .where(_run_of(uow, job, occurrence), Delivery.status == DeliveryStatus.SENT)
        )
    )


def forget_deliveries_before(uow: UnitOfWork, cutoff: datetime) -> int:
    """Deletes the deliveries of the workspace's runs that began before `cutoff`; how many. The runs stay,
    so that no occurrence is run again."""
    old_runs = select(JobRun.id).where(JobRun.team_id == uow.team_id, JobRun.created_at < cutoff)
    removed = uow.session.execute(delete(Delivery).where(Delivery.job_run_id.in_(old_runs)))
    return int(removed.rowcount)  # type: ignore[attr-defined]


def renew_lease(uow: UnitOfWork, run_id: int, worker: str, until: datetime) -> None:
    """Only while the run is still `worker`'s and unfinished."""
    uow.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.claimed_by == worker, JobRun.finished_at.is_(None))
        .values(lease_until=until)
    )


def finish_run(uow: UnitOfWork, run_id: int, now: datetime, outcome: str | None = None) -> None:
    uow.session.execute(
        update(JobRun).where(JobRun.id == run_id).values(finished_at=now, lease_until=None, outcome=outcome)
    )


def unfinished_runs(database: Database, job: str, now: datetime, window: timedelta) -> list[tuple[str, int, str]]:
    """(workspace, run id, occurrence) of runs of `job` younger than `window` that stopped half-way: not
    finished, and nobody holds their lease."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(JobRun.team_id, JobRun.id, JobRun.occurrence).where(
                JobRun.job == job,
                JobRun.finished_at.is_(None),
                JobRun.created_at > now - window,
                or_(JobRun.lease_until.is_(None), JobRun.lease_until < now),
            )
        ).all()
    return [(team, run_id, occurrence) for team, run_id, occurrence in rows]


def deliveries_to(uow: UnitOfWork, slack_user_id: str) -> ColumnElement[bool]:
    """The workspace's deliveries whose recipient key names the person by Slack id (`kind:U0ANNA` or
    `kind:U0ANNA:when`): reminders, invitations, the Bestandsaufnahme to someone the bot had not met."""
    return and_(
        Delivery.team_id == uow.team_id,
        or_(
            Delivery.recipient.endswith(f":{slack_user_id}", autoescape=True),
            Delivery.recipient.contains(f":{slack_user_id}:", autoescape=True),
        ),
    )


def add_deliveries(uow: UnitOfWork, run_id: int, recipients: list[str]) -> None:
    """One pending delivery per recipient; a recipient the run already has keeps its delivery."""
    for recipient in recipients:
        insert_ignoring_duplicate(
            uow,
            Delivery,
            {"job_run_id": run_id, "team_id": uow.team_id, "recipient": recipient, "status": DeliveryStatus.PENDING},
        )


def next_pending(uow: UnitOfWork, run_id: int) -> tuple[int, str] | None:
    """The run's first pending delivery (id and recipient), in the order they were written."""
    row = uow.session.execute(
        select(Delivery.id, Delivery.recipient)
        .where(Delivery.job_run_id == run_id, Delivery.status == DeliveryStatus.PENDING)
        .order_by(Delivery.id)
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def take_for_sending(uow: UnitOfWork, delivery_id: int) -> bool:
    """Marks the delivery as being sent; False if another worker took it first."""
    taken = uow.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SENDING)
    )
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def record_outcome(uow: UnitOfWork, delivery_id: int, status: DeliveryStatus, error: str | None, now: datetime) -> None:
    uow.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=status, error=error, sent_at=now if status == DeliveryStatus.SENT else None)
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
