"""The APScheduler set-up shared by the in-process scheduler and the separate `clock` process, the job
registry with its fixed ids, and running a job now (admins, console, tests)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.logs import logging_context
from bot.metrics import JOB_RUNS
from bot.services.job_ledger import workspaces
from bot.services.workspace_settings import SettingsUnavailable
from bot.slack.client import make_web_client
from config.settings import Settings
from jobs import (
    JOB_THREADS,
    buddy_checkin,
    buddy_matching,
    monthly_report,
    pilots,
    programme,
    reassessment,
    retention,
    rituals,
    weekly_leaderboard,
)
from jobs.runtime import JobContext, JobReport, Send, Skip, resume_unfinished

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)

# APScheduler only knows the times it was running for; what was due while no scheduler ran is found by
# the jobs themselves (each looks back over its grace at every tick). This only lets a tick that came
# late, e.g. on a busy machine, still run.
MISFIRE_GRACE_SECONDS = 3600


@dataclass(frozen=True)
class JobSpec:
    id: str
    trigger: Callable[[Settings], BaseTrigger]
    run: Callable[[JobContext, str, JobReport], None]
    sender: Callable[[JobContext, str], Send]
    # A job that sends nothing to Slack runs for uninstalled workspaces too: their data follows the
    # retention rule until it is gone.
    sends: bool = True


JOBS: dict[str, JobSpec] = {
    spec.id: spec
    for spec in (
        JobSpec(buddy_matching.JOB_ID, buddy_matching.trigger, buddy_matching.run, buddy_matching.sender),
        JobSpec(buddy_checkin.JOB_ID, buddy_checkin.trigger, buddy_checkin.run, buddy_checkin.sender),
        JobSpec(
            weekly_leaderboard.JOB_ID, weekly_leaderboard.trigger, weekly_leaderboard.run, weekly_leaderboard.sender
        ),
        JobSpec(monthly_report.JOB_ID, monthly_report.trigger, monthly_report.run, monthly_report.sender),
        JobSpec(rituals.OFFICE_HOURS, rituals.trigger, rituals.run_office_hours, rituals.office_hours_sender),
        JobSpec(rituals.MONTHLY_UPDATE, rituals.trigger, rituals.run_monthly_update, rituals.monthly_sender),
        JobSpec(rituals.RETROSPECTIVE, rituals.trigger, rituals.run_retrospective, rituals.retro_sender),
        JobSpec(retention.JOB_ID, retention.trigger, retention.run, retention.sender, sends=False),
        JobSpec(programme.JOB_ID, programme.trigger, programme.run, programme.sender),
        JobSpec(reassessment.JOB_ID, reassessment.trigger, reassessment.run, reassessment.sender),
        JobSpec(pilots.JOB_ID, pilots.trigger, pilots.run, pilots.sender),
    )
}


def configure(scheduler: BaseScheduler, settings: Settings) -> BaseScheduler:
    scheduler.configure(
        timezone=settings.zone,
        job_defaults={"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS, "max_instances": 1},
    )
    return scheduler


def run_job(
    deps: Deps,
    job_id: str,
    *,
    manual: bool = False,
    client: WebClient | None = None,
    now: datetime | None = None,
    team_id: str | None = None,
) -> JobReport:
    """One execution: first finish runs of this job that stopped half-way, then run it for every workspace,
    or only for `team_id` (an admin's run acts in the admin's own workspace)."""
    spec = JOBS[job_id]
    ctx = JobContext(deps, client or make_web_client(deps.settings, patient=True), now or deps.clock(), manual=manual)
    report = JobReport(job_id)
    with logging_context(job_id=job_id):
        resume_unfinished(ctx, job_id, spec.sender, report)
        # A workspace that uninstalled the bot gets nothing; its data follows the retention rule.
        teams = [
            team
            for team in workspaces(deps.database)
            if (deps.serves(team) or not spec.sends) and team_id in (None, team)
        ]
        for team in teams:
            with logging_context(team_id=team):
                try:
                    team_ctx = ctx.for_team(team)
                except SettingsUnavailable:
                    # Not with another workspace's defaults: the next tick looks again.
                    log.warning("%s skipped for a workspace whose settings could not be read", job_id)
                    continue
                spec.run(team_ctx, team, report)
    if not report.sent and not report.failed and not report.why():
        # Nothing sent and no job said why: nobody is there yet, or it is simply not its time.
        report.reasons.append(Skip.NOT_DUE if teams else Skip.NOBODY)
    JOB_RUNS.labels(job=job_id, outcome="ran" if report.runs else "nothing_due").inc()
    return report


def _scheduled(deps: Deps, job_id: str) -> None:
    try:
        report = run_job(deps, job_id)
        if report.runs or report.failed:
            log.info("%s: %d run(s), %d sent, %d failed", job_id, report.runs, report.sent, report.failed)
    except Exception:
        JOB_RUNS.labels(job=job_id, outcome="failed").inc()
        log.exception("scheduled job %s failed", job_id)


def ticks(settings: Settings, spec: JobSpec) -> BaseTrigger:
    """When a job looks what is due: at its own times, and every quarter of an hour to catch up on what was
    missed, e.g. a post due while the scheduler was down or a delivery Slack refused."""
    return OrTrigger([spec.trigger(settings), CronTrigger(minute="0,15,30,45", timezone=settings.zone)])


def add_jobs(scheduler: BaseScheduler, deps: Deps) -> BaseScheduler:
    configure(scheduler, deps.settings)
    started = datetime.now(deps.settings.zone)
    for spec in JOBS.values():
        scheduler.add_job(
            _scheduled,
            trigger=ticks(deps.settings, spec),
            id=spec.id,
            name=spec.id,
            args=[deps, spec.id],
            replace_existing=True,
            # Once right at start: a scheduler that comes back runs what it missed without waiting.
            next_run_time=started,
        )
    return scheduler


def start_in_process(deps: Deps) -> BackgroundScheduler | None:
    """The scheduler inside the web, socket or console process, unless a clock process runs the jobs."""
    if not deps.settings.scheduler_in_process:
        return None
    scheduler = BackgroundScheduler(executors={"default": ThreadPoolExecutor(JOB_THREADS)})
    add_jobs(scheduler, deps)
    scheduler.start()
    log.info("jobs scheduled in this process: %s", ", ".join(sorted(job.id for job in scheduler.get_jobs())))
    return scheduler


def run_clock_process(deps: Deps) -> None:
    """`python -m bot scheduler`: runs the jobs until SIGTERM or Ctrl+C; a job that is running finishes its
    delivery first (what it has not reached stays pending for the next start, nothing is half-sent)."""
    scheduler = BlockingScheduler(executors={"default": ThreadPoolExecutor(JOB_THREADS)})
    add_jobs(scheduler, deps)
    # Not shut down in the signal handler itself: that interrupts the main thread wherever it is, maybe inside
    # the scheduler's own locks. The scheduler stops taking jobs at once, and `start()` returns then.
    stopping = threading.Thread(target=_shut_down, args=(scheduler,), name="stop")

    def request_stop(*_signal: object) -> None:
        if stopping.ident is None:  # a second SIGTERM changes nothing
            stopping.start()

    signal.signal(signal.SIGTERM, request_stop)
    try:
        scheduler.start()
    except KeyboardInterrupt:
        request_stop()
    # Shutting down waits for the jobs that are running.
    if stopping.ident is not None:
        stopping.join()
    log.info("stopped: no job is running")


def _shut_down(scheduler: BaseScheduler) -> None:
    if scheduler.running:
        scheduler.shutdown(wait=True)
