"""Buttons and menus: open modals, adopt use cases, mark modules done, choose a track. One listener per
action id; each is acknowledged at once and answered where the click happened (handlers/surfaces.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.db import UnitOfWork
from bot.domain import roadmap
from bot.domain.buddies import Answer, FeedbackChoice
from bot.domain.errors import UserError
from bot.domain.rituals import RitualKind
from bot.domain.use_cases import MAX_TITLE_LENGTH, Status
from bot.i18n import Translator
from bot.render import ids
from bot.render.blocks import Message, escape, section, shorten
from bot.render.buddies import checkin_answered, decision_message, rating_modal
from bot.render.coach import verdict_text
from bot.render.log_form import info_modal, log_list_message, log_modal, removed_text
from bot.render.maturity import check_modal
from bot.render.onboarding import profile_modal
from bot.render.privacy import delete_modal
from bot.render.programme import inventory_modal
from bot.render.rituals import monthly_post, office_hours_post, retro_modal, summary_modal
from bot.render.setup import setup_modal
from bot.render.talent import matrix_message
from bot.render.tips import tip_modal
from bot.render.use_cases import new_use_case_modal, status_modal, use_case_blocks, use_case_list_modal
from bot.render.values import read_checkin_value, read_feedback_value, read_talent_value, read_use_case_value, row_id
from bot.services import buddies, coach, learning, profile, programme, rituals, usage, use_cases
from bot.services.members import workspace_of
from bot.services.talent import assign as assign_role
from bot.services.talent import talent_matrix
from bot.services.workspace_settings import LOWEST_MIN_GROUP
from handlers.commands import buddy_command, path_view, send_data_export
from handlers.context import ListenerTable, MemberTurn, in_unit_of_work, publish_home, safe_call, take_turn
from handlers.surfaces import ClickSurface, Modal, Notice, Reaction, Refresh
from handlers.views import open_retro_quarter

if TYPE_CHECKING:
    from bot.deps import Deps


# Every button and menu listener, by action id, as the `listens_to` decorator records them.
ACTION_LISTENERS = ListenerTable()
listens_to = ACTION_LISTENERS.listens_to


def register(app: App, deps: Deps) -> None:
    for listened_id, listener in ACTION_LISTENERS.items():
        app.action(listened_id)(listener)


ClickWork = Callable[[MemberTurn, str], Reaction]


def clicked(action_id: str) -> Callable[[ClickWork], Callable[..., None]]:
    """Registers, for `action_id`, the Bolt listener that runs `work(turn, value)` for a click that may store
    something: `value` is the button's value or the chosen option's."""
    return lambda work: listens_to(action_id)(_click_listener(work, read_only=False))


def clicked_to_read(action_id: str) -> Callable[[ClickWork], Callable[..., None]]:
    """The same for a click that stores nothing (it shows something, opens a form, or hands its work to
    after the answer): its unit of work only reads."""
    return lambda work: listens_to(action_id)(_click_listener(work, read_only=True))


def _click_listener(work: ClickWork, read_only: bool) -> Callable[..., None]:
    def listener(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps
    ) -> None:
        ack()
        team_id = (body.get("team") or {}).get("id") or body["user"].get("team_id")
        value = (action.get("selected_option") or {}).get("value") or action.get("value") or ""
        surface = ClickSurface(deps, client, body, respond, team_id, f"action {action.get('action_id')}")
        take_turn(surface, lambda turn: work(turn, value), read_only=read_only)

    return listener


@clicked_to_read(ids.OPEN_LOG_MODAL)
def on_open_log_modal(turn: MemberTurn, value: str) -> Reaction:
    listed = use_cases.list_use_cases(turn.uow, turn.member)
    return Modal(log_modal(turn.tr, turn.deps.catalogs.tools, listed, turn.today))


@clicked(ids.ROADMAP_TICK)
def on_roadmap_tick(turn: MemberTurn, value: str) -> Reaction:
    """ "Erledigt" on a point of the roadmap, on an admin's App Home (a note: `/ki admin programm erledigt`)."""
    if not turn.is_admin:
        raise UserError("admin.error.not_admin")
    item = roadmap.item_named(value)
    programme.tick(turn.uow, item, "", turn.today, turn.member.slack_user_id)
    turn.refresh_home = True
    return Notice(turn.tr.t("programme.ticked", item=turn.tr.t(f"programme.item.{item.key}")))


