"""The `/ki` slash command (name configurable): parse the text, run the subcommand, answer ephemerally.

The answer is sent with `ack` only after the unit of work has committed: "gespeichert" means saved.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.commands import KiCommand, Subcommand, parse_ki_text, parse_language
from bot.domain.errors import UserError
from bot.domain.usage import parse_log_text
from bot.i18n import LANGUAGES, Translator, language_from_slack_locale
from bot.models import Member
from bot.render.blocks import Message
from bot.render.replies import (
    error_message,
    failure_message,
    help_message,
    language_set_message,
    logged_message,
    stats_message,
)
from bot.services.members import ensure_member, language_of, set_language, zone_of
from bot.services.usage import local_today, log_usage, member_stats

if TYPE_CHECKING:
    from bot.app import Deps
    from bot.db import UnitOfWork

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    app.command(deps.settings.slash_command)(on_ki_command)


def on_ki_command(ack: Ack, command: dict[str, Any], client: WebClient, deps: Deps) -> None:
    team_id, user_id = command["team_id"], command["user_id"]
    profile = deps.profiles.lookup(client, team_id, user_id)
    fallback_language = (profile and language_from_slack_locale(profile.locale)) or deps.settings.default_language
    try:
        with deps.database.unit_of_work(team_id) as uow:
            member = ensure_member(uow, user_id, deps.settings.default_language, profile)
            tr = Translator(language_of(uow, member))
            try:
                # A savepoint: a refused subcommand leaves nothing behind, the member record stays.
                with uow.session.begin_nested():
                    reply = run_subcommand(parse_ki_text(command.get("text")), uow, member, tr, deps)
            except UserError as error:
                reply = error_message(tr, error, deps.settings.slash_command)
    except Exception:
        log.exception("%s failed", deps.settings.slash_command)
        reply = failure_message(Translator(fallback_language))
    ack(**reply.ephemeral())


def run_subcommand(parsed: KiCommand, uow: UnitOfWork, member: Member, tr: Translator, deps: Deps) -> Message:
    settings = deps.settings
    match parsed.subcommand:
        case Subcommand.HELP:
            return help_message(tr, settings.slash_command)
        case Subcommand.LOG:
            entry = parse_log_text(parsed.args, deps.tools)
            today = local_today(deps.clock(), zone_of(member, settings.zone))
            return logged_message(tr, deps.tools, log_usage(uow, member, entry, used_on=today, today=today))
        case Subcommand.STATS:
            today = local_today(deps.clock(), zone_of(member, settings.zone))
            return stats_message(tr, deps.tools, member_stats(uow, member, today), settings.slash_command)
        case Subcommand.LANGUAGE:
            language = parse_language(parsed.args, LANGUAGES)
            set_language(member, language)
            return language_set_message(Translator(language))
