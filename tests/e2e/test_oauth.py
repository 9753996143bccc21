"""Several workspaces from one deployment, over HTTP as Slack drives it: the "Add to Slack" page, the OAuth
redirect exchanging the code for a workspace's token (`oauth.v2.access` on the loopback fake), each request and
each scheduled job acting with its own workspace's token, and an uninstalled workspace getting nothing more."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.app import build_app
from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database
from bot.deps import Deps
from bot.models import Base, JobRun, UsageLog
from bot.runners.http import create_web_app
from bot.services import privacy
from bot.services.members import find_member
from bot.slack.installations import BOT_SCOPES, installation_tables
from jobs.scheduler import run_job
from tests.conftest import FIXED_NOW, SIGNING_SECRET, signed_headers, slash_command_body
from tests.slack_payloads import as_view, oauth_deps, view_submission
from tests.test_manifest import manifest

CLIENT_ID = "111.222"


@pytest.fixture
def hosted(database: Database, local_slack: LocalSlackApi) -> Iterator[tuple[TestClient, Deps]]:
    for user in ("U0ANNA", "U0BEN"):
        local_slack.add_user(SlackUser(user, user.lower()))
    deps = oauth_deps(database, local_slack, community_channel="C0COMMUNITY")
    app = build_app(deps)
    # https: the OAuth state cookie is a secure one, as behind a real TLS proxy.
    web = TestClient(
        create_web_app(app, database, SIGNING_SECRET, clock=lambda: FIXED_NOW), base_url="https://testserver"
    )
    yield web, deps


def install(web: TestClient, team: str) -> None:
    """Clicks "Add to Slack", approves in Slack (which sends the browser back with a code), as a browser does."""
    page = web.get("/slack/install")
    assert page.status_code == 200
    link = re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', page.text)
    assert link is not None, page.text
    query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
    assert query["client_id"] == [CLIENT_ID] and set(query["scope"][0].split(",")) == set(BOT_SCOPES)
    done = web.get("/slack/oauth_redirect", params={"code": f"code-{team}", "state": query["state"][0]})
    assert done.status_code == 200, done.text


def uninstall(web: TestClient, team: str) -> None:
    """Slack's `app_uninstalled` event for `team`, signed, as Slack sends it when a workspace removes the app."""
    event = json.dumps(
        {
            "token": "unused",
            "team_id": team,
            "api_app_id": "A0KILOTSE",
            "type": "event_callback",
            "event_id": f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "event": {"type": "app_uninstalled", "event_ts": f"{time.time():.6f}"},
        }
    )
    headers = {**signed_headers(event), "content-type": "application/json"}
    assert web.post("/slack/events", content=event, headers=headers).status_code == 200


def ki(web: TestClient, text: str, team: str, user: str) -> dict[str, object]:
    body = slash_command_body(text, team=team, user=user)
    response = web.post("/slack/events", content=body, headers=signed_headers(body))
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


def test_the_bot_asks_for_the_manifests_scopes() -> None:
    assert sorted(BOT_SCOPES) == sorted(manifest()["oauth_config"]["scopes"]["bot"])


@pytest.fixture
def two_installed(hosted: tuple[TestClient, Deps]) -> tuple[TestClient, Deps]:
    """Workspaces T0A and T0B, each installed through "Add to Slack"."""
    for team in ("T0A", "T0B"):
        install(hosted[0], team)
    return hosted


@pytest.fixture
def two_in_use(two_installed: tuple[TestClient, Deps]) -> tuple[TestClient, Deps]:
    """Both workspaces with an entry of last week, so that the weekly post has something to say."""
    for team in ("T0A", "T0B"):
        ki(two_installed[0], "log 20 DeepL", team=team, user="U0ANNA")
    return two_installed


def community_post_tokens(slack: LocalSlackApi) -> list[str | None]:
    """The token of each post to the community channel, in the order they were sent."""
    return [call.token for call in slack.calls_to("chat.postMessage") if call.params.get("channel") == "C0COMMUNITY"]


