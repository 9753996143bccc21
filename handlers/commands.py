"""The `/ki` slash command (name configurable): parse the text, run the subcommand, answer ephemerally
(handlers/surfaces.py: the answer goes with the acknowledgement, after the commit: "gespeichert" means saved;
a modal opens right after it)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from bot.db import DatabaseTimeout, UnitOfWork
from bot.docs.pack import DOCUMENT_TITLES, ManifestMissing, works_council_pack
from bot.domain import roadmap
from bot.domain.buddies import Role, parse_capacity, parse_pause
from bot.domain.commands import (
    ADMIN_ACTIONS,
    BUDDY_ACTIONS,
    DATA_ACTIONS,
    LOG_ACTIONS,
    PATH_ACTIONS,
    PROFILE_ACTIONS,
    PROGRAMME_ACTIONS,
    TOP_ACTIONS,
    USE_CASE_ACTIONS,
    KiCommand,
    Subcommand,
    parse_ki_text,
    parse_language,
    parse_month,
    split_action,
)
from bot.domain.curriculum import Module
from bot.domain.errors import UserError
from bot.domain.privacy import clean_text
from bot.domain.rituals import RitualKind
from bot.domain.talent import role_named
from bot.domain.usage import parse_log_text
from bot.domain.use_cases import parse_status
from bot.i18n import LANGUAGES, Translator
from bot.metrics import COMMANDS
from bot.render.blocks import Block, Message, section, warning
from bot.render.buddies import (
    joined_mentor_message,
    left_message,
    partner_left_message,
    status_message,
    waiting_list_message,
)
from bot.render.coach import coach_admin_message
from bot.render.exports import kpi_csv
from bot.render.home import progress_blocks
from bot.render.jobs import job_done
from bot.render.kpis import leaderboard_message, period_label
from bot.render.learning import path_blocks
from bot.render.log_form import log_list_message, log_modal
from bot.render.maturity import check_modal
from bot.render.onboarding import profile_modal
from bot.render.pilots import pilot_modal
from bot.render.privacy import (
    data_message,
    delete_modal,
    export_json,
    export_markdown,
    export_sent,
    retention_message,
)
from bot.render.programme import inventory_results_message, roadmap_blocks
from bot.render.replies import (
    admin_help_message,
    help_message,
    language_set_message,
    logged_message,
    stats_message,
)
from bot.render.rituals import retro_results_message
from bot.render.setup import setup_modal
from bot.render.talent import matrix_csv, matrix_message, talent_modal
from bot.render.tips import tip_post
from bot.render.use_cases import new_use_case_modal, use_case_blocks
from bot.services import audit, buddies, coach, kpis, learning, privacy, profile, programme, rituals, tips, use_cases
from bot.services.home import home_snapshot
from bot.services.job_ledger import missed_deliveries
from bot.services.members import find_member, set_language
from bot.services.pilots import card_of
from bot.services.pilots import may_edit as may_edit_pilot
from bot.services.talent import choice_of, talent_matrix
from bot.services.usage import log_usage, recent_logs, week_start
from bot.services.workspace_settings import LOWEST_MIN_GROUP
from bot.slack.client import outcome_unknown
from handlers.coach import accept_prompt
from handlers.context import MemberTurn, in_unit_of_work, safe_call, take_turn
from handlers.surfaces import CommandSurface, Outcome
from jobs.api import JOB_IDS, announce_swap, match_after_opt_in, post_monthly_report, run_job, schedule

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    app.command(deps.settings.slash_command)(on_ki_command)


def on_ki_command(
    ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext, deps: Deps
) -> None:
    try:
        parsed: KiCommand | UserError = parse_ki_text(clean_text(command.get("text") or ""))
    except UserError as refused:
        parsed = refused
    COMMANDS.labels(subcommand=parsed.subcommand.value if isinstance(parsed, KiCommand) else "unknown").inc()
    surface = CommandSurface(deps, client, command, ack, respond, context, deps.settings.slash_command)
    take_turn(surface, partial(answer_command, parsed), read_only=only_reads(parsed))


def answer_command(parsed: KiCommand | UserError, turn: MemberTurn) -> Outcome:
    # Refused within the turn: a person whose first words are refused is still greeted with the notice.
    if isinstance(parsed, UserError):
        raise parsed
    return run_subcommand(parsed, turn)


def only_reads(parsed: KiCommand | UserError) -> bool:
    """Whether the command stores nothing: it shows something, opens a form, hands its work to after the
    answer, or is refused. Its unit of work then only reads; every other one may write."""
    if isinstance(parsed, UserError):
        return True
    args = parsed.args
    match parsed.subcommand:
        case Subcommand.HELP | Subcommand.STATS | Subcommand.CHECK | Subcommand.DATA:
            return True
        case Subcommand.LOG:
            return not args or split_action(args, LOG_ACTIONS) == ("list", "")
        case Subcommand.USE_CASE:
            return split_action(args, USE_CASE_ACTIONS)[0] in (None, "new", "list", "pilot")
        case Subcommand.PATH:
            return split_action(args, PATH_ACTIONS)[0] is None
        case Subcommand.PROFILE:
            return split_action(args, PROFILE_ACTIONS)[0] is None
        case Subcommand.ADMIN:
            action, rest = split_action(args, ADMIN_ACTIONS)
            if action == "programme":
                # Looking at the Bestandsaufnahme's results is written to the audit log: not only a read.
                return split_action(rest, PROGRAMME_ACTIONS)[0] is None
            return action in (
                None,
                "help",
                "run",
                "schedule",
                "privacy",
                "buddy",
                "coach",
                "settings",
            )
        case Subcommand.BUDDY:
            return split_action(args, BUDDY_ACTIONS)[0] is None
        case Subcommand.TOP:
            return split_action(args, TOP_ACTIONS)[0] not in ("optin", "optout")
        case Subcommand.LANGUAGE | Subcommand.TIP | Subcommand.PROMPT:
            return False


def run_subcommand(parsed: KiCommand, turn: MemberTurn) -> Outcome:
    with_arguments = SUBCOMMANDS_WITH_ARGUMENTS.get(parsed.subcommand)
    if with_arguments is not None:
        return with_arguments(parsed.args, turn)
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    settings, catalogs = deps.settings, deps.catalogs
    command = settings.slash_command
    match parsed.subcommand:
        case Subcommand.STATS:
            snapshot = home_snapshot(uow, member, turn.today, catalogs, entries=0)
            return Outcome(
                reply=stats_message(
                    tr, catalogs.tools, snapshot.stats, command, progress_blocks(tr, snapshot, catalogs.maturity)
                )
            )
        case Subcommand.LANGUAGE:
            language = parse_language(parsed.args, LANGUAGES)
            set_language(member, language)
            turn.tr = Translator(language)
            turn.refresh_home = True
            return Outcome(reply=language_set_message(turn.tr))
        case Subcommand.CHECK:
            return Outcome(view=check_modal(tr, catalogs.maturity))
        case Subcommand.HELP:
            return Outcome(reply=help_message(tr, command, settings.community_channel, turn.is_admin))
    raise AssertionError(f"/{parsed.subcommand} is neither in SUBCOMMANDS_WITH_ARGUMENTS nor answered here")


def prompt_command(args: str, turn: MemberTurn) -> Outcome:
    """`/ki prompt <Prompt>`: the coach's answer follows through the response_url (handlers/coach.py)."""
    accepted = accept_prompt(turn, args, replace_waiting=True)
    if isinstance(accepted, Message):
        return Outcome(reply=accepted)
    return Outcome(reply=accepted.waiting, respond_later=accepted.answer)