@clicked_to_read(ids.INVENTORY_OPEN)
def on_inventory_open(turn: MemberTurn, value: str) -> Reaction:
    if programme.inventory_open(turn.uow, turn.today) is None:
        raise UserError("inventory.error.closed")
    return Modal(inventory_modal(turn.tr, turn.deps.catalogs.tools))


@clicked(ids.INVENTORY_IDEA)
def on_inventory_idea(turn: MemberTurn, value: str) -> Reaction:
    """ "Als Idee anlegen" on a potential text of the Bestandsaufnahme: a use-case idea, owned by the admin."""
    if not turn.is_admin:
        raise UserError("admin.error.not_admin")
    text = programme.potential_text(turn.uow, row_id(value), turn.deps.settings.min_group_size)
    title = shorten(text, MAX_TITLE_LENGTH)
    case = use_cases.create_use_case(turn.uow, turn.member, turn.deps.catalogs.departments, title, None, 0)
    return Notice(turn.tr.t("inventory.idea_created", title=escape(case.title), slug=case.slug))


@clicked(ids.TALENT_ASSIGN)
def on_talent_assign(turn: MemberTurn, value: str) -> Reaction:
    """An admin's menu on a row of the talent matrix: `<member id>:<role>` (`-`: no role)."""
    if not turn.is_admin:
        raise UserError("admin.error.not_admin")
    member_id, role = read_talent_value(value)
    row = assign_role(turn.uow, member_id, role, turn.member.slack_user_id)
    # The person sees the role on their App Home.
    team = turn.uow.team_id
    turn.later.append(partial(publish_home, turn.deps, turn.deps.web_client(team), team, row.slack_user_id))
    settings = turn.deps.settings
    rows = talent_matrix(turn.uow)
    message = matrix_message(turn.tr, rows, turn.deps.catalogs.curriculum, settings.slash_command)
    return Refresh(message.text, message.blocks)


@clicked_to_read(ids.OPEN_SETUP)
def on_open_setup(turn: MemberTurn, value: str) -> Reaction:
    """The button in the installer's welcome: the workspace's setup form, for its admins."""
    if not turn.is_admin:
        raise UserError("admin.error.not_admin")
    return Modal(setup_modal(turn.tr, turn.deps.settings, LOWEST_MIN_GROUP))


@clicked_to_read(ids.OPEN_CHECK)
def on_open_check(turn: MemberTurn, value: str) -> Reaction:
    return Modal(check_modal(turn.tr, turn.deps.catalogs.maturity))


@clicked_to_read(ids.OPEN_PROFILE)
def on_open_profile(turn: MemberTurn, value: str) -> Reaction:
    catalogs = turn.deps.catalogs
    form = profile.profile_form(turn.uow, turn.member, catalogs.departments)
    return Modal(profile_modal(turn.tr, form, catalogs.curriculum))


@clicked_to_read(ids.OPEN_USE_CASES)
def on_open_use_cases(turn: MemberTurn, value: str) -> Reaction:
    settings = turn.deps.settings
    listed = use_cases.list_use_cases(turn.uow, turn.member, settings.min_group_size)
    return Modal(use_case_list_modal(turn.tr, listed, settings.slash_command))


@clicked_to_read(ids.OPEN_NEW_USE_CASE)
def on_open_new_use_case(turn: MemberTurn, value: str) -> Reaction:
    return Modal(new_use_case_modal(turn.tr, profile.department_choices(turn.uow, turn.deps.catalogs.departments)))


@clicked_to_read(ids.OPEN_PATH)
def on_open_path(turn: MemberTurn, value: str) -> Reaction:
    return Modal(info_modal(turn.tr, turn.tr.t("path.modal_title"), path_view(turn)))


@clicked(ids.USE_CASE_MENU)
def on_use_case_menu(turn: MemberTurn, value: str) -> Reaction:
    """`status:<id>` opens the status form, `adopt:<id>` adopts."""
    tr, uow, member, settings = turn.tr, turn.uow, turn.member, turn.deps.settings
    verb, use_case_id = read_use_case_value(value)
    use_case = use_cases.get_use_case(uow, use_case_id)
    if verb == "status":
        return Modal(status_modal(tr, use_case.id, use_case.title, Status(use_case.status), use_case.learning))
    use_cases.adopt(uow, member, use_case)
    listed = use_cases.list_use_cases(uow, member, settings.min_group_size)
    return Refresh(tr.t("usecase.list_title"), use_case_blocks(tr, listed, settings.slash_command))


