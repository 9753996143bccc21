"""Modal submissions, one listener per callback id. Refusals come back inline on the field they name
(`response_action: errors`), never as a lost submission; a modal sent twice stores one record (its view id
is the key)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain import fields
from bot.domain.commands import check_erasure_word
from bot.domain.errors import UserError
from bot.domain.maturity import LEVELS
from bot.domain.privacy import clean_text
from bot.domain.tools import OTHER_TOOL
from bot.domain.usage import UsageEntry, check_note, parse_duration
from bot.domain.use_cases import Status, check_learning, check_title, parse_weekly_estimate
from bot.i18n import Translator
from bot.render import ids
from bot.render.blocks import Block, section
from bot.render.log_form import info_modal, saved_view
from bot.render.maturity import check_modal, check_result_blocks
from bot.render.pilots import card_blocks
from bot.render.privacy import erased_message, pairing_ended_message
from bot.render.replies import logged_message
from bot.render.rituals import summary_post
from bot.render.setup import saved_blocks
from bot.render.tips import SHARE_ANONYMOUSLY
from bot.render.use_cases import use_case_line
from bot.render.values import row_id
from bot.services import buddies, maturity, privacy, profile, rituals, tips, use_cases
from bot.services.members import workspace_of
from bot.services.pilots import save_card as save_pilot_card
from bot.services.programme import save_inventory
from bot.services.talent import save_choice as save_talent
from bot.services.usage import log_usage, update_log
from bot.services.workspace_settings import EDITABLE
from bot.services.workspace_settings import save as save_settings
from handlers.commands import post_tip
from handlers.context import ListenerTable, MemberTurn, error_text, safe_call, small_number, take_turn
from handlers.surfaces import FormSurface

if TYPE_CHECKING:
    from bot.deps import Deps

Chosen = TypeVar("Chosen")


# Every form listener, by callback id, as the `submitted_from` decorator records them.
FORM_LISTENERS = ListenerTable()
FormWork = Callable[[MemberTurn, dict[str, Any]], dict[str, Any]]


def submitted_from(
    callback_id: str, first_field: str | Callable[[Deps], str]
) -> Callable[[FormWork], Callable[..., None]]:
    """Registers, for the form `callback_id`, the Bolt listener that runs `work(turn, view)` as the member's
    request: its answer is the acknowledgement, a UserError an inline error on its field (on `first_field`,
    or the field it names for the configuration, when the form has no such field)."""

    def register(work: FormWork) -> Callable[..., None]:
        def listener(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, deps: Deps) -> None:
            field = first_field(deps) if callable(first_field) else first_field
            surface = FormSurface(deps, client, body, ack, context, field)
            take_turn(surface, lambda turn: work(turn, body["view"]))

        return FORM_LISTENERS.listens_to(callback_id)(listener)

    return register


def register(app: App, deps: Deps) -> None:
    for listened_id, listener in FORM_LISTENERS.items():
        app.view(listened_id)(listener)


def values(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted value of each input block, by block id (None when left empty)."""
    result: dict[str, Any] = {}
    for block_id, elements in (view.get("state") or {}).get("values", {}).items():
        for element in elements.values():
            kind = element.get("type")
            if kind in ("static_select", "radio_buttons"):
                result[block_id] = (element.get("selected_option") or {}).get("value")
            elif kind == "datepicker":
                result[block_id] = element.get("selected_date")
            elif kind == "timepicker":
                result[block_id] = element.get("selected_time")
            elif kind == "conversations_select":
                result[block_id] = element.get("selected_conversation")
            elif kind == "multi_users_select":
                result[block_id] = list(element.get("selected_users") or [])
            elif kind == "multi_static_select":
                result[block_id] = [option.get("value") for option in element.get("selected_options") or []]
            else:
                value = element.get("value")
                text = clean_text(value).strip() if isinstance(value, str) else ""
                result[block_id] = text or None
    return result


def shown_in_modal(tr: Translator, title_key: str, blocks: list[Block]) -> dict[str, Any]:
    """The form's answer when it was stored: the modal turns into `blocks` under the title `title_key`."""
    return {"response_action": "update", "view": info_modal(tr, tr.t(title_key), blocks)}