def log_command(args: str, turn: MemberTurn) -> Outcome:
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    tools, command = deps.catalogs.tools, deps.settings.slash_command
    if not args:
        return Outcome(view=log_modal(tr, tools, use_cases.list_use_cases(uow, member), turn.today))
    action, rest = split_action(args, LOG_ACTIONS)
    if action == "list" and not rest:
        return Outcome(reply=log_list_message(tr, tools, recent_logs(uow, member), command))
    entry = parse_log_text(args, tools)
    # An unknown `#stichwort` does not cost the entry: it is stored without a use case, and the reply says so.
    use_case = use_cases.match_use_case(uow, entry.use_case_slug) if entry.use_case_slug else None
    unknown_tag = f"#{entry.use_case_slug}" if entry.use_case_slug and use_case is None else None
    logged = log_usage(uow, member, entry, used_on=turn.today, today=turn.today, use_case=use_case)
    turn.after_change(figure="logs")
    return Outcome(reply=logged_message(tr, tools, logged, command, unknown_tag=unknown_tag))


def use_case_command(args: str, turn: MemberTurn) -> Outcome:
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    command = deps.settings.slash_command
    action, rest = split_action(args, USE_CASE_ACTIONS)
    if action == "new":
        departments = profile.department_choices(uow, deps.catalogs.departments)
        return Outcome(view=new_use_case_modal(tr, departments))
    if action == "status":
        reference, _, status_and_learning = rest.partition(" ")
        status_word, _, learning = status_and_learning.strip().partition(" ")
        if not reference or not status_word:
            raise UserError("usecase.error.status_usage", example="example.use_case_status")
        use_case = use_cases.find_use_case(uow, reference)
        use_cases.change_status(
            uow, member, use_case, parse_status(status_word), learning, turn.is_admin, now=deps.clock()
        )
        turn.after_change()
        text = tr.t("usecase.status_changed", title=use_case.title, status=tr.t(f"usecase.status.{use_case.status}"))
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    if action == "pilot":
        if not rest:
            raise UserError("pilot.error.usage", example="example.pilot")
        use_case = use_cases.find_use_case(uow, rest.split()[0])
        may_edit_pilot(use_case, member, turn.is_admin)
        card = card_of(uow, use_case, deps.settings.min_group_size)
        return Outcome(view=pilot_modal(tr, use_case.id, use_case.title, card, turn.today))
    if action == "adopt":
        if not rest:
            raise UserError("usecase.error.adopt_usage", example="example.use_case_adopt")
        use_case = use_cases.find_use_case(uow, rest.split()[0])
        use_cases.adopt(uow, member, use_case)
        text = tr.t("usecase.adopted", title=use_case.title)
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    if action is None and rest:
        raise UserError("usecase.error.unknown_action", example="example.use_case_list", word=rest.split()[0][:30])
    listed = use_cases.list_use_cases(uow, member, deps.settings.min_group_size)
    return Outcome(reply=Message(text=tr.t("usecase.list_title"), blocks=use_case_blocks(tr, listed, command)))


