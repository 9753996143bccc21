"""The one way a request goes through (`take_turn`): find the member, pick the language, note the privacy
notice on first contact, open the unit of work within Slack's deadline and a savepoint around the work, turn
a refusal into the surface's answer, and after the commit answer; then hand the DMs, the App Home refresh and
the follow-up work to `deps.follow_ups`, so that none of it delays the answer. How each surface answers is in
handlers/surfaces.py."""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import OperationalError

from bot.db import ANSWER_WINDOW_SECONDS, DatabaseTimeout, UnitOfWork
from bot.domain.curriculum import CareerStage
from bot.domain.errors import UserError
from bot.follow_ups import Coalesced, Step
from bot.i18n import Translator, language_from_slack_locale
from bot.render.blocks import Block, Message
from bot.render.home import home_view
from bot.render.learning import promotion_message, stage_announcement
from bot.render.onboarding import privacy_notice
from bot.render.replies import error_params
from bot.render.values import row_id
from bot.services.home import home_page
from bot.services.learning import update_career_stage
from bot.services.members import (
    Member,
    ensure_member,
    find_member,
    language_of,
    profile_changed,
    workspace_of,
    zone_of,
)
from bot.services.profile import mark_privacy_notice_shown, needs_privacy_notice
from bot.services.requests import claim_in, claim_request
from bot.services.usage import local_today

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)

# A database that did not answer in time (a deadline, a statement or lock timeout, a busy SQLite): the unit
# of work was rolled back, so the person is told that nothing was stored.
NOT_SAVED_ERRORS = (DatabaseTimeout, OperationalError)

Answer = TypeVar("Answer")
Result = TypeVar("Result")


class Replayed(Exception):
    """The request was handled before (Slack, a proxy or someone with its signed copy sent it again)."""


@dataclass
class MemberTurn:
    """One request of one member, inside one unit of work."""

    deps: Deps
    uow: UnitOfWork
    member: Member
    tr: Translator
    first_contact: bool
    is_admin: bool
    today: date
    # Filled while handling; delivered after the commit by `deliver`.
    dms: list[Message] = field(default_factory=list)
    refresh_home: bool = False
    # Work that talks to Slack at length (e.g. a matching round with intros), done after the answer.
    later: list[Callable[[], None]] = field(default_factory=list)

    def notice_blocks(self) -> list[Block]:
        return privacy_notice(self.tr, self.deps.settings) if self.first_contact else []

    def notice_by_dm(self) -> None:
        """First contact through a button, modal or shortcut: there is no reply to attach the notice to."""
        if self.first_contact:
            self.dms.append(Message(text=self.tr.t("privacy.title"), blocks=self.notice_blocks()))

    def after_change(self, *, figure: str | None = None) -> None:
        """Something of the member changed: re-derive the career stage, refresh App Home. `figure`: the one
        figure of the career rule the change moved (`logs` for a log); when no stage asks for it, the stage
        cannot have changed and is not derived again."""
        self.refresh_home = True
        curriculum = self.deps.catalogs.curriculum
        if figure is not None and not curriculum.asks_for(figure):
            return
        promoted = update_career_stage(self.uow, self.member, curriculum)
        if promoted is not None:
            self.dms.append(promotion_message(self.tr, promoted))
            if self.member.announce_stage:
                self.later.append(announcement(self.deps, self.uow.team_id, self.member.slack_user_id, promoted))


class Surface(ABC, Generic[Answer]):
    """How one kind of request is answered: `take_turn` calls `opened` once the member is known, `refused`
    for a UserError of the work, `answer` after the commit; and when nothing was stored, `not_saved` (the
    database did not answer in time, on a surface that has a deadline) or `failed`."""

    # The errors that mean "the database did not answer in time": only a surface with a deadline tells them
    # apart, elsewhere they are failures like any other.
    not_saved_errors: tuple[type[Exception], ...] = ()
    # Whether the person may be looking at App Home while this request is answered (see `deliver`).
    home_in_view = True

    def __init__(
        self, deps: Deps, client: WebClient, team_id: str, user_id: str, name: str, deadline: float | None = None
    ) -> None:
        """`name` says in the log which request failed; `deadline` (a `time.monotonic()` value): the moment
        after which the work is rolled back instead of committed, because Slack no longer waits for it."""
        self.deps, self.client, self.team_id, self.user_id = deps, client, team_id, user_id
        self.name, self.deadline = name, deadline
        # What makes a second arrival of the same request do nothing (bot/services/requests.py); a surface
        # whose requests Slack names by a trigger id sets it.
        self.request_key: str | None = None

    def opened(self, turn: MemberTurn) -> None:
        """Before the work, once the member is known (e.g. the privacy notice by DM)."""

    @abstractmethod
    def refused(self, turn: MemberTurn, error: UserError) -> Answer: ...

    @abstractmethod
    def answer(self, turn: MemberTurn, answer: Answer) -> None: ...

    def not_saved(self) -> None:
        self.failed()

    def failed(self) -> None:
        """Nothing stored and nothing to tell beyond the log."""

    def replayed(self) -> None:
        """The request was handled before: acknowledged, nothing done."""

    def fallback_translator(self) -> Translator:
        """For answering when the database is not there to ask."""
        return fallback_translator(self.deps, self.client, self.team_id, self.user_id)


