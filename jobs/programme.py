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
from bot.domain.deliveries import RecipientKey
from bot.domain.roadmap import DAYS, Phase, day_of
from bot.i18n import Translator, language_from_slack_locale
from bot.render.programme import inventory_invitation, phase_post, summary_post
from bot.services import job_ledger, kpis, programme
from bot.services.members import language_of, member_by_id, workspace_of
from bot.slack.colleagues import Colleague, NamesUnknown, colleagues
from jobs.runtime import (
    AlreadyDelivered,
    JobContext,
    JobReport,
    Send,
    Skip,
    morning_of,
    mornings,
    occurrence_key,
    run_occurrence,
)

log = logging.getLogger(__name__)

JOB_ID = programme.MESSAGES_JOB
PHASE = "phase"
SUMMARY = "summary"
# The Bestandsaufnahme to a member (subject: the member's id), and to someone the bot has not met yet (subject:
# their Slack user id, then the language of their Slack locale; nothing is stored about them until they answer).
INVENTORY = "inventory"
INVENTORY_NEWCOMER = programme.NEWCOMER_INVITATION


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
        _invite_to_inventory(ctx, team_id, starts_on, day, report)
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


def _invite_to_inventory(ctx: JobContext, team_id: str, starts_on: date, day: int, report: JobReport) -> None:
    key = programme.inventory_occurrence(starts_on)
    with ctx.deps.database.unit_of_work(team_id, read_only=True) as uow:
        done = job_ledger.finished(uow, JOB_ID, key)
    if done:  # Slack is asked for its list of people only while the invitations are still to be sent
        report.reasons.append(Skip.ALREADY_RAN)
        return
    # Asked before the unit of work that writes the deliveries, which a call to Slack must not hold open.
    try:
        listed = colleagues(ctx.client)
    except NamesUnknown as error:
        if day < Phase.ASSESSMENT.last_day:
            log.warning("Slack did not list the workspace's people (%s); the Bestandsaufnahme waits a day", error)
            report.reasons.append(Skip.NOT_DUE)
            return
        log.warning("Slack did not list the workspace's people (%s); the Bestandsaufnahme goes to those known", error)
        listed = []
    recipients = partial(_not_yet_answered, listed)
    run_occurrence(ctx, team_id, JOB_ID, key, recipients, sender(ctx, team_id), report)


def _not_yet_answered(listed: list[Colleague], uow: UnitOfWork) -> list[str]:
    members = [RecipientKey(INVENTORY, str(member.id)).encode() for member in programme.inventory_recipients(uow)]
    languages = {person.slack_user_id: language_from_slack_locale(person.locale) for person in listed}
    # In the key, with the Slack id: a run resumed after a crash sends in the same language.
    newcomers = [
        RecipientKey(INVENTORY_NEWCOMER, user, languages[user] or "").encode()
        for user in programme.inventory_newcomers(uow, languages)
    ]
    return members + newcomers


def sender(ctx: JobContext, team_id: str) -> Send:
    settings = ctx.deps.settings

    def send(recipient: str) -> None:
        key = RecipientKey.decode(recipient)
        if key.kind == INVENTORY:
            invite(int(key.subject))
            return
        if key.kind == INVENTORY_NEWCOMER:
            invite_newcomer(key.subject, key.when)
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
        post_invitation(user, language)

    def invite_newcomer(user: str, language: str | None) -> None:
        with ctx.deps.database.unit_of_work(team_id, read_only=True) as uow:
            if programme.has_answered_inventory(uow, user):
                raise AlreadyDelivered(user)  # answered meanwhile (a run resumed later)
            language = language or workspace_of(uow).default_language
        post_invitation(user, language)

    def post_invitation(user: str, language: str) -> None:
        ctx.client.chat_postMessage(channel=user, **inventory_invitation(Translator(language)).post_args())

    return send