def path_command(args: str, turn: MemberTurn) -> Outcome:
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    curriculum = deps.catalogs.curriculum
    action, rest = split_action(args, PATH_ACTIONS)
    changed: tuple[Module, bool] | None = None
    if action == "track":
        profile.set_track(member, curriculum, rest.strip().lower())
        turn.after_change()
    elif action in ("done", "reopen"):
        progress = learning.path_progress(uow, member, curriculum)
        if progress.track is None:
            raise UserError("path.error.no_track", example="example.path_track")
        if rest:
            module = progress.track.find_module(rest, tr.language)
        elif action == "reopen":
            raise UserError("path.error.reopen_usage", example="example.path_reopen")
        elif progress.next_module is None:
            raise UserError("path.error.all_done")
        else:
            module = progress.next_module
        if action == "done":
            changed = (learning.complete_module(uow, member, curriculum, module.key), True)
        else:
            changed = (learning.reopen_module(uow, member, curriculum, module.key), False)
        turn.after_change()
    elif args.strip():
        raise UserError("path.error.unknown_action", example="example.path", word=args.split()[0][:30])
    return Outcome(reply=Message(text=tr.t("path.title"), blocks=path_view(turn, changed)))


def path_view(turn: MemberTurn, changed: tuple[Module, bool] | None = None) -> list[Block]:
    """The person's learning path as it stands now (after `changed`, if a module was just marked)."""
    deps, curriculum = turn.deps, turn.deps.catalogs.curriculum
    progress = learning.path_progress(turn.uow, turn.member, curriculum)
    stage = curriculum.stage(turn.member.career_stage)
    return path_blocks(
        turn.tr,
        curriculum,
        progress,
        stage,
        deps.settings.slash_command,
        changed,
        coach_enabled=deps.settings.coach_enabled,
    )