def chosen(read: Callable[[str], Chosen], value: str) -> Chosen:
    """A date or option as the form sends it; one no form offers is refused, not a traceback."""
    try:
        return read(value)
    except ValueError:
        raise UserError("form.error.unknown_choice") from None


class FieldErrors:
    """Refusals of a form's fields, collected so that each shows on its own field, all at once."""

    def __init__(self, tr: Translator, command: str) -> None:
        self.tr, self.command = tr, command
        self.errors: dict[str, str] = {}

    def check(self, field: str, check: Any, *args: Any, **kwargs: Any) -> Any:
        """`check(*args, **kwargs)`; a refusal is noted as the error of `field` (and None returned)."""
        try:
            return check(*args, **kwargs)
        except UserError as error:
            self.errors[field] = error_text(self.tr, error, self.command)
            return None

    def response(self) -> dict[str, Any] | None:
        if not self.errors:
            return None
        return {"response_action": "errors", "errors": {k: v[:150] for k, v in self.errors.items()}}


@submitted_from(ids.LOG_VIEW, first_field=ids.MINUTES)
def on_log_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """A new entry, or a change to one (the form carries the entry's id). A new use case named in the form
    is created in the same savepoint as the entry: a refused entry leaves no use case behind."""
    tools, command = turn.deps.catalogs.tools, turn.deps.settings.slash_command
    fields = values(view)
    form = FieldErrors(turn.tr, command)
    minutes = form.check(ids.MINUTES, parse_duration, fields.get(ids.MINUTES) or "")
    note = fields.get(ids.NOTE) or ""
    form.check(ids.NOTE, check_note, note)
    new_title = fields.get(ids.NEW_USE_CASE)
    if new_title and fields.get(ids.USE_CASE):
        form.errors[ids.NEW_USE_CASE] = turn.tr.t("logmodal.error.use_case_twice")
    elif new_title:
        form.check(ids.NEW_USE_CASE, check_title, new_title)
    source_key = f"view:{view['id']}"
    use_case: use_cases.UseCase | None = None
    if new_title and not form.errors:
        # Owned by its author, cross-department, an idea without an estimate: the registry has the rest.
        use_case = form.check(
            ids.NEW_USE_CASE,
            use_cases.create_use_case,
            turn.uow,
            turn.member,
            turn.deps.catalogs.departments,
            new_title,
            None,
            0,
            source_key=source_key,
            now=turn.deps.clock(),
        )
    elif fields.get(ids.USE_CASE):
        use_case = use_cases.get_use_case(turn.uow, row_id(fields[ids.USE_CASE]))
    refused = form.response()
    if refused is not None:
        return refused
    tool = fields.get(ids.TOOL)
    used_on = chosen(date.fromisoformat, fields.get(ids.DATE) or turn.today.isoformat())
    entry = UsageEntry(minutes=minutes, tool=tool if tools.get(tool) else OTHER_TOOL, use_case_slug=None, note=note)
    editing = str(view.get("private_metadata") or "")
    if editing:
        log_id = row_id(editing)
        logged = update_log(turn.uow, turn.member, log_id, entry, used_on, turn.today, use_case)
    else:
        logged = log_usage(turn.uow, turn.member, entry, used_on, turn.today, use_case, source_key)
    turn.after_change(figure="logs")
    message = logged_message(turn.tr, tools, logged, command, changed=bool(editing))
    return {"response_action": "update", "view": saved_view(turn.tr, message.blocks)}


@submitted_from(ids.PROFILE_VIEW, first_field=ids.DEPARTMENT)
def on_profile_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    fields = values(view)
    profile.set_department(turn.uow, turn.member, turn.deps.catalogs.departments, fields.get(ids.DEPARTMENT))
    track = fields.get(ids.TRACK)
    if track and track != ids.TRACK_UNKNOWN:
        profile.set_track(turn.member, turn.deps.catalogs.curriculum, track)
    if fields.get(ids.ANNOUNCE_STAGE) in ("yes", "no"):
        turn.member.announce_stage = fields[ids.ANNOUNCE_STAGE] == "yes"
    turn.after_change()
    if track == ids.TRACK_UNKNOWN:
        return {"response_action": "update", "view": check_modal(turn.tr, turn.deps.catalogs.maturity)}
    text = turn.tr.t("profile.saved", department=turn.member.department or turn.tr.t("profile.no_department"))
    return shown_in_modal(turn.tr, "profile.title", [section(text)])


