"""The authorisation matrix: every listener the Bolt app registers is listed here with what it may touch, and
a member who tampers with button values or a form's private_metadata never acts on another person's data.
A listener added without a row here fails this test."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.catalogs import load_catalogs
from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.domain.rituals import RitualKind
from bot.domain.use_cases import Status
from bot.i18n import Translator
from bot.models import PLACEHOLDER_PREFIX, Base, CoachVerdict, Member, RitualEvent, UsageLog, UseCase
from bot.render import ids
from bot.render.buddies import rating_modal
from bot.render.log_form import log_modal
from bot.render.pilots import pilot_modal
from bot.render.privacy import delete_modal
from bot.render.programme import inventory_modal
from bot.render.rituals import retro_modal, summary_modal
from bot.render.setup import setup_modal
from bot.render.talent import talent_modal
from bot.render.tips import tip_modal
from bot.render.use_cases import status_modal
from bot.services import rituals
from bot.services.talent import TalentChoice
from config.settings import Settings
from jobs.scheduler import run_job
from tests.conftest import FIXED_NOW, TEAM
from tests.handlers.test_data_rights import user_change
from tests.jobs.test_buddy_jobs import THURSDAY_10_BERLIN, pair_up
from tests.slack_payloads import (
    app_home_opened,
    bolt_app,
    button_click,
    command,
    dispatch,
    global_shortcut,
    interaction,
    message_shortcut,
    view_submission,
)

ATTACKER = "U0MALLORY"
# A coach answer Anna already judged: another click on it changes nothing.
JUDGED = "a1b2c3d4e5f60718"
TR = Translator("de")
# Tables whose rows are bookkeeping, not a person's data.
BOOKKEEPING = {"workspaces", "members", "handled_requests", "job_runs", "deliveries", "audit_log"}


@pytest.fixture
def bolt(database: Database, local_slack: LocalSlackApi) -> Iterator[tuple[App, Deps]]:
    with bolt_app(database, local_slack, admin_user_ids="UADMIN") as app_and_deps:
        yield app_and_deps


@pytest.fixture
def others(bolt: tuple[App, Deps], database: Database) -> dict[str, int]:
    """Data of other people: Anna's entry and use case, a buddy pair's check-in, an update with presenters."""
    app, deps = bolt
    pair_id = pair_up(database)
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
    command(app, "admin beispiele", user="UADMIN")
    command(app, "log 45 Angebot mit ChatGPT")
    command(app, "hilfe", user=ATTACKER)
    with database.unit_of_work(TEAM) as uow:
        event = rituals.event_at(uow, RitualKind.MONTHLY_UPDATE, FIXED_NOW, 30)
        event.department = "IT"
        event.presenter_user_ids = ["U0ANNA"]
        uow.session.add(CoachVerdict(team_id=TEAM, answer_token=JUDGED, month=date(2026, 11, 1), helpful=True))
        return {
            "log": uow.session.scalars(select(UsageLog.id)).one(),
            "use_case": uow.session.scalars(select(UseCase.id).order_by(UseCase.id)).first() or 0,
            "pair": pair_id,
            "event": event.id,
        }


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of people's data except the attacker's own."""
    with database.unit_of_work(TEAM) as uow:
        attacker = uow.session.scalar(select(Member.id).where(Member.slack_user_id == ATTACKER))
        # Rows the attacker erased themself pass to an anonymous placeholder: still theirs, not someone else's.
        placeholders = set(
            uow.session.scalars(select(Member.id).where(Member.slack_user_id.like(PLACEHOLDER_PREFIX + "%"))).all()
        )
        own_ids = {attacker, *placeholders} - {None}
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            if table.name in BOOKKEEPING:
                continue
            own = [c for c in table.columns if any(fk.column.table.name == "members" for fk in c.foreign_keys)]
            rows[table.name] = sorted(
                (
                    tuple(map(str, row))
                    for row in uow.session.execute(table.select())
                    if not own_ids & {row._mapping[c.name] for c in own}
                ),
            )
        return rows


Attack = Callable[[App, dict[str, int]], Any]


def click(action_id: str, value: Callable[[dict[str, int]], str]) -> Attack:
    return lambda app, data: interaction(app, button_click(action_id, value(data), user=ATTACKER))


def submit(form: Callable[[dict[str, int]], dict[str, Any]], values: dict[str, str]) -> Attack:
    return lambda app, data: interaction(app, view_submission(form(data), values, view_id="VATTACK", user=ATTACKER))


def _log_form(data: dict[str, int]) -> dict[str, Any]:
    from bot.catalogs import load_catalogs

    form = log_modal(TR, load_catalogs().tools, [], date(2026, 11, 26))
    return {**form, "private_metadata": str(data["log"])}


def _event(data: dict[str, int]) -> RitualEvent:
    return RitualEvent(id=data["event"], team_id=TEAM, kind=RitualKind.MONTHLY_UPDATE, starts_at=FIXED_NOW, minutes=30)