def profile_command(args: str, turn: MemberTurn) -> Outcome:
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    action, rest = split_action(args, PROFILE_ACTIONS)
    if action == "talents":
        return Outcome(view=talent_modal(tr, choice_of(uow, member)))
    if action == "department":
        department = profile.choose_department(uow, member, deps.catalogs.departments, rest)
        turn.refresh_home = True
        text = tr.t("profile.department_set", department=department)
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    if args.strip():
        raise UserError("profile.error.unknown_action", example="example.profile", word=args.split()[0][:30])
    form = profile.profile_form(uow, member, deps.catalogs.departments)
    return Outcome(view=profile_modal(tr, form, deps.catalogs.curriculum))


def admin_command(args: str, turn: MemberTurn) -> Outcome:
    deps, tr, uow = turn.deps, turn.tr, turn.uow
    if not turn.is_admin:
        raise UserError("admin.error.not_admin")
    action, rest = split_action(args, ADMIN_ACTIONS)
    if action == "help" or not args.strip():
        return Outcome(reply=admin_help_message(tr, deps.settings.slash_command))
    if action == "department":
        name = profile.add_department(uow, deps.catalogs.departments, rest)
        text = tr.t("admin.department_added", name=name)
    elif action == "examples":
        added = use_cases.seed_examples(uow, turn.member, deps.catalogs.departments)
        text = tr.t("admin.examples_added", titles=", ".join(added)) if added else tr.t("admin.examples_exist")
    elif action == "run":
        job_id = rest.strip()
        if job_id not in JOB_IDS:
            raise UserError("admin.error.unknown_job", word=job_id[:40], jobs=", ".join(JOB_IDS))
        turn.later.append(lambda: report_job(deps, uow.team_id, job_id, turn.member.slack_user_id, tr))
        text = tr.t("admin.job_started", job=job_id)
    elif action == "schedule":
        lines = [
            tr.t("admin.schedule_line", job=job_id, when=format_when(tr, when, deps.settings.zone))
            for job_id, when in schedule(deps.settings, deps.clock())
        ]
        in_process = (
            tr.t("admin.scheduler_in_process") if deps.settings.scheduler_in_process else tr.t("admin.scheduler_clock")
        )
        for missed in missed_deliveries(uow):
            when = format_when(tr, missed.run_at, deps.settings.zone)
            if missed.failed:
                lines.append(warning(tr.tn("admin.schedule_failed", missed.failed, job=missed.job, when=when)))
            if missed.uncertain:
                lines.append(warning(tr.tn("admin.schedule_uncertain", missed.uncertain, job=missed.job, when=when)))
        text = tr.t("admin.schedule_title") + "\n" + "\n".join(lines) + "\n" + in_process
    elif action in ("report", "export"):
        month = kpis.month_of(parse_month(rest, turn.today))
        label = period_label(tr, month)
        audit.record(uow, turn.member.slack_user_id, f"admin_{action}", month.start.isoformat()[:7])
        if action == "report":
            turn.later.append(lambda: post_monthly_report(deps, uow.team_id, month, turn.today))
            text = tr.t("report.posted", period=label, channel=deps.settings.admin_channel.lstrip("#"))
        else:
            turn.later.append(lambda: send_export(deps, uow.team_id, turn.member.slack_user_id, month, tr, turn.today))
            text = tr.t("report.export_sent", period=label)
    elif action == "office_hours":
        word, _, topic = rest.partition(" ")
        if word.lower() not in ("thema", "topic"):
            raise UserError("ritual.error.topic_missing", example="example.office_hours_topic")
        session = rituals.next_office_hours(turn.today, deps.settings)
        event = rituals.event_at(uow, RitualKind.OFFICE_HOURS, session, deps.settings.ritual_minutes)
        rituals.set_topic(uow, event, topic)
        text = tr.t("ritual.topic_set", date=tr.date(session.date()), topic=event.topic or "")
    elif action == "monthly_update":
        word, _, department = rest.partition(" ")
        if word.lower() not in ("tausch", "swap", "tauschen"):
            raise rituals.swap_usage(uow)
        starts_at = rituals.next_monthly_update(turn.today, deps.settings)
        event = rituals.event_at(uow, RitualKind.MONTHLY_UPDATE, starts_at, deps.settings.ritual_minutes)
        replaced = event.department
        chosen = rituals.swap_presenters(uow, event, department)
        if chosen == replaced:
            text = tr.t("ritual.swap_unchanged", date=tr.date(starts_at.date()), department=chosen)
        else:
            turn.later.append(lambda: announce_swap(deps, uow.team_id, starts_at, replaced))
            text = tr.t("ritual.swapped", date=tr.date(starts_at.date()), department=chosen)
            if replaced is not None:
                text += " " + tr.t("ritual.swapped_replaced", department=replaced)
    elif action == "retro":
        quarter = rituals.parse_quarter(rest, turn.today)
        outcome = rituals.retro_results(uow, quarter, deps.settings.min_group_size, turn.today)
        audit.record(uow, turn.member.slack_user_id, "admin_retro", quarter)
        return Outcome(reply=retro_results_message(tr, outcome, deps.settings.min_group_size))
    elif action == "privacy":
        try:
            pack = works_council_pack(deps.settings, deps.catalogs, deps.settings.admin_user_ids, today=turn.today)
        except ManifestMissing:
            raise UserError("admin.error.manifest_missing") from None
        turn.later.append(lambda: send_documents(deps, uow.team_id, turn.member.slack_user_id, pack))
        # The pack to the DM, and here what the retention job last removed: both are what a works council asks.
        retention = retention_message(tr, deps.settings.retention_months, privacy.last_retention(uow))
        sent = tr.t("admin.privacy_sent")
        return Outcome(reply=Message(text=sent, blocks=[section(sent), *retention.blocks]))
    elif action == "coach":
        month = kpis.month_of(turn.today)
        figures = coach.month_figures(uow, month.start, month.end, deps.settings.min_group_size)
        return Outcome(reply=coach_admin_message(tr, deps.settings, figures, month))
    elif action == "settings":
        return Outcome(view=setup_modal(tr, deps.settings, LOWEST_MIN_GROUP))
    elif action == "programme":
        return programme_command(rest, turn)
    elif action == "talents":
        return talents_command(rest, turn)
    elif action == "buddy":
        waiting = [member.slack_user_id for _, member in buddies.waiting_list(uow)]
        pairs, peers = buddies.count_active_pairs(uow), buddies.active_peer_groups(uow)
        return Outcome(reply=waiting_list_message(tr, waiting, pairs, peers))
    else:
        raise UserError("admin.error.usage", word=args.split()[0][:30])
    return Outcome(reply=Message(text=text, blocks=[section(text)]))