def take_turn(surface: Surface[Answer], work: Callable[[MemberTurn], Answer], *, read_only: bool = False) -> None:
    """Runs `work` as the member's request on `surface`, the one way every listener goes through.

    `read_only`: the work stores nothing, so its unit of work reads without taking SQLite's write lock
    (unless the person is new or Slack's profile changed, which is stored first). A request that writes is
    claimed in its own unit of work; one that only reads is claimed only when it leaves work to do after the
    answer (a file to send), so that a replay sends nothing twice."""
    try:
        try:
            with member_turn(
                surface.deps,
                surface.client,
                surface.team_id,
                surface.user_id,
                surface.deadline,
                read_only,
                surface.request_key,
            ) as turn:
                surface.opened(turn)
                answer = _work_or_refusal(surface, turn, work)
        except _RefusedWhole as refusal:
            answer = surface.refused(turn, refusal.error)
        if turn.uow.read_only and turn.later and not _first_arrival(surface):
            raise Replayed()
    except Replayed:
        log.info("a request already handled arrived again; nothing done")
        surface.replayed()
        return
    except surface.not_saved_errors as error:
        log.warning("%s: nothing stored, the database did not answer in time (%s)", surface.name, error)
        surface.not_saved()
        return
    except Exception:
        log.exception("%s failed", surface.name)
        surface.failed()
        return
    # Only now, after the commit, is the person told: "saved" means saved.
    surface.answer(turn, answer)
    deliver(turn, surface.client, surface.user_id, surface.home_in_view)


def _work_or_refusal(surface: Surface[Answer], turn: MemberTurn, work: Callable[[MemberTurn], Answer]) -> Answer:
    """A refused request leaves nothing behind. What the turn stored of the member before the work (a new
    person, the privacy notice shown, Slack's profile) stays: the work runs in a savepoint then. Otherwise a
    refusal leaves the unit of work and rolls all of it back (`_RefusedWhole`, answered by `take_turn`), which
    spares the savepoint's two statements on every request."""
    uow = turn.uow
    try:
        if uow.read_only:
            return work(turn)
        if turn.first_contact or uow.session.new or uow.session.dirty:
            with uow.savepoint():
                return work(turn)
        try:
            return work(turn)
        except UserError as error:
            raise _RefusedWhole(error) from None
    except UserError as error:
        return surface.refused(turn, error)


class _RefusedWhole(Exception):
    """A refusal with nothing of the turn to keep: on its way out it rolls the unit of work back."""

    def __init__(self, error: UserError) -> None:
        self.error = error


def _first_arrival(surface: Surface[Any]) -> bool:
    key = surface.request_key
    return key is None or claim_request(surface.deps.database, key, surface.deps.clock())


@contextmanager
def member_turn(
    deps: Deps,
    client: WebClient,
    team_id: str,
    user_id: str,
    deadline: float | None = None,
    read_only: bool = False,
    request_key: str | None = None,
) -> Iterator[MemberTurn]:
    profile = deps.profiles.lookup(client, team_id, user_id)
    if read_only:
        with deps.database.unit_of_work(team_id, deadline, read_only=True) as uow:
            member = find_member(uow, user_id)
            if member is not None and not needs_privacy_notice(member) and not profile_changed(member, profile):
                yield _turn(deps, uow, member, user_id, first_contact=False)
                return
    # Someone new, or something about them to store: the turn writes, so it begins as a writer. The member's
    # row is locked as it is read: the person's changes sent at once wait for each other.
    with deps.database.unit_of_work(team_id, deadline) as uow:
        if request_key is not None and not claim_in(uow, request_key):
            raise Replayed()
        member = ensure_member(uow, user_id, deps.settings.default_language, profile, lock=True)
        first_contact = needs_privacy_notice(member)
        if first_contact:
            mark_privacy_notice_shown(member, deps.clock())
        yield _turn(deps, uow, member, user_id, first_contact)


def _turn(deps: Deps, uow: UnitOfWork, member: Member, user_id: str, first_contact: bool) -> MemberTurn:
    return MemberTurn(
        deps=deps,
        uow=uow,
        member=member,
        tr=Translator(language_of(uow, member)),
        first_contact=first_contact,
        is_admin=user_id in deps.settings.admin_user_ids,
        today=local_today(deps.clock(), zone_of(member, deps.settings.zone)),
    )


