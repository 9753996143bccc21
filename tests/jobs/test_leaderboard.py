"""The team leaderboard: weekly post and `/ki top`, through Bolt and the scheduler, on both databases.
A department of 4 never appears on its own."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.models import Tip
from jobs.scheduler import run_job
from tests.blockkit import assert_valid_message, text_of
from tests.conftest import TEAM
from tests.jobs.conftest import posted_once
from tests.slack_payloads import command

MONDAY_9_BERLIN = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
LAST_WEEK = date(2026, 11, 23)


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {"community_channel": "C0COMMUNITY"}


def test_weekly_post_once_with_teams_learnings_and_no_small_department(
    bolt: tuple[App, Deps], teams: None, local_slack: LocalSlackApi
) -> None:
    _, deps = bolt
    post = posted_once(deps, local_slack, "weekly_leaderboard", MONDAY_9_BERLIN, again_after=timedelta(minutes=5))
    assert post["channel"] == "C0COMMUNITY"
    blocks = assert_valid_message(post)
    visible = text_of(blocks).replace("\xa0", " ")
    assert "KW 48" in visible
    by_adoption, by_hours = visible.split("*Nach Anwendungsquote*")[1].split("*Nach Zeitersparnis pro Person*")
    # Einkauf (4) + Ohne Team (1) = 5 people, 2 active, 90 min; Vertrieb 2 of 6, 90 min; IT 1 of 5, 120 min.
    assert by_adoption.strip().splitlines() == [
        "1. Weitere Teams – 40 % aktiv · 0,3 Std./Person",
        "2. Vertrieb – 33 % aktiv · 0,2 Std./Person",
        "3. IT – 20 % aktiv · 0,4 Std./Person",
    ]
    assert by_hours.strip().splitlines()[:3] == [
        "1. IT – 20 % aktiv · 0,4 Std./Person",
        "2. Weitere Teams – 40 % aktiv · 0,3 Std./Person",
        "3. Vertrieb – 33 % aktiv · 0,2 Std./Person",
    ]
    assert "Einkauf" not in visible and "Ohne Team" not in visible
    assert "Gelernt aus „Chatbot Intranet“: Zu viele falsche Antworten" in visible
    assert "<@U" not in json.dumps(blocks)  # nobody opted in: no names


def test_top_command_periods_and_opt_in(bolt: tuple[App, Deps], teams: None) -> None:
    app, _ = bolt
    week = command(app, "top", user="U00")
    assert "Einkauf" not in text_of(week["blocks"])
    assert "Weitere Teams" in text_of(week["blocks"]) or "zu wenige" in text_of(week["blocks"])
    assert "ab jetzt mit Namen" in command(app, "top optin", user="U06")["text"]
    month = command(app, "rangliste monat", user="U00")
    assert_valid_message(month)
    assert "<@U06> – 2 Stunden" in text_of(month["blocks"])
    assert "nicht mehr mit Namen" in command(app, "top optout", user="U06")["text"]
    assert "<@U06>" not in text_of(command(app, "top monat", user="U00")["blocks"])
    assert "Welcher Zeitraum?" in command(app, "top jahr", user="U00")["text"]
    assert "Q4 2026" in text_of(command(app, "top quartal", user="U00")["blocks"])


def test_small_workspace_gets_no_numbers(bolt: tuple[App, Deps]) -> None:
    app, _ = bolt
    answer = command(app, "top monat")
    assert "Noch zu wenige Personen" in text_of(answer["blocks"])


def test_no_post_on_a_public_holiday(bolt: tuple[App, Deps], teams: None, local_slack: LocalSlackApi) -> None:
    _, deps = bolt
    whit_monday = datetime(2026, 5, 25, 7, 0, tzinfo=UTC)  # Pfingstmontag, 09:00 in Berlin
    report = run_job(deps, "weekly_leaderboard", now=whit_monday)
    assert report.sent == 0 and any("holiday" in reason for reason in report.skipped)


def test_a_quiet_week_posts_an_encouraging_line_instead_of_empty_tables(
    bolt: tuple[App, Deps], teams: None, local_slack: LocalSlackApi
) -> None:
    _, deps = bolt
    run_job(deps, "weekly_leaderboard", now=datetime(2026, 11, 2, 8, 0, tzinfo=UTC))  # the week before any log
    visible = text_of(assert_valid_message(local_slack.calls_to("chat.postMessage")[0].params))
    assert "KW 44" in visible and "In diesem Zeitraum wurde noch nichts erfasst" in visible
    assert "Nach Anwendungsquote" not in visible and "Alle zusammen" not in visible


def test_the_weekly_post_features_the_tip_with_the_most_reactions(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    command(app, "tip Lass dir zuerst Rückfragen stellen", user="U0ANNA")
    command(app, "tip anonym Gib ein Beispiel für das gewünschte Format", user="U0BEN")
    command(app, "tip Bitte um eine Tabelle statt Fließtext", user="U0CARLA")
    with database.unit_of_work(TEAM) as uow:
        stamps = {text[:8]: ts for text, ts in uow.session.execute(select(Tip.text, Tip.message_ts))}
    local_slack.reactions[stamps["Lass dir"]] = [("+1", 1)]
    local_slack.reactions[stamps["Gib ein "]] = [("+1", 2), ("bulb", 1)]
    run_job(deps, "weekly_leaderboard", now=MONDAY_9_BERLIN)
    post = next(c for c in local_slack.calls_to("chat.postMessage") if "Tipp der Woche" in json.dumps(c.params))
    visible = text_of(assert_valid_message(post.params))
    featured = visible.split("Tipp der Woche")[1]
    assert "Gib ein Beispiel für das gewünschte Format" in featured and "anonym geteilt" in featured
    assert "U0BEN" not in json.dumps(post.params)  # an anonymous tip stays anonymous
    assert len(local_slack.calls_to("reactions.get")) == 3
    # `/ki top` shows the ranking only; the tip of the week belongs to the weekly post.
    assert "Tipp der Woche" not in json.dumps(command(app, "top woche"), ensure_ascii=False)


@pytest.mark.parametrize("slack_refuses", [False, True], ids=["nobody reacted", "reactions refused"])
def test_no_tip_is_featured_when_nobody_reacted_or_slack_cannot_say(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, slack_refuses: bool
) -> None:
    app, deps = bolt
    command(app, "tip Lass dir zuerst Rückfragen stellen")
    if slack_refuses:
        local_slack.fail("reactions.get", status=200, error="missing_scope")
    run_job(deps, "weekly_leaderboard", now=MONDAY_9_BERLIN)
    assert len(local_slack.calls_to("reactions.get")) == 1
    weekly = local_slack.calls_to("chat.postMessage")[-1].params
    assert weekly["channel"] == "C0COMMUNITY" and "KW 48" in json.dumps(weekly, ensure_ascii=False)
    assert "Tipp der Woche" not in json.dumps(weekly, ensure_ascii=False)