@submitted_from(ids.USE_CASE_VIEW, first_field=ids.TITLE)
def on_use_case_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    fields = values(view)
    tr, command = turn.tr, turn.deps.settings.slash_command
    status = chosen(Status, fields.get(ids.STATUS) or Status.IDEA.value)
    # A personal-data refusal could be either text's: each field is checked on its own.
    form = FieldErrors(tr, command)
    estimate = form.check(ids.ESTIMATE, parse_weekly_estimate, fields.get(ids.ESTIMATE) or "")
    form.check(ids.TITLE, check_title, fields.get(ids.TITLE) or "")
    form.check(ids.LEARNING, check_learning, status, fields.get(ids.LEARNING))
    refused = form.response()
    if refused is not None:
        return refused
    created = use_cases.create_use_case(
        turn.uow,
        turn.member,
        turn.deps.catalogs.departments,
        fields.get(ids.TITLE) or "",
        fields.get(ids.DEPARTMENT),
        estimate,
        status,
        fields.get(ids.LEARNING),
        source_key=f"view:{view['id']}",
        now=turn.deps.clock(),
    )
    turn.after_change()
    summary = next(
        uc
        for uc in use_cases.list_use_cases(turn.uow, turn.member, turn.deps.settings.min_group_size)
        if uc.id == created.id
    )
    blocks = [section(turn.tr.t("usecase.created") + "\n" + use_case_line(turn.tr, summary))]
    return shown_in_modal(turn.tr, "usecase.new_title", blocks)


@submitted_from(ids.STATUS_VIEW, first_field=ids.STATUS)
def on_status_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    fields = values(view)
    use_case = use_cases.get_use_case(turn.uow, row_id(view.get("private_metadata")))
    status = chosen(Status, fields.get(ids.STATUS) or use_case.status)
    form = FieldErrors(turn.tr, turn.deps.settings.slash_command)
    form.check(ids.LEARNING, check_learning, status, fields.get(ids.LEARNING))
    refused = form.response()
    if refused is not None:
        return refused
    use_cases.change_status(
        turn.uow,
        turn.member,
        use_case,
        status,
        fields.get(ids.LEARNING),
        turn.is_admin,
        now=turn.deps.clock(),
    )
    turn.after_change()
    text = turn.tr.t(
        "usecase.status_changed", title=use_case.title, status=turn.tr.t(f"usecase.status.{use_case.status}")
    )
    return shown_in_modal(turn.tr, "usecase.status_title", [section(text)])


def first_dimension(deps: Deps) -> str:
    return ids.CHECK_DIMENSION_PREFIX + deps.catalogs.maturity.dimensions[0].key


@submitted_from(ids.CHECK_VIEW, first_field=first_dimension)
def on_check_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    matrix = turn.deps.catalogs.maturity
    fields = values(view)
    answers = {
        d.key: small_number(v)
        for d in matrix.dimensions
        if (v := fields.get(ids.CHECK_DIMENSION_PREFIX + d.key)) and small_number(v) in LEVELS
    }
    missing = [d for d in matrix.dimensions if d.key not in answers]
    if missing:
        return {
            "response_action": "errors",
            "errors": {ids.CHECK_DIMENSION_PREFIX + d.key: turn.tr.t("check.error.answer_missing") for d in missing},
        }
    result = maturity.record_assessment(turn.uow, turn.member, matrix, answers, f"view:{view['id']}")
    turn.after_change()
    stage = turn.deps.catalogs.curriculum.stage(turn.member.career_stage)
    blocks = check_result_blocks(
        turn.tr, matrix, turn.deps.catalogs.curriculum, result.assessment, result.previous, stage
    )
    return shown_in_modal(turn.tr, "check.title", blocks)