@clicked(ids.UNDO_LOG)
def on_undo_log(turn: MemberTurn, value: str) -> Reaction:
    removed = usage.remove_log(turn.uow, turn.member, row_id(value), turn.today)
    text = removed_text(turn.tr, turn.deps.catalogs.tools, removed)
    turn.after_change(figure="logs")
    return Refresh(text, [section(text)])


@clicked(ids.DELETE_LOG)
def on_delete_log(turn: MemberTurn, value: str) -> Reaction:
    tr, uow, member, tools = turn.tr, turn.uow, turn.member, turn.deps.catalogs.tools
    removed = usage.remove_log(uow, member, row_id(value), turn.today)
    turn.after_change(figure="logs")
    listing = log_list_message(
        tr, tools, usage.recent_logs(uow, member), turn.deps.settings.slash_command, removed_text(tr, tools, removed)
    )
    return Refresh(listing.text, listing.blocks)


@clicked_to_read(ids.EDIT_LOG)
def on_edit_log(turn: MemberTurn, value: str) -> Reaction:
    line = usage.own_log(turn.uow, turn.member, row_id(value))
    listed = use_cases.list_use_cases(turn.uow, turn.member)
    return Modal(log_modal(turn.tr, turn.deps.catalogs.tools, listed, turn.today, line))


@clicked(ids.COMPLETE_MODULE)
def on_complete_module(turn: MemberTurn, value: str) -> Reaction:
    module = learning.complete_module(turn.uow, turn.member, turn.deps.catalogs.curriculum, value)
    turn.after_change()
    return Refresh(turn.tr.t("path.title"), path_view(turn, (module, True)))


@clicked(ids.REOPEN_MODULE)
def on_reopen_module(turn: MemberTurn, value: str) -> Reaction:
    module = learning.reopen_module(turn.uow, turn.member, turn.deps.catalogs.curriculum, value)
    turn.after_change()
    return Refresh(turn.tr.t("path.title"), path_view(turn, (module, False)))


@clicked(ids.CHOOSE_TRACK)
def on_choose_track(turn: MemberTurn, value: str) -> Reaction:
    profile.set_track(turn.member, turn.deps.catalogs.curriculum, value)
    turn.after_change()
    return Refresh(turn.tr.t("path.title"), path_view(turn))


@clicked_to_read(ids.OPEN_BUDDY)
def on_open_buddy(turn: MemberTurn, value: str) -> Reaction:
    outcome = buddy_command("", turn)
    assert outcome.reply is not None
    return Modal(info_modal(turn.tr, turn.tr.t("buddy.title"), outcome.reply.blocks))


@clicked(ids.BUDDY_JOIN)
def on_buddy_join(turn: MemberTurn, value: str) -> Reaction:
    outcome = buddy_command(value, turn)
    assert outcome.reply is not None
    return Refresh(outcome.reply.text, outcome.reply.blocks)


@clicked(ids.RSVP)
def on_rsvp(turn: MemberTurn, value: str) -> Reaction:
    event = rituals.get_event(turn.uow, row_id(value))
    attending = rituals.toggle_rsvp(turn.uow, event, turn.member)
    turn.later.append(partial(refresh_rsvp_post, turn.deps, turn.uow.team_id, event.id))
    return Notice(turn.tr.t("ritual.rsvp_yes") if attending else turn.tr.t("ritual.rsvp_no"))


@clicked_to_read(ids.SUMMARY_OPEN)
def on_summary_open(turn: MemberTurn, value: str) -> Reaction:
    event = rituals.get_event(turn.uow, row_id(value))
    return Modal(summary_modal(turn.tr, rituals.event_info(event)))


@clicked_to_read(ids.RETRO_OPEN)
def on_retro_open(turn: MemberTurn, value: str) -> Reaction:
    return Modal(retro_modal(turn.tr, open_retro_quarter(value, turn.today)))


