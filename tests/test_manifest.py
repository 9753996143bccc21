"""manifest.json is valid against Slack's own schema and asks only for what the bot uses."""

import json

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from tests.conftest import REPO_ROOT

SCHEMA_DIR = REPO_ROOT / "tests" / "slack_reference"
REMOTE = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"


def _validator() -> Draft7Validator:
    if not (SCHEMA_DIR / "manifest.schema.json").exists():
        pytest.fail(f"Slack's manifest schema is missing in {SCHEMA_DIR}")
    load = lambda name: json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))  # noqa: E731
    registry = Registry().with_resources(
        (REMOTE + name, Resource.from_contents(load(name)))
        for name in ("manifest.schema.1.0.0.json", "manifest.schema.2.0.0.json")
    )
    return Draft7Validator(load("manifest.schema.json"), registry=registry)


def manifest() -> dict:
    return json.loads((REPO_ROOT / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_matches_slacks_schema() -> None:
    errors = sorted(_validator().iter_errors(manifest()), key=str)
    assert not errors, "\n".join(e.message for e in errors)


def test_schema_really_rejects_a_broken_manifest() -> None:
    broken = manifest()
    broken["features"]["slash_commands"][0]["command"] = "ki without slash"
    broken["oauth_config"]["scopes"]["bot"].append(42)
    assert list(_validator().iter_errors(broken))


def test_manifest_has_bot_user_command_interactivity_socket_mode_and_minimal_scopes() -> None:
    data = manifest()
    assert data["features"]["bot_user"]["display_name"]
    assert [c["command"] for c in data["features"]["slash_commands"]] == ["/ki"]
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is True
    # commands: /ki; chat:write: posts and DMs; users:read: locale and time zone of a member, and the
    # user_change event (an account deleted in Slack is deactivated);
    # mpim:write: the group DM of a buddy pair (conversations.open with both); im:write + files:write: the
    # admin's CSV export, a member's data export and the report chart (a file upload needs a channel id);
    # reactions:read: the reactions on the bot's own tip posts, counted for the weekly post's tip of the week.
    assert sorted(data["oauth_config"]["scopes"]["bot"]) == [
        "chat:write",
        "commands",
        "files:write",
        "im:write",
        "mpim:write",
        "reactions:read",
        "users:read",
    ]
    assert not any(scope.endswith(":history") for scope in data["oauth_config"]["scopes"]["bot"])
    assert data["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened", "user_change"]
    assert data["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_names_what_the_handlers_listen_for() -> None:
    from bot.render import ids

    data = manifest()
    shortcuts = {s["callback_id"]: s["type"] for s in data["features"]["shortcuts"]}
    assert shortcuts == {ids.LOG_SHORTCUT: "global", ids.COACH_SHORTCUT: "message"}
    assert all(len(s["name"]) <= 24 for s in data["features"]["shortcuts"])