def test_two_workspaces_install_and_each_is_served_with_its_own_token(
    two_installed: tuple[TestClient, Deps], local_slack: LocalSlackApi
) -> None:
    web, deps = two_installed
    assert deps.bot_token("T0A") == "xoxb-T0A" and deps.bot_token("T0B") == "xoxb-T0B"

    looked_up_at_install = len(local_slack.calls_to("users.info"))  # the installers' languages, for the welcome
    answer = ki(web, "log 30 Protokoll mit ChatGPT", team="T0B", user="U0BEN")
    assert "30" in json.dumps(answer, ensure_ascii=False)
    profile_lookups = [call.token for call in local_slack.calls_to("users.info")[looked_up_at_install:]]
    assert profile_lookups and set(profile_lookups) == {"xoxb-T0B"}
    ki(web, "log 45 Angebot mit ChatGPT", team="T0A", user="U0ANNA")

    # The weekly post goes to each workspace with that workspace's token.
    run_job(deps, "weekly_leaderboard", manual=True)
    assert sorted(token or "" for token in community_post_tokens(local_slack)) == ["xoxb-T0A", "xoxb-T0B"]


def test_an_uninstalled_workspace_gets_nothing_more(
    two_in_use: tuple[TestClient, Deps], local_slack: LocalSlackApi
) -> None:
    web, deps = two_in_use
    uninstall(web, "T0B")
    assert deps.bot_token("T0B") is None and deps.bot_token("T0A") == "xoxb-T0A"

    run_job(deps, "weekly_leaderboard", manual=True)
    assert community_post_tokens(local_slack) == ["xoxb-T0A"]


def test_a_stale_or_forged_state_installs_nothing(hosted: tuple[TestClient, Deps]) -> None:
    web, deps = hosted
    web.get("/slack/install")
    refused = web.get("/slack/oauth_redirect", params={"code": "code-T0X", "state": "forged"})
    assert refused.status_code >= 400
    assert deps.bot_token("T0X") is None


def test_an_admins_run_acts_in_the_admins_own_workspace_only(
    two_in_use: tuple[TestClient, Deps], local_slack: LocalSlackApi
) -> None:
    ki(two_in_use[0], "admin run weekly_leaderboard", team="T0A", user="U0INSTALLT0A")
    assert community_post_tokens(local_slack) == ["xoxb-T0A"]


def test_each_installer_is_their_workspaces_first_admin_and_is_welcomed_with_its_token(
    two_installed: tuple[TestClient, Deps], local_slack: LocalSlackApi
) -> None:
    web, deps = two_installed
    welcomes = [
        call for call in local_slack.calls_to("chat.postMessage") if call.params["channel"].startswith("U0INSTALL")
    ]
    assert sorted((call.params["channel"], call.token) for call in welcomes) == [
        ("U0INSTALLT0A", "xoxb-T0A"),
        ("U0INSTALLT0B", "xoxb-T0B"),
    ]
    assert deps.for_team("T0A").settings.admin_user_ids == ["U0INSTALLT0A"]
    # The deployment's ADMIN_USER_IDS are no workspace's admins, nor is one workspace's installer the other's.
    for team, user in (("T0A", "UADMIN"), ("T0A", "U0INSTALLT0B"), ("T0B", "U0INSTALLT0A")):
        assert "nur Admins" in json.dumps(ki(web, "admin hilfe", team=team, user=user), ensure_ascii=False)
    ki(web, "admin einstellungen", team="T0B", user="U0INSTALLT0B")
    opened = local_slack.calls_to("views.open")[-1]
    assert opened.token == "xoxb-T0B"
    # Installing again (e.g. for a new scope) keeps the admins and welcomes nobody twice.
    install(web, "T0A")
    assert deps.for_team("T0A").settings.admin_user_ids == ["U0INSTALLT0A"]
    assert len([c for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == "U0INSTALLT0A"]) == 1


def test_an_uninstalled_workspaces_data_still_follows_the_retention_rule(
    two_in_use: tuple[TestClient, Deps], database: Database
) -> None:
    _, deps = two_in_use
    deps.installations.delete_installation(enterprise_id=None, team_id="T0B")  # type: ignore[union-attr]
    deps.installations.delete_bot(enterprise_id=None, team_id="T0B")  # type: ignore[union-attr]
    assert not deps.serves("T0B")
    run_job(deps, "retention", manual=True)
    with database.unit_of_work("T0B") as uow:
        ran = uow.session.scalars(select(JobRun.team_id).where(JobRun.job == "retention")).all()
    assert sorted(ran) == ["T0A", "T0B"]