def talents_command(args: str, turn: MemberTurn) -> Outcome:
    """`/ki admin talente [Rolle | export]`: the matrix of those who opted in, or its CSV to the admin's DM."""
    deps, tr, uow = turn.deps, turn.tr, turn.uow
    word = args.strip()
    if word.lower() == "export":
        rows = talent_matrix(uow)
        audit.record(uow, turn.member.slack_user_id, "admin_talent_export", str(len(rows)))
        files = [
            ("ki-lotse-talentmatrix.csv", matrix_csv(tr, rows, deps.catalogs.curriculum), tr.t("talent.matrix_title"))
        ]
        turn.later.append(partial(files_to_dm, deps, uow.team_id, turn.member.slack_user_id, files))
        text = tr.t("talent.export_sent")
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    rows = talent_matrix(uow, role_named(word) if word else None)
    return Outcome(reply=matrix_message(tr, rows, deps.catalogs.curriculum, deps.settings.slash_command))


def programme_command(args: str, turn: MemberTurn) -> Outcome:
    """`/ki admin programm [start [TT.MM.JJJJ] | erledigt <Punkt> [Notiz] | offen <Punkt>]`."""
    deps, tr, uow = turn.deps, turn.tr, turn.uow
    actor, figures = turn.member.slack_user_id, kpis.KpiSettings.from_settings(deps.settings)
    action, rest = split_action(args, PROGRAMME_ACTIONS)
    if action == "start":
        starts_on = roadmap.parse_start(rest, turn.today)
        programme.start(uow, starts_on, actor)
        turn.refresh_home = True
        text = tr.t("programme.started", date=tr.date(starts_on))
        status = programme.status(uow, turn.today, figures)
        assert status is not None
        return Outcome(
            reply=Message(text=text, blocks=[section(text), *roadmap_blocks(tr, status, with_buttons=False)])
        )
    if action == "inventory":
        results = programme.inventory_results(uow, deps.settings.min_group_size)
        if results is None:
            text = tr.t("programme.not_started", command=deps.settings.slash_command)
            return Outcome(reply=Message(text=text, blocks=[section(text)]))
        audit.record(uow, actor, "admin_inventory")
        return Outcome(reply=inventory_results_message(tr, results, deps.settings.min_group_size, deps.catalogs.tools))
    if action in ("done", "reopen"):
        word, _, note = rest.partition(" ")
        item = roadmap.item_named(word)
        if action == "done":
            programme.tick(uow, item, note, turn.today, actor)
        else:
            programme.untick(uow, item, actor)
        turn.refresh_home = True
        said = "programme.ticked" if action == "done" else "programme.unticked"
        text = tr.t(said, item=tr.t(f"programme.item.{item.key}"))
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    if rest.strip():
        raise UserError("admin.error.usage", word=rest.split()[0][:30])
    status = programme.status(uow, turn.today, figures)
    if status is None:
        text = tr.t("programme.not_started", command=deps.settings.slash_command)
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    return Outcome(reply=Message(text=tr.t("programme.title"), blocks=roadmap_blocks(tr, status, with_buttons=False)))


