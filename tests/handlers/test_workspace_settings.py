"""Each workspace's own settings: an admin opens the setup form (`/ki admin einstellungen`), changes channels,
admins, time zone and the rest; from then on that workspace's requests and jobs use them, and no other
workspace's do. The minimum group never goes below 3, there is always an admin, an erased person is no longer
one, and the person who installs the app becomes the first admin and is welcomed with the form."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.i18n import Translator
from bot.models import AuditEntry, Workspace
from bot.render import ids
from bot.render.setup import setup_modal
from bot.services import privacy
from bot.services.members import ensure_member
from handlers.installation import welcome_installer
from jobs.runtime import JobContext
from tests.blockkit import assert_valid_message, text_of
from tests.conftest import TEAM
from tests.slack_payloads import button_click, command, interaction, submit, views_opened

OTHER_TEAM = "T0OTHER"


@pytest.fixture
def slack_users() -> dict[str, str]:
    return {"UADMIN": "de-DE", "U0BEN": "de-DE", "U0ANNA": "de-DE"}


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {"community_channel": "ki-community", "admin_channel": "ki-admin", "min_group_size": 5}


def open_form(app: App, local_slack: LocalSlackApi, user: str = "UADMIN") -> dict[str, Any]:
    command(app, "admin einstellungen", user=user)
    return views_opened(local_slack)[-1]


def chosen(**changes: Any) -> dict[str, Any]:
    """What an admin picks in the form (by field), as block ids."""
    picked: dict[str, Any] = {
        "community_channel": "C0COMMUNITY",
        "admin_channel": "C0ADMINS",
        "admin_user_ids": ["UADMIN", "U0BEN"],
        "default_language": "en",
        "timezone": "Europe/Vienna",
        "holiday_state": "HE",
        "min_group_size": "6",
        "retention_months": "12",
        "hourly_rate_eur": "60.5",
        "investment_per_employee_eur": "1500",
        "leaderboard_day": "fri",
        "leaderboard_time": "08:15",
        "buddy_checkin_day": "wed",
        "buddy_checkin_time": "11:00",
        "office_hours_day": "tue",
        "office_hours_time": "16:00",
        "monthly_update_day": "thu",
        "monthly_update_time": "15:00",
    }
    picked.update(changes)
    return {f"setup:{name}": value for name, value in picked.items()}


def test_an_admin_opens_the_form_filled_with_the_current_settings(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi
) -> None:
    app, _ = bolt
    form = open_form(app, local_slack)
    assert form["callback_id"] == ids.SETUP_VIEW
    fields = {block["block_id"]: block["element"] for block in form["blocks"] if block["type"] == "input"}
    assert fields["setup:admin_user_ids"]["initial_users"] == ["UADMIN"]
    assert fields["setup:min_group_size"]["initial_value"] == "5"
    assert fields["setup:min_group_size"]["min_value"] == "3"
    assert fields["setup:timezone"]["initial_option"]["value"] == "Europe/Berlin"
    assert fields["setup:leaderboard_time"]["initial_time"] == "09:00"
    # A channel named by the environment cannot be preselected (Slack wants an id): the admin picks it.
    assert "initial_conversation" not in fields["setup:community_channel"]
    assert fields["setup:community_channel"]["type"] == "conversations_select"


def test_someone_who_is_not_admin_can_neither_open_nor_send_the_form(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    answer = command(app, "admin einstellungen", user="U0ANNA")
    assert "Admin" in answer["text"]
    assert views_opened(local_slack) == []
    form = setup_modal(Translator("de"), deps.settings, 3)
    refused = submit(app, form, chosen(admin_user_ids=["U0ANNA"]), user="U0ANNA")
    assert refused["response_action"] == "errors"
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.get(Workspace, TEAM).settings is None  # type: ignore[union-attr]


def test_saved_settings_hold_for_the_workspace_at_once_and_only_for_it(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    answer = submit(app, open_form(app, local_slack), chosen(), user="UADMIN")
    assert answer["response_action"] == "update", answer
    assert "<#C0COMMUNITY>" in text_of(answer["view"]["blocks"])

    settings = deps.for_team(TEAM).settings
    assert settings.community_channel == "C0COMMUNITY"
    assert settings.admin_channel == "C0ADMINS"
    assert settings.admin_user_ids == ["UADMIN", "U0BEN"]
    assert (settings.timezone, settings.holiday_state, settings.default_language) == ("Europe/Vienna", "HE", "en")
    assert (settings.min_group_size, settings.retention_months) == (6, 12)
    assert (settings.hourly_rate_eur, settings.investment_per_employee_eur) == (60.5, 1500.0)
    assert (settings.leaderboard_day, settings.leaderboard_time) == ("fri", time(8, 15))
    # Only what differs from the deployment is stored: a later change of a default reaches this workspace.
    with database.unit_of_work(TEAM) as uow:
        workspace = uow.session.get(Workspace, TEAM)
        assert workspace is not None and workspace.settings is not None
        assert "office_hours_day" not in workspace.settings
        assert workspace.settings["leaderboard_time"] == "08:15"
        assert workspace.default_language == "en"
        actions = uow.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_user_id == "UADMIN")).all()
        assert "settings" in actions

    # Another workspace keeps the deployment's settings; the deployment's own object is untouched.
    assert deps.for_team(OTHER_TEAM).settings.community_channel == "ki-community"
    assert deps.for_team(OTHER_TEAM).settings.admin_user_ids == ["UADMIN"]
    assert deps.settings.community_channel == "ki-community"

    # The new admin is one now, in this workspace only: admin help answers them.
    assert "admin" in command(app, "admin hilfe", user="U0BEN")["text"].lower()
    assert "Admin" in command(app, "admin hilfe", user="U0BEN", team=OTHER_TEAM)["text"]
    # Jobs act with the workspace's settings too.
    job = JobContext(deps, deps.web_client(TEAM), deps.clock()).for_team(TEAM)
    assert job.deps.settings.community_channel == "C0COMMUNITY"
    assert JobContext(deps, deps.web_client(TEAM), deps.clock()).for_team(OTHER_TEAM).deps.settings.timezone == (
        "Europe/Berlin"
    )


def test_the_form_opens_again_with_what_was_saved(bolt: tuple[App, Deps], local_slack: LocalSlackApi) -> None:
    app, _ = bolt
    submit(app, open_form(app, local_slack), chosen(), user="UADMIN")
    again = open_form(app, local_slack, user="U0BEN")
    fields = {block["block_id"]: block["element"] for block in again["blocks"] if block["type"] == "input"}
    assert fields["setup:community_channel"]["initial_conversation"] == "C0COMMUNITY"
    assert fields["setup:admin_user_ids"]["initial_users"] == ["UADMIN", "U0BEN"]
    assert fields["setup:timezone"]["initial_option"]["value"] == "Europe/Vienna"
    assert fields["setup:min_group_size"]["initial_value"] == "6"
    assert fields["setup:default_language"]["initial_option"]["value"] == "en"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"min_group_size": "2"}, "setup:min_group_size", "mindestens 3"),
        ({"min_group_size": "drei"}, "setup:min_group_size", "passt nicht"),
        ({"admin_user_ids": []}, "setup:admin_user_ids", "Admin bleiben"),
        ({"min_group_size": "4.5"}, "setup:min_group_size", "passt nicht"),
        ({"retention_months": "500"}, "setup:retention_months", "passt nicht"),
        ({"hourly_rate_eur": "-5"}, "setup:hourly_rate_eur", "passt nicht"),
    ],
)
def test_a_refused_value_is_named_on_its_field_and_nothing_is_stored(
    bolt: tuple[App, Deps],
    local_slack: LocalSlackApi,
    database: Database,
    changes: dict[str, Any],
    field: str,
    words: str,
) -> None:
    app, deps = bolt
    form = open_form(app, local_slack)
    answer = submit(app, form, chosen(**changes), user="UADMIN")
    assert answer["response_action"] == "errors"
    assert words in answer["errors"][field]
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.get(Workspace, TEAM).settings is None  # type: ignore[union-attr]
    assert deps.for_team(TEAM).settings.community_channel == "ki-community"


def test_an_erased_admin_is_no_longer_named_among_the_admins(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    submit(app, open_form(app, local_slack), chosen(), user="UADMIN")
    with database.unit_of_work(TEAM) as uow:
        ben = ensure_member(uow, "U0BEN", "de")
        privacy.erase(uow, ben, deps.clock(), 6)
    assert deps.for_team(TEAM).settings.admin_user_ids == ["UADMIN"]
    with database.unit_of_work(TEAM) as uow:
        stored = uow.session.get(Workspace, TEAM)
        assert stored is not None and "U0BEN" not in str(stored.settings)


def test_the_installer_becomes_the_first_admin_and_is_welcomed_once(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    welcome_installer(deps, OTHER_TEAM, "U0BEN")
    assert deps.for_team(OTHER_TEAM).settings.admin_user_ids == ["U0BEN"]
    # The deployment's admins are not this workspace's: someone else there is not admin.
    assert "Admin" in command(app, "admin hilfe", user="UADMIN", team=OTHER_TEAM)["text"]
    welcome = [c for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == "U0BEN"]
    assert len(welcome) == 1
    blocks = assert_valid_message(welcome[0].params)
    assert "erste Admin" in text_of(blocks)
    button = next(e for b in blocks if b["type"] == "actions" for e in b["elements"])
    assert button["action_id"] == ids.OPEN_SETUP

    interaction(app, button_click(ids.OPEN_SETUP, user="U0BEN", team=OTHER_TEAM))
    assert views_opened(local_slack)[-1]["callback_id"] == ids.SETUP_VIEW

    # A reinstall keeps the admins the workspace has, and says nothing.
    welcome_installer(deps, OTHER_TEAM, "U0ANNA")
    assert deps.for_team(OTHER_TEAM).settings.admin_user_ids == ["U0BEN"]
    assert len([c for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == "U0ANNA"]) == 0
