"""The shape check before Bolt: events the bot listens to must name the person the way Slack does."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.shapes import well_formed


def event(inner: dict[str, Any]) -> dict[str, Any]:
    return {"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": inner}


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ({"type": "app_home_opened", "user": "U1", "tab": "home"}, True),
        ({"type": "app_home_opened", "tab": "home"}, False),  # no person: nothing to publish
        ({"type": "app_home_opened", "user": {"id": "U1"}}, False),
        ({"type": "user_change", "user": {"id": "U1", "deleted": True}}, True),  # Slack sends the user object
        ({"type": "user_change", "user": "U1"}, False),
        ({"type": "team_join", "user": {"id": "U1"}}, True),
        ({"type": "reaction_added", "user": "U1"}, True),
    ],
)
def test_events_name_the_person_as_slack_does(inner: dict[str, Any], expected: bool) -> None:
    assert well_formed(event(inner)) is expected


def click(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "trigger_id": "1.2.3",
        "actions": [{"action_id": "open_log_modal", "block_id": "b1", "type": "button"}],
    }
    return {**payload, **changes}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (click(), True),
        (click(team=None), True),  # the user's team_id names the workspace
        (click(team=None, user={"id": "U1"}), False),  # no workspace at all
        (click(team=None, user={"id": "U1", "team_id": 3.1e16}), False),  # found by the property test
        (click(team={"id": 7}), False),
    ],
)
def test_an_interaction_names_its_workspace_as_a_string(payload: dict[str, Any], expected: bool) -> None:
    assert well_formed(payload) is expected