def format_when(tr: Translator, when: datetime | None, zone: Any) -> str:
    if when is None:
        return "–"
    local = when.astimezone(zone)
    return f"{tr.date(local.date())} {local:%H:%M}"


def send_export(deps: Deps, team_id: str, admin_user_id: str, month: kpis.Period, tr: Translator, today: date) -> None:
    """The CSV goes to the admin's DM; a file needs a channel id, hence the one conversations.open."""
    figures = in_unit_of_work(
        deps,
        team_id,
        lambda uow: kpis.month_figures(uow, month, kpis.KpiSettings.from_settings(deps.settings), today),
        read_only=True,
    )
    csv_text = kpi_csv(tr, figures.current, figures.series)
    title = tr.t("report.title", period=period_label(tr, month))
    files_to_dm(deps, team_id, admin_user_id, [(f"ki-lotse-kpis-{month.start.isoformat()[:7]}.csv", csv_text, title)])


def send_documents(deps: Deps, team_id: str, admin_user_id: str, documents: dict[str, str]) -> None:
    """Markdown files to the admin's DM, one per document, so each can be passed on by itself."""
    files = [(filename, text, DOCUMENT_TITLES[filename]) for filename, text in documents.items()]
    files_to_dm(deps, team_id, admin_user_id, files)


def files_to_dm(deps: Deps, team_id: str, user_id: str, files: Sequence[tuple[str, str | bytes, str]]) -> None:
    """Each (file name, content, title) as a file of its own in the person's DM; a file needs a channel id,
    hence the one conversations.open."""
    client = deps.web_client(team_id)
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    for filename, content, title in files:
        client.files_upload_v2(channel=channel, content=content, filename=filename, title=title)


def data_command(args: str, turn: MemberTurn) -> Outcome:
    """`/ki daten`: the notice, what is stored, Export and Löschen; `export` and `löschen` do it directly."""
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    action, rest = split_action(args, DATA_ACTIONS)
    if action == "export" and not rest:
        turn.later.append(partial(send_data_export, deps, uow.team_id, member.slack_user_id, tr))
        return Outcome(reply=export_sent(tr))
    if action == "delete" and not rest:
        return Outcome(view=delete_modal(tr))
    if args.strip():
        raise UserError("privacy.error.unknown_action", example="example.data", word=args.split()[0][:30])
    counts = privacy.stored_counts(uow, member)
    return Outcome(reply=data_message(tr, deps.settings, counts, with_notice=not turn.first_contact))