@submitted_from(ids.SUMMARY_VIEW, first_field=ids.SUMMARY)
def on_summary_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """A presenter's one-line summary of the monthly update, posted to the community channel."""
    fields = values(view)
    event = rituals.get_event(turn.uow, row_id(view.get("private_metadata")))
    rituals.save_summary(turn.uow, event, turn.member, fields.get(ids.SUMMARY) or "", fields.get(ids.SUMMARY_LINK))
    post = summary_post(Translator(workspace_of(turn.uow).default_language), rituals.event_info(event))
    turn.later.append(
        partial(
            safe_call,
            turn.deps.web_client(turn.uow.team_id).chat_postMessage,
            channel=turn.deps.settings.community_channel,
            **post.post_args(),
        )
    )
    text = turn.tr.t("ritual.summary_thanks")
    return shown_in_modal(turn.tr, "ritual.summary_title", [section(text)])


@submitted_from(ids.RETRO_VIEW, first_field=ids.RETRO_RATING)
def on_retro_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    fields = values(view)
    rating = small_number(fields.get(ids.RETRO_RATING))
    if not rating:
        return {"response_action": "errors", "errors": {ids.RETRO_RATING: turn.tr.t("retro.error.rating")}}
    rituals.record_retro(
        turn.uow,
        turn.member,
        open_retro_quarter(str(view.get("private_metadata") or ""), turn.today),
        fields.get(ids.RETRO_WORKS),
        fields.get(ids.RETRO_BLOCKS),
        fields.get(ids.RETRO_NEEDS),
        rating,
        turn.today,
    )
    text = turn.tr.t("retro.thanks")
    return shown_in_modal(turn.tr, "retro.title", [section(text)])


def open_retro_quarter(quarter: str, today: date) -> str:
    """The retrospective a form answers: only the running quarter's. A survey closes with its quarter and its
    results are released once afterwards (bot/services/rituals.py), so any other quarter (made up, past,
    future) is refused."""
    if quarter != rituals.quarter_key(today):
        raise UserError("retro.error.closed")
    return quarter


@submitted_from(ids.RATING_VIEW, first_field=ids.RATING)
def on_rating_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """A person's rating of an ended buddy programme."""
    fields = values(view)
    rating = fields.get(ids.RATING)
    pair = buddies.get_pair(turn.uow, row_id(view.get("private_metadata")))
    buddies.rate_programme(turn.uow, pair, turn.member, small_number(rating), fields.get(ids.NOTE))
    text = turn.tr.t("buddy.rating_thanks")
    return shown_in_modal(turn.tr, "buddy.rating_title", [section(text)])