def test_an_erased_installer_is_no_longer_named_in_the_stored_installation(
    two_installed: tuple[TestClient, Deps], database: Database
) -> None:
    web, deps = two_installed
    ki(web, "log 20 DeepL", team="T0A", user="U0INSTALLT0A")
    with database.unit_of_work("T0A") as uow:
        installer = find_member(uow, "U0INSTALLT0A")
        assert installer is not None
        privacy.erase(uow, installer, FIXED_NOW, 5)
    table = installation_tables().tables["slack_installations"]
    with database.engine.connect() as connection:
        named = connection.execute(select(table.c.team_id, table.c.user_id)).all()
    assert ("T0A", "U0INSTALLT0A") not in named and ("T0B", "U0INSTALLT0B") in named
    # The workspace's token is the workspace's: it keeps working.
    assert deps.bot_token("T0A") == "xoxb-T0A"
    assert deps.for_team("T0A").settings.admin_user_ids == []


def test_an_operator_erases_one_workspace_and_nothing_of_the_other(
    two_in_use: tuple[TestClient, Deps], database: Database
) -> None:
    web, deps = two_in_use
    ki(web, "admin einstellungen", team="T0B", user="U0INSTALLT0B")
    removed = privacy.erase_workspace(database, "T0B")
    assert removed > 5
    assert deps.bot_token("T0B") is None and deps.bot_token("T0A") == "xoxb-T0A"
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if "team_id" in table.c:
                left = connection.execute(select(func.count()).select_from(table).where(table.c.team_id == "T0B"))
                assert left.scalar_one() == 0, table.name
        kept = connection.execute(select(func.count()).select_from(UsageLog).where(UsageLog.team_id == "T0A"))
        assert kept.scalar_one() == 1
    assert deps.for_team("T0B").settings.admin_user_ids == deps.settings.admin_user_ids


def test_install_set_up_use_and_uninstall_two_workspaces(
    two_installed: tuple[TestClient, Deps], local_slack: LocalSlackApi
) -> None:
    """The whole way, over HTTP: each installer sets their workspace up in the form, people use it, the weekly
    post goes to each workspace's own channel with its own token; after the uninstall nothing more goes out."""
    web, deps = two_installed
    for team in ("T0A", "T0B"):
        installer = f"U0INSTALL{team}"
        ki(web, "admin einstellungen", team=team, user=installer)
        form = as_view(local_slack.calls_to("views.open")[-1])
        values = {"setup:community_channel": f"C0{team}COMMUNITY", "setup:admin_user_ids": [installer, "U0ANNA"]}
        payload = view_submission(form, values, view_id=f"V{team}", user=installer, team=team)
        body = urlencode({"payload": json.dumps(payload)})
        answer = web.post(
            "/slack/events",
            content=body,
            headers={**signed_headers(body), "content-type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 200 and answer.json()["response_action"] == "update", answer.text
        ki(web, "log 25 DeepL Übersetzung", team=team, user="U0ANNA")
    # U0ANNA is an admin in both now, by each workspace's own form.
    for team in ("T0A", "T0B"):
        assert "nur Admins" not in json.dumps(ki(web, "admin hilfe", team=team, user="U0ANNA"), ensure_ascii=False)

    run_job(deps, "weekly_leaderboard", manual=True)
    posts = sorted(
        (str(c.params["channel"]), c.token or "")
        for c in local_slack.calls_to("chat.postMessage")
        if str(c.params["channel"]).endswith("COMMUNITY")
    )
    assert posts == [("C0T0ACOMMUNITY", "xoxb-T0A"), ("C0T0BCOMMUNITY", "xoxb-T0B")]

    uninstall(web, "T0A")
    sent_before = len(local_slack.calls_to("chat.postMessage"))
    run_job(deps, "weekly_leaderboard", manual=True, now=FIXED_NOW + timedelta(hours=1))  # an admin's run later
    later = local_slack.calls_to("chat.postMessage")[sent_before:]
    assert [(c.params["channel"], c.token) for c in later] == [("C0T0BCOMMUNITY", "xoxb-T0B")]
