"""Buttons and menus: open modals, adopt use cases, mark modules done, choose a track."""

from __future__ import annotations

import logging
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.buddies import Answer
from bot.domain.curriculum import Module
from bot.domain.errors import UserError
from bot.domain.use_cases import Status
from bot.i18n import Translator
from bot.render import ids
from bot.render.blocks import section, warning
from bot.render.buddies import checkin_answered, decision_message, rating_modal
from bot.render.learning import path_blocks
from bot.render.logging import info_modal, log_list_message, log_modal, removed_text
from bot.render.maturity import check_modal
from bot.render.onboarding import profile_modal
from bot.render.privacy import delete_modal
from bot.render.replies import failure_message
from bot.render.rituals import monthly_post, office_hours_post, retro_modal, summary_modal
from bot.render.use_cases import new_use_case_modal, status_modal, use_case_blocks, use_case_list_modal
from bot.services import buddies, learning, profile, rituals, usage, use_cases
from bot.services.members import workspace_of
from bot.slack.client import make_web_client
from handlers.commands import buddy_command, send_data_export
from handlers.context import MemberTurn, deliver, error_text, fallback_translator, member_turn, row_id, safe_call
from handlers.surfaces import open_modal, refresh, show_notice
from handlers.views import open_retro_quarter

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    for action_id in (
        ids.OPEN_LOG_MODAL,
        ids.OPEN_CHECK,
        ids.OPEN_PATH,
        ids.OPEN_USE_CASES,
        ids.OPEN_PROFILE,
        ids.OPEN_NEW_USE_CASE,
        ids.USE_CASE_MENU,
        ids.COMPLETE_MODULE,
        ids.REOPEN_MODULE,
        ids.BUDDY_JOIN,
        ids.OPEN_BUDDY,
        ids.CHECKIN_ANSWER,
        ids.FEEDBACK_DECISION,
        ids.RATING_OPEN,
        ids.RSVP,
        ids.SUMMARY_OPEN,
        ids.RETRO_OPEN,
        ids.CHOOSE_TRACK,
        ids.UNDO_LOG,
        ids.EDIT_LOG,
        ids.DELETE_LOG,
        ids.DATA_EXPORT,
        ids.DATA_DELETE,
    ):
        app.action(action_id)(on_action)


