"""The monthly update's summary: only the presenters named in the notice send it, once, with a plain https
link that the community post shows as one safe link."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from slack_bolt import App

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.render import ids
from jobs.scheduler import run_job
from tests.blockkit import text_of
from tests.jobs.test_rituals import local, people
from tests.slack_payloads import bolt_app, button_click, command, interaction, view_submission, views_opened

EVENT_DAY = date(2026, 12, 3)


@pytest.fixture
def bolt(database: Database, local_slack: LocalSlackApi) -> Iterator[tuple[App, Deps]]:
    with bolt_app(database, local_slack, community_channel="C0COMMUNITY", admin_user_ids="UADMIN") as app_and_deps:
        yield app_and_deps


@pytest.fixture
def form(bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database) -> dict[str, Any]:
    """IT presents (named in the notice); the summary form, as a presenter opens it after the update."""
    app, deps = bolt
    people(database, {"IT": 2, "Vertrieb": 1})
    run_job(deps, "monthly_update", now=local(EVENT_DAY - timedelta(days=14), 9))
    run_job(deps, "monthly_update", now=local(EVENT_DAY, 16, 30))
    request = next(c for c in local_slack.calls_to("chat.postMessage") if "Zusammenfassung" in c.params["text"])
    event_id = next(e["value"] for b in request.params["blocks"] if b["type"] == "actions" for e in b["elements"])
    interaction(app, button_click(ids.SUMMARY_OPEN, event_id, user="UIT0", response_url=local_slack.response_url("s")))
    return views_opened(local_slack)[-1]


def submit(app: App, form: dict[str, Any], values: dict[str, str], user: str, view_id: str) -> dict[str, Any]:
    return json.loads(interaction(app, view_submission(form, values, view_id=view_id, user=user)).body)


def community_posts(local_slack: LocalSlackApi) -> list[str]:
    return [
        text_of(c.params["blocks"])
        for c in local_slack.calls_to("chat.postMessage")
        if c.params["channel"] == "C0COMMUNITY"
    ]


def test_choosing_the_presenting_department_later_makes_nobody_a_presenter(
    bolt: tuple[App, Deps], form: dict[str, Any], local_slack: LocalSlackApi
) -> None:
    app, _ = bolt
    command(app, "profil bereich IT", user="UVER0")
    refused = submit(app, form, {ids.SUMMARY: "Wir haben alles präsentiert"}, "UVER0", "VS1")
    assert "benannt wurden" in refused["errors"][ids.SUMMARY]
    assert community_posts(local_slack) == []


@pytest.mark.parametrize(
    "link",
    [
        "http://intranet/folien",
        "https://evil.example|hier anmelden",
        "<https://evil.example|hier anmelden>",
        "<!channel>",
        "javascript:alert(1)",
        "https://",
        "https://x.example/a b",
        "https://user@x.example/",
    ],
)
def test_a_link_that_is_not_a_plain_https_url_is_refused_and_nothing_posted(
    bolt: tuple[App, Deps], form: dict[str, Any], local_slack: LocalSlackApi, link: str
) -> None:
    app, _ = bolt
    refused = submit(app, form, {ids.SUMMARY: "Copilot im Support", ids.SUMMARY_LINK: link}, "UIT0", "VS1")
    assert ids.SUMMARY_LINK in refused["errors"]
    assert community_posts(local_slack) == []


def test_a_second_summary_does_not_overwrite_the_first(
    bolt: tuple[App, Deps], form: dict[str, Any], local_slack: LocalSlackApi
) -> None:
    app, _ = bolt
    first = {ids.SUMMARY: "Copilot im Support", ids.SUMMARY_LINK: "https://wiki.example/ki?a=1&b=2"}
    assert submit(app, form, first, "UIT0", "VS1")["response_action"] == "update"
    second = submit(app, form, {ids.SUMMARY: "Etwas anderes"}, "UIT1", "VS2")
    assert "schon eine Zusammenfassung" in second["errors"][ids.SUMMARY]
    (posted,) = community_posts(local_slack)
    assert "Copilot im Support" in posted and "Etwas anderes" not in posted
