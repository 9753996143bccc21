"""`programme`: the 90-day roadmap's messages, each once: in the first phase the Bestandsaufnahme to everyone by
DM (everyone Slack lists as working here, whether or not they used the bot yet); to the admins' channel when
phase 2 (day 31) and phase 3 (day 61) begin, with what is still open from before, and the closing summary from
day 90 on. Looked at every morning at the report's time; a day missed (no scheduler running) is made up at the
next tick."""

from __future__ import annotations

import logging
from datetime import date
from functools import partial

from bot.db import UnitOfWork
from bot.domain.roadmap import DAYS, Phase, day_of
from bot.i18n import Translator, language_from_slack_locale
from bot.render.programme import inventory_invitation, phase_post, summary_post
from bot.services import kpis, programme
from bot.services.members import known_slack_user_ids, language_of, member_by_id, workspace_of
from bot.slack.colleagues import Colleague, NamesUnknown, colleagues
from jobs.runtime import (
    JobContext,
    JobReport,
    RecipientKey,
    Send,
    Skip,
    morning_of,
    mornings,
    occurrence_key,
    run_occurrence,
)

log = logging.getLogger(__name__)

JOB_ID = "programme"
PHASE = "phase"
SUMMARY = "summary"
# The Bestandsaufnahme to a member (subject: the member's id), and to someone the bot has not met yet (subject:
# their Slack user id; nothing is stored about them until they answer).
INVENTORY = "inventory"
INVENTORY_NEWCOMER = "inventory-new"


trigger = mornings


def run(ctx: JobContext, team_id: str, report: JobReport) -> None:
    today = morning_of(ctx)
    if today is None:
        return  # the day's posts belong to the report's time or the first tick after it
    with ctx.deps.database.unit_of_work(team_id, read_only=True) as uow:
        started = programme.programme_of(uow)
        starts_on = started.starts_on if started else None
    if starts_on is None:
        report.reasons.append(Skip.NOBODY)
        return
    day = day_of(starts_on, today)
    if 1 <= day <= Phase.ASSESSMENT.last_day and not ctx.manual:
        # The Bestandsaufnahme to everyone, once, in the first phase.
        key = f"{starts_on.isoformat()}:{INVENTORY}"
        workspace = _colleagues(ctx)
        not_yet_answered = partial(_not_yet_answered, workspace)
        run_occurrence(ctx, team_id, JOB_ID, key, not_yet_answered, sender(ctx, team_id, workspace), report)
    due = [(PHASE, str(phase.value)) for phase in (Phase.PILOTS, Phase.SCALING) if day >= phase.first_day]
    if day >= DAYS:
        due.append((SUMMARY, ""))
    if ctx.manual:
        due = due[-1:]  # an admin's run posts where the programme stands now
    for kind, subject in due:
        # Named by the programme's day 1: a programme started again posts its own phases.
        key = occurrence_key(ctx, f"{starts_on.isoformat()}:{kind}{subject}")
        recipients = [RecipientKey(kind, subject).encode()]
        run_occurrence(ctx, team_id, JOB_ID, key, partial(_fixed, recipients), sender(ctx, team_id), report)


def _fixed(recipients: list[str], _uow: object) -> list[str]:
    return recipients


def _colleagues(ctx: JobContext) -> list[Colleague]:
    """Asked before the unit of work that writes the deliveries, which a call to Slack must not hold open.
    Without Slack's list the people the bot knows are still asked."""
    try:
        return colleagues(ctx.client)
    except NamesUnknown as error:
        log.warning("Slack did not list the workspace's people (%s); the Bestandsaufnahme goes to those known", error)
        return []


def _not_yet_answered(workspace: list[Colleague], uow: UnitOfWork) -> list[str]:
    members = [RecipientKey(INVENTORY, str(member.id)).encode() for member in programme.inventory_recipients(uow)]
    known = known_slack_user_ids(uow)
    newcomers = [
        RecipientKey(INVENTORY_NEWCOMER, person.slack_user_id).encode()
        for person in workspace
        if person.slack_user_id not in known
    ]
    return members + newcomers


def sender(ctx: JobContext, team_id: str, workspace: list[Colleague] | None = None) -> Send:
    settings = ctx.deps.settings
    locales = {person.slack_user_id: person.locale for person in workspace or []}

    def send(recipient: str) -> None:
        key = RecipientKey.decode(recipient)
        if key.kind == INVENTORY:
            invite(int(key.subject))
            return
        if key.kind == INVENTORY_NEWCOMER:
            invite_newcomer(key.subject)
            return
        today: date = ctx.now.astimezone(settings.zone).date()
        figures = kpis.KpiSettings.from_settings(settings)
        with ctx.deps.database.unit_of_work(team_id, read_only=True) as uow:
            tr = Translator(workspace_of(uow).default_language)
            if key.kind == SUMMARY:
                summary = programme.summary(uow, today, figures)
                message = summary_post(tr, summary) if summary else None
            else:
                status = programme.status(uow, today, figures)
                message = phase_post(tr, status, Phase(int(key.subject))) if status else None
        if message is not None:
            ctx.client.chat_postMessage(channel=settings.admin_channel, **message.post_args())

    def invite(member_id: int) -> None:
        with ctx.deps.database.unit_of_work(team_id, read_only=True) as uow:
            member = member_by_id(uow, member_id)
            if member is None:
                return  # erased meanwhile
            user, language = member.slack_user_id, language_of(uow, member)
        ctx.client.chat_postMessage(channel=user, **inventory_invitation(Translator(language)).post_args())

    def invite_newcomer(user: str) -> None:
        language = language_from_slack_locale(locales.get(user))
        if language is None:
            with ctx.deps.database.unit_of_work(team_id, read_only=True) as uow:
                language = workspace_of(uow).default_language
        ctx.client.chat_postMessage(channel=user, **inventory_invitation(Translator(language)).post_args())

    return send