# Buttons only a workspace's admins may press, and the value someone else sends with them.
ADMIN_BUTTONS = {
    ids.OPEN_SETUP: "",
    ids.ROADMAP_TICK: "vision",
    ids.INVENTORY_IDEA: "1",
    ids.TALENT_ASSIGN: "1:trainer",
}

# Each registered listener: who may act, and the request that tries to act on someone else's data.
MATRIX: dict[str, tuple[str, Attack]] = {
    "/ki": (
        "own data; admin subcommands for admins",
        lambda app, _: command(app, "admin update tausch IT", user=ATTACKER),
    ),
    ids.OPEN_LOG_MODAL: ("own data", click(ids.OPEN_LOG_MODAL, lambda d: str(d["log"]))),
    ids.OPEN_CHECK: ("own data", click(ids.OPEN_CHECK, lambda d: "1")),
    ids.OPEN_PATH: ("own data", click(ids.OPEN_PATH, lambda d: "1")),
    ids.OPEN_USE_CASES: ("everyone (registry)", click(ids.OPEN_USE_CASES, lambda d: "1")),
    ids.OPEN_PROFILE: ("own data", click(ids.OPEN_PROFILE, lambda d: "1")),
    ids.OPEN_NEW_USE_CASE: ("own data", click(ids.OPEN_NEW_USE_CASE, lambda d: "1")),
    ids.USE_CASE_MENU: (
        "adopt: own; status: owner or admin",
        click(ids.USE_CASE_MENU, lambda d: f"status:{d['use_case']}"),
    ),
    ids.COMPLETE_MODULE: ("own data", click(ids.COMPLETE_MODULE, lambda d: "basics")),
    ids.REOPEN_MODULE: ("own data", click(ids.REOPEN_MODULE, lambda d: "basics")),
    ids.BUDDY_JOIN: ("own data", click(ids.BUDDY_JOIN, lambda d: "leave")),
    ids.OPEN_BUDDY: ("own data", click(ids.OPEN_BUDDY, lambda d: str(d["pair"]))),
    ids.CHECKIN_ANSWER: ("members of the pair", click(ids.CHECKIN_ANSWER, lambda d: f"{d['pair']}:2026-11-23:nein")),
    ids.FEEDBACK_DECISION: ("members of the pair", click(ids.FEEDBACK_DECISION, lambda d: f"{d['pair']}:end")),
    ids.RATING_OPEN: ("members of the pair", click(ids.RATING_OPEN, lambda d: str(d["pair"]))),
    ids.RSVP: ("own RSVP", click(ids.RSVP, lambda d: str(d["event"]))),
    ids.SUMMARY_OPEN: ("presenters (on submit)", click(ids.SUMMARY_OPEN, lambda d: str(d["event"]))),
    ids.RETRO_OPEN: ("own answer", click(ids.RETRO_OPEN, lambda d: "2026-Q4")),
    ids.CHOOSE_TRACK: ("own data", click(ids.CHOOSE_TRACK, lambda d: "champion")),
    ids.UNDO_LOG: ("author of the entry", click(ids.UNDO_LOG, lambda d: str(d["log"]))),
    ids.EDIT_LOG: ("author of the entry", click(ids.EDIT_LOG, lambda d: str(d["log"]))),
    ids.DELETE_LOG: ("author of the entry", click(ids.DELETE_LOG, lambda d: str(d["log"]))),
    ids.LOG_VIEW: ("author of the entry", submit(_log_form, {ids.MINUTES: "5", ids.NOTE: "übernommen"})),
    ids.PROFILE_VIEW: (
        "own data",
        submit(
            lambda d: {
                "type": "modal",
                "callback_id": ids.PROFILE_VIEW,
                "blocks": [],
                "private_metadata": str(d["log"]),
            },
            {},
        ),
    ),
    ids.USE_CASE_VIEW: (
        "own new use case",
        submit(
            lambda d: {
                "type": "modal",
                "callback_id": ids.USE_CASE_VIEW,
                "blocks": [],
                "private_metadata": str(d["use_case"]),
            },
            {},
        ),
    ),
    ids.STATUS_VIEW: (
        "owner or admin",
        submit(
            lambda d: status_modal(TR, d["use_case"], "x", Status.IDEA, None),
            {ids.STATUS: Status.DISCARDED, ids.LEARNING: "Lohnt nicht"},
        ),
    ),
    ids.CHECK_VIEW: (
        "own data",
        submit(
            lambda d: {
                "type": "modal",
                "callback_id": ids.CHECK_VIEW,
                "blocks": [],
                "private_metadata": str(d["pair"]),
            },
            {},
        ),
    ),
    ids.SUMMARY_VIEW: (
        "presenters named in the notice",
        submit(lambda d: summary_modal(TR, _event(d)), {ids.SUMMARY: "Übernommen"}),
    ),
    ids.RETRO_VIEW: ("own answer", submit(lambda d: retro_modal(TR, "2026-Q4"), {ids.RETRO_RATING: "1"})),
    ids.RATING_VIEW: ("members of the pair", submit(lambda d: rating_modal(TR, d["pair"]), {ids.RATING: "1"})),
    ids.DATA_EXPORT: ("own data only", click(ids.DATA_EXPORT, lambda d: "U0ANNA")),
    ids.DATA_DELETE: ("own data only", click(ids.DATA_DELETE, lambda d: "U0ANNA")),
    ids.DATA_DELETE_VIEW: (
        "erases only the person who confirms",
        submit(lambda d: {**delete_modal(TR), "private_metadata": "U0ANNA"}, {ids.DATA_CONFIRM: "löschen"}),
    ),
    "user_change": (
        "Slack's own event; only a deleted account is deactivated",
        lambda app, _: dispatch(app, user_change("U0ANNA", deleted=False), "application/json"),
    ),
    "app_home_opened": ("own App Home", lambda app, _: dispatch(app, app_home_opened(ATTACKER), "application/json")),
    ids.LOG_SHORTCUT: ("own data", lambda app, _: interaction(app, global_shortcut(ids.LOG_SHORTCUT, user=ATTACKER))),
    ids.COACH_SHORTCUT: (
        "own messages only",
        lambda app, _: interaction(app, message_shortcut("Anna's Entwurf", author="U0ANNA", user=ATTACKER)),
    ),
    ids.COACH_SHARE: ("opens a form, stores nothing", click(ids.COACH_SHARE, lambda d: "Anna's Prompt")),
    ids.COACH_HELPFUL: ("one verdict per answer, no person", click(ids.COACH_HELPFUL, lambda d: JUDGED)),
    ids.COACH_NOT_HELPFUL: ("one verdict per answer, no person", click(ids.COACH_NOT_HELPFUL, lambda d: JUDGED)),
    **{
        button: ("admins of the workspace", click(button, lambda d, sent=value: sent))
        for button, value in ADMIN_BUTTONS.items()
    },
    ids.INVENTORY_OPEN: ("own answer (opens a form)", click(ids.INVENTORY_OPEN, lambda d: "")),
    ids.PILOT_VIEW: (
        "owner or admin",
        submit(
            lambda d: pilot_modal(TR, d["use_case"], "x", None, date(2026, 11, 26)),
            {ids.PILOT_TEAM: ["U0ATTACKER"], ids.PILOT_GOAL: "Ziel", ids.PILOT_METRIC: "Minuten"},
        ),
    ),
    ids.TALENT_VIEW: (
        "own entry",
        submit(lambda d: talent_modal(TR, TalentChoice(False, [], [], None)), {ids.TALENT_CONSENT: "yes"}),
    ),
    ids.INVENTORY_VIEW: (
        "own answer",
        submit(
            lambda d: inventory_modal(TR, load_catalogs().tools),
            {ids.INVENTORY_HOURS: "lt1", ids.INVENTORY_CHAMPION: "yes"},
        ),
    ),
    ids.SETUP_VIEW: (
        "admins of the workspace",
        submit(
            lambda d: setup_modal(TR, Settings(_env_file=None), 3),  # type: ignore[call-arg]
            {"setup:admin_user_ids": "U0ATTACKER", "setup:min_group_size": "3"},
        ),
    ),
    ids.TIP_VIEW: (
        "own new tip",
        submit(lambda d: tip_modal(TR, "Tipp"), {ids.TIP_TEXT: "Mein Tipp", ids.TIP_ANONYMOUS: "named"}),
    ),
}


