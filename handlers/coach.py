"""The prompt coach as Slack reaches it: `/ki prompt <Prompt>` and the message shortcut "Prompt verbessern"
both check the prompt and count it against the daily limit within the request, answer at once that the coach
is looking at it, and hand the model's answer to after the acknowledgement (`answer_prompt`), which sends it
through the request's response_url. Nothing of the prompt or the answer is stored."""

from __future__ import annotations

import html
import logging
import secrets
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Respond

from bot.chat_model import ModelUnavailable
from bot.domain.coach import check_may_leave, parse_prompt
from bot.domain.curriculum import Module
from bot.domain.errors import UserError
from bot.i18n import Translator
from bot.render.blocks import Message
from bot.render.coach import advice_message, coach_off_message, coach_unavailable_message, coach_waiting_message
from bot.render.learning import promotion_message
from bot.render.replies import error_message, failure_message
from bot.services import coach
from bot.slack.colleagues import NamesUnknown
from handlers.context import MemberTurn, announcement, home_refresh, in_unit_of_work, safe_call

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CoachRequest:
    """A prompt that passed the checks of the request and was counted against the daily limit on `day`."""

    team_id: str
    user_id: str
    prompt: str
    language: str
    day: date
    # A command's "the coach is looking at it" is replaced by the answer; a shortcut's stays above it.
    replace_waiting: bool


@dataclass(frozen=True)
class Accepted:
    """What the person is told at once, and the work that answers them after the acknowledgement."""

    waiting: Message
    answer: partial[None]


def accept_prompt(turn: MemberTurn, text: str, *, replace_waiting: bool) -> Accepted | Message:
    """Within the request: the coach off (its explanation), a refused prompt (UserError), or the prompt
    counted against the limit and accepted."""
    deps, settings = turn.deps, turn.deps.settings
    if not settings.coach_enabled:
        return coach_off_message(turn.tr, settings.slash_command)
    # Slack sends `&`, `<` and `>` of typed text escaped, in a command's text as in a message's.
    prompt = parse_prompt(html.unescape(text))
    check_may_leave(prompt, deps.catalogs.coach_terms)
    coach.reserve_request(turn.uow, turn.member, turn.today, settings.coach_per_day)
    request = CoachRequest(
        turn.uow.team_id, turn.member.slack_user_id, prompt, turn.tr.language, turn.today, replace_waiting
    )
    return Accepted(coach_waiting_message(turn.tr), partial(queue_answer, deps, request))


def queue_answer(deps: Deps, request: CoachRequest, respond: Respond) -> None:
    """The wait for the model goes to the coach's own pool, not the one that sends DMs and App Home."""
    deps.coach_follow_ups.submit(partial(answer_prompt, deps, request, respond))


def shortcut_text(message: dict[str, Any]) -> str:
    return str(message.get("text") or "")


def answer_prompt(deps: Deps, request: CoachRequest, respond: Respond) -> None:
    """After the acknowledgement: the colleagues' names checked, the model asked, the answer sent. Whatever
    goes wrong, the person hears why, and the request is given back to their daily limit."""
    tr, settings = Translator(request.language), deps.settings
    client = deps.web_client(request.team_id)
    try:
        names = deps.colleagues.names(client, request.team_id)
        advice = coach.advise(settings, request.prompt, request.language, names)
    except UserError as error:
        _give_back(deps, request, respond, error_message(tr, error, settings.slash_command))
        return
    except NamesUnknown as error:
        log.warning("coach: the workspace's names could not be read (%s); nothing sent", error)
        _give_back(deps, request, respond, coach_unavailable_message(tr, "names"))
        return
    except ModelUnavailable as error:
        log.warning("coach: no answer from the model (%s)", error)
        _give_back(deps, request, respond, coach_unavailable_message(tr, error.reason))
        return
    except Exception:
        # Whatever else went wrong: the person is not left with "the coach is looking at it".
        log.exception("coach: the answer failed")
        _give_back(deps, request, respond, failure_message(tr))
        return
    completed = _count_improved(deps, request, client)
    message = advice_message(tr, advice, secrets.token_hex(8), completed)
    _send(respond, message, request.replace_waiting)


def _count_improved(deps: Deps, request: CoachRequest, client: Any) -> list[Module]:
    """Counts the answered prompt for the learning path; a module it completes may bring a new career stage.
    A failure here costs the count, never the answer."""
    curriculum = deps.catalogs.curriculum

    count = partial(coach.count_answered, user_id=request.user_id, day=request.day, curriculum=curriculum)
    try:
        counted = in_unit_of_work(deps, request.team_id, count)
    except Exception:
        log.exception("coach: the answered prompt could not be counted")
        return []
    if counted.promoted is not None:
        promotion = promotion_message(Translator(request.language), counted.promoted)
        safe_call(client.chat_postMessage, channel=request.user_id, **promotion.post_args())
        if counted.announce:
            announcement(deps, request.team_id, request.user_id, counted.promoted)()
    if counted.completed:
        deps.follow_ups.submit(home_refresh(deps, client, request.team_id, request.user_id))
    return counted.completed


def _give_back(deps: Deps, request: CoachRequest, respond: Respond, message: Message) -> None:
    try:
        in_unit_of_work(deps, request.team_id, partial(coach.release_request, user_id=request.user_id, day=request.day))
    except Exception:
        log.exception("coach: a request could not be given back to the daily limit")
    _send(respond, message, request.replace_waiting)


def _send(respond: Respond, message: Message, replace_waiting: bool) -> None:
    try:
        respond(response_type="ephemeral", replace_original=replace_waiting, **message.post_args())
    except Exception as error:
        log.warning("coach: the answer could not be delivered (%s)", type(error).__name__)