@submitted_from(ids.DATA_DELETE_VIEW, first_field=ids.DATA_CONFIRM)
def on_data_delete_confirmed(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """Erasure, confirmed in the modal: the person is told by DM, a buddy partner only that the pairing ended."""
    command = turn.deps.settings.slash_command
    check_erasure_word(values(view).get(ids.DATA_CONFIRM))
    erased = privacy.erase(turn.uow, turn.member, turn.deps.clock(), turn.deps.settings.min_group_size)
    # Whatever was queued for the person before (a first-contact notice) belongs to data that is gone.
    turn.dms = [erased_message(turn.tr, command)]
    turn.later.append(partial(tell_partners_pairing_ended, turn.deps, turn.uow.team_id, erased.partners))
    text = erased_message(turn.tr, command).text
    return shown_in_modal(turn.tr, "privacy.delete.title", [section(text)])


def tell_partners_pairing_ended(deps: Deps, team_id: str, partners: list[tuple[str, str]]) -> None:
    client = deps.web_client(team_id)
    for user, language in partners:
        message = pairing_ended_message(Translator(language), deps.settings.slash_command)
        safe_call(client.chat_postMessage, channel=user, **message.post_args())


@submitted_from(ids.SETUP_VIEW, first_field=fields.SETUP_PREFIX + EDITABLE[0])
def on_setup_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """The workspace's settings, from its setup form; in force for its next request and job."""
    if not turn.is_admin:
        raise UserError("admin.error.not_admin")
    changes = {
        block_id.removeprefix(fields.SETUP_PREFIX): value
        for block_id, value in values(view).items()
        if block_id.startswith(fields.SETUP_PREFIX) and value not in (None, "")
    }
    settings = save_settings(turn.uow, turn.deps.defaults, changes, turn.member.slack_user_id)
    return shown_in_modal(turn.tr, "setup.title", saved_blocks(turn.tr, settings))


@submitted_from(ids.INVENTORY_VIEW, first_field=ids.INVENTORY_HOURS)
def on_inventory_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """The Bestandsaufnahme's answer; tools the catalog does not know are left out."""
    fields = values(view)
    tools = [key for key in fields.get(ids.INVENTORY_TOOLS) or [] if turn.deps.catalogs.tools.get(key)]
    save_inventory(
        turn.uow,
        turn.member,
        turn.today,
        tools,
        fields.get(ids.INVENTORY_POTENTIAL),
        fields.get(ids.INVENTORY_HOURS),
        fields.get(ids.INVENTORY_CHAMPION),
    )
    return shown_in_modal(turn.tr, "inventory.title", [section(turn.tr.t("inventory.thanks"))])


@submitted_from(ids.TALENT_VIEW, first_field=ids.TALENT_CONSENT)
def on_talent_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """In the talent matrix with these interests, or out of it (the entry is deleted)."""
    fields = values(view)
    opted_in = fields.get(ids.TALENT_CONSENT) == "yes"
    save_talent(
        turn.uow, turn.member, opted_in, fields.get(ids.TALENT_ROLES) or [], fields.get(ids.TALENT_STRENGTHS) or []
    )
    turn.refresh_home = True
    return shown_in_modal(
        turn.tr, "talent.title", [section(turn.tr.t("talent.saved" if opted_in else "talent.removed"))]
    )


@submitted_from(ids.PILOT_VIEW, first_field=ids.PILOT_TEAM)
def on_pilot_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """A pilot's card, from its owner or an admin; the form turns into the card."""
    fields = values(view)
    use_case = use_cases.get_use_case(turn.uow, row_id(view.get("private_metadata")))
    deadline = fields.get(ids.PILOT_DEADLINE)
    card = save_pilot_card(
        turn.uow,
        use_case,
        turn.member,
        turn.is_admin,
        fields.get(ids.PILOT_TEAM) or [],
        fields.get(ids.PILOT_GOAL) or "",
        fields.get(ids.PILOT_METRIC) or "",
        fields.get(ids.PILOT_BASELINE) or "",
        chosen(date.fromisoformat, deadline) if deadline else None,
        turn.today,
        turn.deps.settings.min_group_size,
    )
    return shown_in_modal(turn.tr, "pilot.title", card_blocks(turn.tr, card))


@submitted_from(ids.TIP_VIEW, first_field=ids.TIP_TEXT)
def on_tip_submitted(turn: MemberTurn, view: dict[str, Any]) -> dict[str, Any]:
    """A tip from the form (the prompt coach's "Als Tipp teilen"): stored, then posted after the commit as
    `/ki tip` posts; the person learns by DM where it went, or that it was not posted and not counted."""
    submitted = values(view)
    anonymous = submitted.get(ids.TIP_ANONYMOUS) == SHARE_ANONYMOUSLY
    draft = tips.check_tip(submitted.get(ids.TIP_TEXT) or "", anonymous, field=ids.TIP_TEXT)
    tip = tips.record_tip(turn.uow, turn.member, draft, turn.deps.settings.community_channel)
    turn.after_change()
    turn.later.append(partial(post_tip_and_tell, turn, draft, tip.id))
    return {}


def post_tip_and_tell(turn: MemberTurn, draft: tips.TipDraft, tip_id: int) -> None:
    client = turn.deps.web_client(turn.uow.team_id)
    told = post_tip(turn, draft, tip_id, client)
    safe_call(client.chat_postMessage, channel=turn.member.slack_user_id, **told.post_args())