def registered(app: App) -> set[str]:
    """The action ids, callback ids, event types and the command each listener of the app matches."""
    found = set()
    for listener in app._listeners:
        for matcher in listener.matchers:
            cells = getattr(getattr(matcher, "func", None), "__closure__", None) or ()
            found |= {cell.cell_contents for cell in cells if isinstance(cell.cell_contents, str)}
    return found


def test_every_registered_listener_is_in_the_matrix(bolt: tuple[App, Deps]) -> None:
    app, _ = bolt
    assert registered(app) == set(MATRIX)


@pytest.mark.parametrize("listener", sorted(MATRIX))
def test_tampered_values_never_act_on_another_persons_data(
    bolt: tuple[App, Deps], database: Database, others: dict[str, int], listener: str
) -> None:
    app, _ = bolt
    before = snapshot(database)
    response = MATRIX[listener][1](app, others)
    if hasattr(response, "status"):
        assert response.status < 500
        if response.body and response.body.startswith("{"):
            assert json.loads(response.body).get("response_action") != "update" or listener in (
                ids.USE_CASE_VIEW,
                ids.PROFILE_VIEW,
                ids.CHECK_VIEW,
                ids.RETRO_VIEW,
                ids.DATA_DELETE_VIEW,  # the attacker erased themself; Anna named in the metadata is untouched
                ids.TALENT_VIEW,  # the attacker's own entry
            )
    assert snapshot(database) == before
    with database.unit_of_work(TEAM) as uow:
        anna = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0ANNA")).one()
        assert anna.deactivated_at is None