def send_data_export(deps: Deps, team_id: str, user_id: str, tr: Translator) -> None:
    """The person's data as JSON and as Markdown to their DM, read fresh after the request's commit."""

    def read(uow: UnitOfWork) -> dict[str, Any] | None:
        member = find_member(uow, user_id)
        # Erased since the export was asked for: there is nothing left to send.
        return None if member is None else privacy.export_data(uow, member, deps.clock())

    data = in_unit_of_work(deps, team_id, read, read_only=True)
    if data is None:
        return
    client = deps.web_client(team_id)
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    stamp = data["exported_at"][:10]
    client.files_upload_v2(
        channel=channel,
        file_uploads=[
            {"content": export_json(data), "filename": f"ki-lotse-daten-{stamp}.json"},
            {"content": export_markdown(tr, data), "filename": f"ki-lotse-daten-{stamp}.md"},
        ],
        initial_comment=tr.t("privacy.export.file_title"),
    )


def report_job(deps: Deps, team_id: str, job_id: str, admin_user_id: str, tr: Translator) -> None:
    """Runs a job for an admin and tells them the outcome in a DM."""
    client = deps.web_client(team_id)
    report = run_job(deps, job_id, manual=True, client=client, team_id=team_id)
    outcome, *reasons = job_done(tr, "admin.job_done", report)
    text = "\n".join([outcome, *(f"• {reason}" for reason in reasons)])
    safe_call(client.chat_postMessage, channel=admin_user_id, text=text, blocks=[section(text)])


def buddy_command(args: str, turn: MemberTurn) -> Outcome:
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    action, rest = split_action(args, BUDDY_ACTIONS)
    if action in ("mentee", "mentor"):
        role = Role(action)
        capacity = parse_capacity(rest) if role is Role.MENTOR else 1
        buddies.enroll(uow, member, role, capacity)
        turn.later.append(lambda: match_now(deps, uow.team_id, member.id))
        if role is Role.MENTOR:
            return Outcome(reply=joined_mentor_message(tr, capacity, not buddies.has_self_check(uow, member)))
        text = tr.t("buddy.joined_mentee")
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    if action == "pause":
        until = parse_pause(rest, turn.today)
        buddies.pause(member, until)
        text = tr.t("buddy.paused", date=tr.date(until))
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    if action == "resume":
        buddies.resume(member, turn.today)
        text = tr.t("buddy.resumed")
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    if action == "leave":
        ended = buddies.leave(uow, member, deps.clock())
        notices = [buddies.partners_to_tell(uow, pair, member) for pair in ended]
        turn.later.append(partial(tell_partners_who_left, deps, uow.team_id, notices))
        partners = [(notice.pair_id, [user for user, _ in notice.partners]) for notice in notices]
        return Outcome(reply=left_message(tr, partners))
    if action == "note":
        buddies.add_note(uow, member, week_start(turn.today), rest, deps.clock())
        text = tr.t("buddy.note_saved")
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    if args.strip():
        raise UserError("buddy.error.unknown_action", example="example.buddy", word=args.split()[0][:30])
    status = buddies.buddy_status(uow, member, turn.today)
    upcoming = None
    if status.partners:
        pair = buddies.get_pair(uow, status.partners[0][0].id)
        mentee = buddies.mentee_of(uow, pair)
        moment = buddies.next_checkin(pair, mentee, deps.clock(), deps.settings)
        upcoming = moment.date() if moment else None
    return Outcome(
        reply=status_message(tr, status, upcoming, deps.settings.slash_command, deps.settings.buddy_programme_weeks)
    )


def tell_partners_who_left(deps: Deps, team_id: str, notices: list[buddies.PartnerNotice]) -> None:
    """Each partner learns by DM that the programme ended, with the feedback button."""
    client = deps.web_client(team_id)
    for notice in notices:
        for user, language in notice.partners:
            message = partner_left_message(Translator(language), notice.pair_id, notice.left)
            safe_call(client.chat_postMessage, channel=user, **message.post_args())