def on_action(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    team_id = (body.get("team") or {}).get("id") or body["user"].get("team_id")
    user_id = body["user"]["id"]
    try:
        with member_turn(deps, client, team_id, user_id) as turn:
            turn.notice_by_dm()
            try:
                with turn.uow.session.begin_nested():
                    answer = handle(action, turn)
            except UserError as error:
                answer = ("refusal", error_text(turn.tr, error, deps.settings.slash_command))
    except Exception:
        log.exception("action %s failed", action.get("action_id"))
        tr = fallback_translator(deps, client, team_id, user_id)
        show_notice(client, body, respond, "KI-Lotse", failure_message(tr).text, tr.t("modal.close"))
        return
    kind, payload = answer
    if kind == "modal":
        open_modal(client, body, payload)
    elif kind == "refresh":
        title, blocks = payload
        refresh(client, body, respond, title, blocks)
    elif kind == "notice":
        show_notice(client, body, respond, "KI-Lotse", payload, turn.tr.t("modal.close"))
    else:
        show_notice(client, body, respond, "KI-Lotse", warning(payload), turn.tr.t("modal.close"))
    deliver(turn, client, user_id)


def handle(action: dict[str, Any], turn: MemberTurn) -> tuple[str, Any]:
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    catalogs, command = deps.catalogs, deps.settings.slash_command
    action_id = action["action_id"]
    value = (action.get("selected_option") or {}).get("value") or action.get("value") or ""
    if action_id == ids.OPEN_LOG_MODAL:
        return "modal", log_modal(tr, catalogs.tools, use_cases.list_use_cases(uow, member), turn.today)
    if action_id == ids.OPEN_CHECK:
        return "modal", check_modal(tr, catalogs.maturity)
    if action_id == ids.OPEN_PROFILE:
        departments = profile.department_choices(uow, catalogs.departments)
        return "modal", profile_modal(tr, departments, catalogs.curriculum, member)
    if action_id == ids.OPEN_USE_CASES:
        return "modal", use_case_list_modal(
            tr, use_cases.list_use_cases(uow, member, deps.settings.min_group_size), command
        )
    if action_id == ids.OPEN_NEW_USE_CASE:
        return "modal", new_use_case_modal(tr, profile.department_choices(uow, catalogs.departments))
    if action_id == ids.OPEN_PATH:
        return "modal", info_modal(tr, tr.t("path.modal_title"), _path(turn))
    if action_id == ids.USE_CASE_MENU:
        verb, _, raw_id = value.partition(":")
        use_case = use_cases.get_use_case(uow, row_id(raw_id))
        if verb == "status":
            return "modal", status_modal(tr, use_case.id, use_case.title, Status(use_case.status), use_case.learning)
        use_cases.adopt(uow, member, use_case)
        return "refresh", (
            tr.t("usecase.list_title"),
            use_case_blocks(tr, use_cases.list_use_cases(uow, member, deps.settings.min_group_size), command),
        )
    if action_id == ids.UNDO_LOG:
        text = removed_text(tr, catalogs.tools, usage.remove_log(uow, member, row_id(value), turn.today))
        turn.after_change()
        return "refresh", (text, [section(text)])
    if action_id == ids.DELETE_LOG:
        removed = usage.remove_log(uow, member, row_id(value), turn.today)
        turn.after_change()
        listing = log_list_message(
            tr, catalogs.tools, usage.recent_logs(uow, member), command, removed_text(tr, catalogs.tools, removed)
        )
        return "refresh", (listing.text, listing.blocks)
    if action_id == ids.EDIT_LOG:
        line = usage.own_log(uow, member, row_id(value))
        return "modal", log_modal(tr, catalogs.tools, use_cases.list_use_cases(uow, member), turn.today, line)
    if action_id in (ids.COMPLETE_MODULE, ids.REOPEN_MODULE):
        done = action_id == ids.COMPLETE_MODULE
        mark = learning.complete_module if done else learning.reopen_module
        module = mark(uow, member, catalogs.curriculum, value)
        turn.after_change()
        return "refresh", (tr.t("path.title"), _path(turn, (module, done)))
    if action_id == ids.CHOOSE_TRACK:
        profile.set_track(member, catalogs.curriculum, value)
        turn.after_change()
        return "refresh", (tr.t("path.title"), _path(turn))
    if action_id == ids.OPEN_BUDDY:
        outcome = buddy_command("", turn)
        assert outcome.reply is not None
        return "modal", info_modal(tr, tr.t("buddy.title"), outcome.reply.blocks)
    if action_id == ids.RSVP:
        event = rituals.get_event(uow, row_id(value))
        attending = rituals.toggle_rsvp(uow, event, member)
        turn.later.append(partial(refresh_rsvp_post, deps, uow.team_id, event.id))
        return "notice", tr.t("ritual.rsvp_yes") if attending else tr.t("ritual.rsvp_no")
    if action_id == ids.SUMMARY_OPEN:
        event = rituals.get_event(uow, row_id(value))
        return "modal", summary_modal(tr, event)
    if action_id == ids.RETRO_OPEN:
        return "modal", retro_modal(tr, open_retro_quarter(value, turn.today))
    if action_id == ids.BUDDY_JOIN:
        outcome = buddy_command(value, turn)
        assert outcome.reply is not None
        return "refresh", (outcome.reply.text, outcome.reply.blocks)
    if action_id == ids.CHECKIN_ANSWER:
        checkin_pair, week, answer = _checkin_value(value)
        pair = buddies.get_pair(uow, checkin_pair)
        # Only a week the pair was asked about can be answered: a made-up week would count as a check-in
        # held and stand in for the real one.
        if not buddies.was_asked(uow, pair, week):
            raise UserError("buddy.error.unknown_checkin")
        checkin, stored = buddies.answer_checkin(uow, pair, week, member, answer, deps.clock())
        if not stored:
            raise UserError("buddy.error.already_answered", answer=tr.t(f"buddy.answer.{checkin.answer}"))
        paused_until = pair.paused_until if answer is Answer.PAUSE else None
        message = checkin_answered(tr, answer, member.slack_user_id, paused_until)
        return "refresh", (message.text, message.blocks)
    if action_id == ids.FEEDBACK_DECISION:
        feedback_pair, _, choice = value.partition(":")
        pair = buddies.get_pair(uow, row_id(feedback_pair))
        weeks = deps.settings.buddy_programme_weeks
        decision = buddies.give_feedback(uow, pair, member, choice == "extend", weeks, deps.clock())
        # Everyone in the group DM reads the updated question: in their common language.
        message = decision_message(Translator(buddies.pair_language(uow, pair)), pair.id, weeks, decision)
        return "refresh", (message.text, message.blocks)
    if action_id == ids.RATING_OPEN:
        pair = buddies.get_pair(uow, row_id(value))
        buddies.check_can_rate(uow, pair, member)
        return "modal", rating_modal(tr, pair.id)
    if action_id == ids.DATA_EXPORT:
        turn.later.append(partial(send_data_export, deps, uow.team_id, member.slack_user_id, tr))
        return "notice", tr.t("privacy.export.sent")
    if action_id == ids.DATA_DELETE:
        return "modal", delete_modal(tr)
    raise AssertionError(f"unregistered action {action_id}")


def _checkin_value(value: str) -> tuple[int, date, Answer]:
    """`pair:week:answer` as the check-in buttons carry it."""
    try:
        pair_id, week, answer = value.split(":")
        return row_id(pair_id), date.fromisoformat(week), Answer(answer)
    except ValueError:
        raise UserError("buddy.error.unknown_pair") from None


def refresh_rsvp_post(deps: Deps, team_id: str, event_id: int) -> None:
    """The channel post shows the new RSVP count, updated in place."""
    settings = deps.settings
    with deps.database.unit_of_work(team_id) as uow:
        event = rituals.get_event(uow, event_id)
        tr = Translator(workspace_of(uow).default_language)
        attending = rituals.rsvp_count(uow, event)
        render = office_hours_post if event.kind == rituals.OFFICE_HOURS else monthly_post
        message, channel, ts = render(tr, event, attending, settings.zone), event.channel, event.message_ts
    if channel and ts:
        safe_call(
            make_web_client(deps.settings, patient=True).chat_update, channel=channel, ts=ts, **message.post_args()
        )


def _path(turn: MemberTurn, changed: tuple[Module, bool] | None = None) -> list[dict[str, Any]]:
    curriculum = turn.deps.catalogs.curriculum
    progress = learning.path_progress(turn.uow, turn.member, curriculum)
    stage = curriculum.stage(turn.member.career_stage)
    return path_blocks(turn.tr, curriculum, progress, stage, turn.deps.settings.slash_command, changed)