def in_unit_of_work(
    deps: Deps, team_id: str, work: Callable[[UnitOfWork], Result], *, read_only: bool = False
) -> Result:
    """Work that is no member's request: a fresh read after a request's commit (App Home, a file for a DM,
    a channel post), a post's bookkeeping, an event about someone. One unit of work of its own; a fresh read
    is `read_only`."""
    with deps.database.unit_of_work(team_id, read_only=read_only) as uow:
        return work(uow)


class ListenerTable(dict[str, Callable[..., None]]):
    """Listeners by the id Slack names them by (an action id, a view's callback id), filled by decorating each
    listener with `listens_to(id)`; `register` hands them all to Bolt, one listener per id."""

    def listens_to(self, listened_id: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
        def record(listener: Callable[..., None]) -> Callable[..., None]:
            self[listened_id] = listener
            return listener

        return record


def small_number(text: object) -> int:
    """A choice such as a rating, read as a row id is (bot/render/values.py)."""
    return row_id(text)


def arrival(context: BoltContext) -> float:
    """When the request arrived (`time.monotonic()`), as the HTTP server noted it; else now."""
    received_at = context.get("received_at")
    return received_at if isinstance(received_at, float) else time.monotonic()


def answer_deadline(arrived: float) -> float:
    return arrived + ANSWER_WINDOW_SECONDS


def fallback_translator(deps: Deps, client: WebClient, team_id: str, user_id: str) -> Translator:
    profile = deps.profiles.lookup(client, team_id, user_id)
    return Translator((profile and language_from_slack_locale(profile.locale)) or deps.settings.default_language)


def error_text(tr: Translator, error: UserError, command: str) -> str:
    """The message of a refusal as plain text (for inline modal errors)."""
    return tr.t(error.key, command=command, **error_params(tr, error))


def deliver(turn: MemberTurn, client: WebClient, user_id: str, home_in_view: bool = True) -> None:
    """After the answer, in this order: DMs (notice on first contact from a modal or button, promotions),
    App Home, then the follow-up work. `home_in_view`: the person may be looking at App Home (a click or a
    form, maybe on it); when not, its refresh may wait for the person's changes to settle."""
    steps: list[Step] = [
        partial(safe_call, client.chat_postMessage, channel=user_id, **message.post_args()) for message in turn.dms
    ]
    if turn.refresh_home:
        refresh = home_refresh(turn.deps, client, turn.uow.team_id, user_id)
        refresh.may_wait = not home_in_view
        steps.append(refresh)
    steps.extend(turn.later)
    turn.deps.follow_ups.submit(*steps)


def announcement(deps: Deps, team_id: str, user_id: str, stage: CareerStage) -> Callable[[], None]:
    """A new career stage, named in the community channel in the workspace's language (the person chose it)."""

    def post() -> None:
        language = in_unit_of_work(deps, team_id, lambda uow: workspace_of(uow).default_language, read_only=True)
        message = stage_announcement(Translator(language), user_id, stage)
        client = deps.web_client(team_id)
        safe_call(client.chat_postMessage, channel=deps.settings.community_channel, **message.post_args())

    return post


def home_refresh(deps: Deps, client: WebClient, team_id: str, user_id: str, show_notice: bool = False) -> Coalesced:
    """A person's App Home published fresh; requests for it meanwhile are one refresh (with the notice if
    any of them showed it)."""
    return Coalesced(
        key=("home", team_id, user_id),
        work=partial(publish_home, deps, client, team_id, user_id),
        flags={"show_notice": show_notice},
    )


def publish_home(deps: Deps, client: WebClient, team_id: str, user_id: str, show_notice: bool = False) -> None:
    settings = deps.settings

    def read(uow: UnitOfWork) -> dict[str, Any] | None:
        member = find_member(uow, user_id)
        if member is None:
            # Erased since the refresh was asked for: there is nobody to show anything.
            return None
        tr = Translator(language_of(uow, member))
        today = local_today(deps.clock(), zone_of(member, settings.zone))
        page = home_page(uow, member, today, deps.catalogs, settings, as_admin=user_id in settings.admin_user_ids)
        return home_view(tr, page, deps.catalogs, settings, show_privacy_notice=show_notice)

    view = in_unit_of_work(deps, team_id, read, read_only=True)
    if view is not None:
        safe_call(client.views_publish, user_id=user_id, view=view)


def safe_call(method: Any, **kwargs: Any) -> Any:
    """A Slack call after the commit: a failure is logged, never shown to the person as a traceback."""
    try:
        return method(**kwargs)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("Slack call %s failed: %s", getattr(method, "__name__", method), error)
        return None