def top_command(args: str, turn: MemberTurn) -> Outcome:
    deps, tr, uow, member = turn.deps, turn.tr, turn.uow, turn.member
    settings, command = deps.settings, deps.settings.slash_command
    action, rest = split_action(args or "woche", TOP_ACTIONS)
    if action is None or rest:
        raise UserError("top.error.period", example="example.top")
    if action in ("optin", "optout"):
        member.ranking_opt_in = action == "optin"
        text = tr.t("top.opted_in", command=command) if action == "optin" else tr.t("top.opted_out")
        return Outcome(reply=Message(text=text, blocks=[section(text)]))
    period = {"week": kpis.week_of, "month": kpis.month_of, "quarter": kpis.quarter_of}[action](turn.today)
    board = kpis.leaderboard(uow, period, kpis.KpiSettings.from_settings(settings), today=turn.today)
    return Outcome(reply=leaderboard_message(tr, board, settings))


def match_now(deps: Deps, team_id: str, member_id: int) -> None:
    """A matching round right after someone opted in, so nobody waits for Monday without need. Each
    opt-in is an occurrence of its own."""
    match_after_opt_in(deps, team_id, member_id)


def post_once(client: WebClient, **message: Any) -> tuple[Any, bool]:
    """Posts without repeating: the answer, or None and whether the post may have arrived anyway (Slack
    did not answer), so that the person is told what is known rather than a plain "failed"."""
    try:
        return client.chat_postMessage(**message), False
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("post to %s failed: %s", message.get("channel"), error)
        return None, outcome_unknown(error)


def tip_command(args: str, turn: MemberTurn) -> Outcome:
    """Check and store; the post to the community channel follows the commit: a tip that cannot be stored is
    never posted, and one that could not be posted is taken back."""
    draft = tips.parse_tip(args)
    tip = tips.record_tip(turn.uow, turn.member, draft, turn.deps.settings.community_channel)
    turn.after_change()
    return Outcome(finish=partial(post_tip, turn, draft, tip.id))


def post_tip(turn: MemberTurn, draft: tips.TipDraft, tip_id: int, client: WebClient) -> Message:
    """After the commit: the post, then where it went, or the tip taken back when it did not arrive; the
    reply says which."""
    deps, team_id, settings = turn.deps, turn.uow.team_id, turn.deps.settings
    post = tip_post(Translator(settings.default_language), draft, turn.member.slack_user_id, settings.slash_command)
    posted, unknown = post_once(client, channel=settings.community_channel, **post.post_args())
    if posted is None:
        # Not posted, or Slack did not answer: either way it is not counted, and the person is told which.
        after_post(deps, team_id, partial(tips.withdraw_tip, tip_id=tip_id))
        key = "tip.error.unconfirmed" if unknown else "tip.error.not_posted"
        text = turn.tr.t(key, channel=settings.community_channel)
        return Message(text=warning(text), blocks=[section(warning(text))])
    channel = str(posted.get("channel") or "")
    after_post(deps, team_id, partial(tips.note_post, tip_id=tip_id, channel=channel, message_ts=posted.get("ts")))
    text = turn.tr.t("tip.shared", channel=settings.community_channel)
    return Message(text=text, blocks=[section(text)])


def after_post(deps: Deps, team_id: str, work: Callable[[UnitOfWork], None]) -> None:
    """Bookkeeping after a post: the post has happened whatever the database says now, so a failure here is
    logged, not answered as a failure."""
    try:
        in_unit_of_work(deps, team_id, work)
    except (SQLAlchemyError, DatabaseTimeout) as error:
        log.warning("could not note a tip's post: %s", type(error).__name__)


# The subcommands that read their own arguments (`/ki buddy pause 2w`), each in a function of its own.
SUBCOMMANDS_WITH_ARGUMENTS: dict[Subcommand, Callable[[str, MemberTurn], Outcome]] = {
    Subcommand.LOG: log_command,
    Subcommand.USE_CASE: use_case_command,
    Subcommand.PATH: path_command,
    Subcommand.PROFILE: profile_command,
    Subcommand.ADMIN: admin_command,
    Subcommand.BUDDY: buddy_command,
    Subcommand.TOP: top_command,
    Subcommand.DATA: data_command,
    Subcommand.TIP: tip_command,
    Subcommand.PROMPT: prompt_command,
}
