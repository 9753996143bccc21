"""Two workspaces on one deployment, with the same Slack user ids, their own settings and their own tokens:
nothing of one is ever read, counted, posted or exported in the other.

Checked by difference: the same workspace A, its people acting through Slack and every scheduled job run for
it, once alone and once beside a busier workspace B whose people have A's user ids. Everything Slack receives
for A (the method, where it goes, the words and figures, the files) must be the same both times; everything B
causes goes with B's token to B's channels and people; A's figures are the same both times."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import delete

from bot.app import build_app
from bot.console.local_slack import ApiCall, LocalSlackApi, SlackUser
from bot.db import Database
from bot.deps import Deps
from bot.domain.usage import UsageEntry
from bot.models import Base
from bot.services import kpis, workspace_settings
from bot.services.maturity import record_assessment
from bot.services.members import ensure_member
from bot.services.usage import log_usage
from bot.slack.installations import installation_tables
from jobs.scheduler import JOBS, run_job
from tests.blockkit import text_of
from tests.conftest import FIXED_NOW
from tests.slack_payloads import command, oauth_deps, save_installation

CLIENT_ID = "111.222"
ALPHA, BRAVO = "T0ALPHA", "T0BRAVO"
PEOPLE = {
    "U0ANNA": "Vertrieb",
    "U0BEN": "Vertrieb",
    "U0CARL": "Vertrieb",
    "U0DORA": "IT",
    "U0EMIL": "IT",
    "U0FINN": "IT",
}
ADMIN = "U0ANNA"
CHANNELS = {ALPHA: ("C0ALPHA", "C0ALPHAADMIN"), BRAVO: ("C0BRAVO", "C0BRAVOADMIN")}
TODAY = FIXED_NOW.date()


@pytest.fixture
def slack(local_slack: LocalSlackApi) -> LocalSlackApi:
    for user in PEOPLE:
        local_slack.add_user(SlackUser(user, user.lower(), locale="de-DE"))
    return local_slack


def hosted(database: Database, slack: LocalSlackApi) -> tuple[App, Deps]:
    deps = oauth_deps(database, slack)
    return build_app(deps), deps


def install(deps: Deps, team: str) -> None:
    assert deps.installations is not None
    save_installation(deps.installations, team, ADMIN)
    community, admins = CHANNELS[team]
    with deps.database.unit_of_work(team) as uow:
        workspace_settings.save(
            uow,
            deps.settings,
            {"community_channel": community, "admin_channel": admins, "admin_user_ids": [ADMIN], "min_group_size": 3},
            ADMIN,
        )


def activity(app: App, deps: Deps, team: str, scale: int) -> None:
    """The people of `team` at work: profiles, buddies, the ranking, entries of this week, last week and last
    month, self-checks; `scale` makes one workspace's figures differ from the other's."""
    for user, department in PEOPLE.items():
        command(app, f"profil bereich {department}", user=user, team=team)
    for user in ("U0ANNA", "U0DORA", "U0BEN", "U0EMIL"):
        command(app, "top optin", user=user, team=team)
    command(app, "buddy mentor", user="U0DORA", team=team)
    command(app, "buddy mentee", user="U0BEN", team=team)
    for n, user in enumerate(PEOPLE):
        command(app, f"log {10 * scale + n} ChatGPT Angebot", user=user, team=team)
    matrix = deps.catalogs.maturity
    with deps.database.unit_of_work(team) as uow:
        for n, user in enumerate(PEOPLE):
            member = ensure_member(uow, user, "de")
            for days_ago in (7, 8, 26, 27):  # last week, and the end of October
                entry, day = UsageEntry(5 * scale + n, "deepl", None, ""), TODAY - timedelta(days=days_ago)
                log_usage(uow, member, entry, day, today=day)  # logged on the day itself
            answers = {dimension.key: 1 + (n + scale) % 3 for dimension in matrix.dimensions}
            record_assessment(uow, member, matrix, answers, source_key=None)


def seen(call: ApiCall) -> tuple[str, str, str]:
    """What Slack received, without ids the database hands out (a pair's id in a button's value)."""
    params = dict(call.params)
    where = str(params.get("channel") or params.get("channel_id") or params.get("users") or params.get("user_id") or "")
    view = params.get("view")
    if isinstance(view, str):
        view = json.loads(view)
    blocks = view.get("blocks") if isinstance(view, dict) else params.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    words = text_of(blocks) if blocks else str(params.get("text") or params.get("content") or "")
    return call.method, where, words


def run_everything(database: Database, slack: LocalSlackApi, with_bravo: bool) -> tuple[list[ApiCall], Any]:
    """Workspace A (and B) in use, then every job as an admin's run, then an admin's export in A."""
    app, deps = hosted(database, slack)
    install(deps, ALPHA)
    if with_bravo:
        install(deps, BRAVO)
    activity(app, deps, ALPHA, scale=1)
    if with_bravo:
        activity(app, deps, BRAVO, scale=7)
    for job in JOBS:
        run_job(deps, job, manual=True)
    command(app, "admin export 2026-10", user=ADMIN, team=ALPHA)
    command(app, "admin bericht 2026-10", user=ADMIN, team=ALPHA)
    with database.unit_of_work(ALPHA, read_only=True) as uow:
        month = kpis.month_of(date(2026, 10, 1))
        figures = kpis.month_figures(uow, month, kpis.KpiSettings.from_settings(deps.for_team(ALPHA).settings), TODAY)
    return list(slack.calls), (figures.current, figures.maturity)


def wipe(database: Database, slack: LocalSlackApi) -> None:
    with database.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
        for table in installation_tables().sorted_tables:
            connection.execute(delete(table))
    for team in (ALPHA, BRAVO):
        workspace_settings.WORKSPACE_SETTINGS.forget(team)
    slack.calls.clear()


@pytest.fixture
def both_runs(database: Database, slack: LocalSlackApi) -> Iterator[tuple[list[ApiCall], Any, list[ApiCall], Any]]:
    alone, alone_figures = run_everything(database, slack, with_bravo=False)
    wipe(database, slack)
    beside, beside_figures = run_everything(database, slack, with_bravo=True)
    yield alone, alone_figures, beside, beside_figures


def test_what_slack_receives_for_a_workspace_is_the_same_beside_another(
    both_runs: tuple[list[ApiCall], Any, list[ApiCall], Any],
) -> None:
    alone, _, beside, _ = both_runs
    for_alpha = [seen(call) for call in beside if call.token == f"xoxb-{ALPHA}"]
    assert for_alpha == [seen(call) for call in alone if call.token == f"xoxb-{ALPHA}"]
    # The run did something worth comparing: posts to the community and admin channels, DMs, a file.
    places = {where for _, where, _ in for_alpha}
    assert {"C0ALPHA", "C0ALPHAADMIN", "U0ANNA"} <= places, places
    assert len(for_alpha) > 20
    assert any(method == "files.uploadV2" or method.startswith("files.") for method, _, _ in for_alpha)


def test_what_another_workspace_causes_goes_only_to_it(
    both_runs: tuple[list[ApiCall], Any, list[ApiCall], Any],
) -> None:
    _, _, beside, _ = both_runs
    for call in beside:
        assert call.token in (f"xoxb-{ALPHA}", f"xoxb-{BRAVO}", f"app:{CLIENT_ID}", None), call
        _, where, _ = seen(call)
        if call.token == f"xoxb-{BRAVO}":
            assert not where.startswith("C0ALPHA"), call
        if call.token == f"xoxb-{ALPHA}":
            assert not where.startswith("C0BRAVO"), call
    bravo_posts = [seen(c) for c in beside if c.token == f"xoxb-{BRAVO}" and c.method == "chat.postMessage"]
    assert {"C0BRAVO", "C0BRAVOADMIN"} & {where for _, where, _ in bravo_posts}


def test_a_workspaces_figures_are_the_same_beside_another(
    both_runs: tuple[list[ApiCall], Any, list[ApiCall], Any],
) -> None:
    _, alone_figures, _, beside_figures = both_runs
    assert beside_figures == alone_figures
    current, _ = alone_figures
    # A's October: six people, two entries each of 5…10 minutes.
    assert (current.active_members, current.minutes) == (6, 2 * sum(5 + n for n in range(6)))