@clicked(ids.CHECKIN_ANSWER)
def on_checkin_answer(turn: MemberTurn, value: str) -> Reaction:
    tr, uow, member = turn.tr, turn.uow, turn.member
    read = read_checkin_value(value)
    if read is None:
        raise UserError("buddy.error.unknown_pair")
    checkin_pair, week, answer = read
    pair = buddies.get_pair(uow, checkin_pair)
    # Only a week the pair was asked about can be answered: a made-up week would count as a check-in
    # held and stand in for the real one.
    if not buddies.was_asked(uow, pair, week):
        raise UserError("buddy.error.unknown_checkin")
    checkin, stored = buddies.answer_checkin(uow, pair, week, member, answer, turn.deps.clock())
    if not stored:
        raise UserError("buddy.error.already_answered", answer=tr.t(f"buddy.answer.{checkin.answer}"))
    paused_until = pair.paused_until if answer is Answer.PAUSE else None
    message = checkin_answered(tr, answer, member.slack_user_id, paused_until)
    return Refresh(message.text, message.blocks)


@clicked(ids.FEEDBACK_DECISION)
def on_feedback_decision(turn: MemberTurn, value: str) -> Reaction:
    uow, deps = turn.uow, turn.deps
    feedback_pair, choice = read_feedback_value(value)
    if choice is None:
        raise UserError("buddy.error.unknown_pair")
    pair = buddies.get_pair(uow, feedback_pair)
    weeks = deps.settings.buddy_programme_weeks
    decision = buddies.give_feedback(uow, pair, turn.member, choice is FeedbackChoice.EXTEND, weeks, deps.clock())
    # Everyone in the group DM reads the updated question: in their common language.
    message = decision_message(Translator(buddies.pair_language(uow, pair)), pair.id, weeks, decision)
    return Refresh(message.text, message.blocks)


@clicked_to_read(ids.RATING_OPEN)
def on_rating_open(turn: MemberTurn, value: str) -> Reaction:
    pair = buddies.get_pair(turn.uow, row_id(value))
    buddies.check_can_rate(turn.uow, pair, turn.member)
    return Modal(rating_modal(turn.tr, pair.id))


@clicked_to_read(ids.DATA_EXPORT)
def on_data_export(turn: MemberTurn, value: str) -> Reaction:
    tr = turn.tr
    turn.later.append(partial(send_data_export, turn.deps, turn.uow.team_id, turn.member.slack_user_id, tr))
    return Notice(tr.t("privacy.export.sent"))


@clicked_to_read(ids.DATA_DELETE)
def on_data_delete(turn: MemberTurn, value: str) -> Reaction:
    return Modal(delete_modal(turn.tr))


def refresh_rsvp_post(deps: Deps, team_id: str, event_id: int) -> None:
    """The channel post shows the new RSVP count, updated in place."""
    settings = deps.settings

    def read(uow: UnitOfWork) -> tuple[Message, str | None, str | None]:
        event = rituals.get_event(uow, event_id)
        tr = Translator(workspace_of(uow).default_language)
        attending = rituals.rsvp_count(uow, event)
        render = office_hours_post if event.kind == RitualKind.OFFICE_HOURS else monthly_post
        return render(tr, rituals.event_info(event), attending, settings.zone), event.channel, event.message_ts

    message, channel, ts = in_unit_of_work(deps, team_id, read, read_only=True)
    if channel and ts:
        safe_call(deps.web_client(team_id).chat_update, channel=channel, ts=ts, **message.post_args())


@clicked_to_read(ids.COACH_SHARE)
def on_coach_share(turn: MemberTurn, value: str) -> Reaction:
    """The coach's improved prompt in the tip form: the person edits it before anything is posted."""
    return Modal(tip_modal(turn.tr, value))


@clicked(ids.COACH_HELPFUL)
def on_coach_helpful(turn: MemberTurn, value: str) -> Reaction:
    return Notice(verdict_text(turn.tr, coach.record_verdict(turn.uow, value, True, turn.today)))


@clicked(ids.COACH_NOT_HELPFUL)
def on_coach_not_helpful(turn: MemberTurn, value: str) -> Reaction:
    return Notice(verdict_text(turn.tr, coach.record_verdict(turn.uow, value, False, turn.today)))
