"""`monthly_report`: the KPI report for the previous month to the admins' channel, on the first workday
of the month at 09:00, with the 12-week chart as an image. Also posted on demand (`/ki admin report`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.domain.calendar import first_workday
from bot.domain.deliveries import RecipientKey
from bot.i18n import Translator
from bot.render.charts import weekly_chart
from bot.render.kpis import monthly_report
from bot.services import kpis
from bot.services.members import workspace_of
from config.settings import Settings
from jobs.runtime import JobContext, JobReport, Send, due_times, occurrence_key, run_occurrence

if TYPE_CHECKING:
    from bot.deps import Deps

JOB_ID = "monthly_report"
REPORT = "report"
# A report missed at its time (no scheduler running) still goes out within this long.
GRACE = timedelta(hours=24)


def trigger(settings: Settings) -> CronTrigger:
    at = settings.report_time
    return CronTrigger(day_of_week="mon-fri", hour=at.hour, minute=at.minute, timezone=settings.zone)


def run(ctx: JobContext, team_id: str, report: JobReport, occurrence: str | None = None) -> None:
    settings = ctx.deps.settings
    today = ctx.now.astimezone(settings.zone).date()
    if not ctx.manual:
        days = [moment.astimezone(settings.zone).date() for moment in due_times(trigger(settings), ctx.now, GRACE)]
        workday = next((day for day in days if day == first_workday(day.replace(day=1), settings.holiday_state)), None)
        if workday is None:
            return
        today = workday
    month = kpis.month_of(today.replace(day=1) - timedelta(days=1))
    key = occurrence or occurrence_key(ctx, month.start.isoformat()[:7])
    recipients = [RecipientKey(REPORT, month.start.isoformat()).encode()]
    run_occurrence(ctx, team_id, JOB_ID, key, lambda _uow: recipients, sender(ctx, team_id), report)


def sender(ctx: JobContext, team_id: str) -> Send:
    def send(recipient: str) -> None:
        month = kpis.month_of(date.fromisoformat(RecipientKey.decode(recipient).subject))
        settings = ctx.deps.settings
        today = ctx.now.astimezone(settings.zone).date()
        post_report(ctx.deps, ctx.client, team_id, month, settings.admin_channel, today)

    return send


def post_report(deps: Deps, client: WebClient, team_id: str, month: kpis.Period, channel: str, today: date) -> None:
    """The report message, then the chart as an image (only when there are numbers to show)."""
    settings = deps.settings
    with deps.database.unit_of_work(team_id) as uow:
        tr = Translator(workspace_of(uow).default_language)
        figures = kpis.month_figures(uow, month, kpis.KpiSettings.from_settings(settings), today)
    message = monthly_report(
        tr, figures.current, figures.previous, figures.maturity, settings.min_group_size, figures.buddy_feedback
    )
    client.chat_postMessage(channel=channel, **message.post_args())
    if figures.series:
        client.files_upload_v2(
            channel=channel,
            content=weekly_chart(tr, figures.series),
            filename=f"ki-lotse-{month.start.isoformat()[:7]}.png",
            title=tr.t("report.chart_title"),
        )
