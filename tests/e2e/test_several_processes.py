"""Scaled out on PostgreSQL, as the README describes it: two `serve` processes and one `scheduler` (clock)
process on a fresh database, which they migrate together at start, serving two workspaces installed through
Slack's OAuth (each with its own token). Signed slash commands go to both web processes at once (some of them
twice, as Slack retries, to the other process), an admin starts the check-ins by hand while the clock runs
them: every entry is stored once, every pair is asked once, each workspace's weekly post goes out once with
its own token, every process stops cleanly on SIGTERM, and the clock started again sends nothing twice."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database, make_engine
from bot.domain.calendar import is_holiday
from bot.models import BuddyPair, Delivery, Member, UsageLog
from bot.services import workspace_settings
from bot.services.members import ensure_member
from bot.slack.installations import installation_store
from config.settings import WEEKDAYS
from jobs.scheduler import JOBS
from tests.conftest import (
    SIGNING_SECRET,
    eventually,
    free_port,
    make_settings,
    signed_headers,
    slash_command_body,
    spawn_bot,
    stop_process,
)
from tests.slack_payloads import save_installation

pytestmark = pytest.mark.e2e

CLIENT_ID = "111.222"
TEAMS = ("T0NORD", "T0SUED")
USERS = [f"U0P{n:02d}" for n in range(12)]
LOGS_PER_USER = 3
PAIRS_PER_TEAM = 4
# Requests sent again to the other process, as Slack does when an answer is late.
RETRIED = 12
CONCURRENCY = 8
SLOW_START = 120


@pytest.fixture
def fresh_url(postgres_url: str) -> Iterator[str]:
    """A schema of its own that nobody has migrated: the processes do it at start."""
    schema = f"mp_{uuid.uuid4().hex[:10]}"
    base = postgres_url.split("?")[0]
    admin = create_engine(make_settings(base).sqlalchemy_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{base}?options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def env(url: str, slack: LocalSlackApi, today_weekday: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "SLACK_API_URL": slack.url,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": "client-secret",
        "SCHEDULER_IN_PROCESS": "false",
        # Due since midnight: the clock's first tick asks every pair and posts the weekly ranking.
        "BUDDY_CHECKIN_DAY": today_weekday,
        "BUDDY_CHECKIN_TIME": "00:00",
        "LEADERBOARD_DAY": today_weekday,
        "LEADERBOARD_TIME": "00:00",
        **extra,
    }


def ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def install_and_fill(url: str) -> Database:
    """Both workspaces installed (as Bolt's OAuth flow stores them), with their own channels, people and pairs."""
    database = Database(make_engine(make_settings(url).sqlalchemy_url))
    store = installation_store(CLIENT_ID, database.engine)
    today = datetime.now(UTC).date()
    for team in TEAMS:
        save_installation(store, team, USERS[0])
        with database.unit_of_work(team) as uow:
            workspace_settings.save(
                uow,
                make_settings(url),
                {"community_channel": f"C0{team}", "admin_user_ids": [USERS[0]], "min_group_size": 3},
                USERS[0],
            )
            for n in range(PAIRS_PER_TEAM):
                mentor = ensure_member(uow, f"UMENTOR{n}", "de")
                mentee = ensure_member(uow, f"UMENTEE{n}", "de")
                uow.add(
                    BuddyPair,
                    kind="mentor",
                    mentor_id=mentor.id,
                    mentee_id=mentee.id,
                    status="active",
                    started_on=today - timedelta(days=7),
                    ends_on=today + timedelta(weeks=11),
                )
    return database


def test_two_web_processes_and_a_clock_serve_two_workspaces_exactly_once(
    fresh_url: str, tmp_path: Path, local_slack: LocalSlackApi
) -> None:
    zone = make_settings().zone
    today = datetime.now(UTC).astimezone(zone).date()
    if is_holiday(today, make_settings().holiday_state):
        pytest.skip("check-ins are skipped on a public holiday")
    for user in USERS:
        local_slack.add_user(SlackUser(user, user.lower(), locale="de-DE"))
    local_slack.valid_tokens = {f"xoxb-{team}" for team in TEAMS}
    weekday = WEEKDAYS[today.weekday()]
    ports = [free_port(), free_port()]
    log = (tmp_path / "processes.log").open("a")
    webs = [
        spawn_bot(
            ["serve", "--host", "127.0.0.1"], tmp_path, log, **env(fresh_url, local_slack, weekday, PORT=str(port))
        )
        for port in ports
    ]
    clock = None
    try:
        # Both web processes migrate the empty database at once; both come up ready.
        assert eventually(lambda: all(ready(port) for port in ports), timeout=SLOW_START), _read(tmp_path)
        database = install_and_fill(fresh_url)

        bodies = [
            (
                team,
                slash_command_body(
                    f"log {10 + n} ChatGPT Protokoll {n}", user=user, team=team, trigger_id=f"{team}.{user}.{n}"
                ),
            )
            for team in TEAMS
            for user in USERS
            for n in range(LOGS_PER_USER)
        ]
        sends = [(ports[i % 2], body) for i, (_, body) in enumerate(bodies)]
        sends += [(ports[(i + 1) % 2], body) for i, (_, body) in enumerate(bodies[:RETRIED])]

        def post(port_and_body: tuple[int, str]) -> int:
            port, body = port_and_body
            headers = signed_headers(body)
            return httpx.post(
                f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers, timeout=10
            ).status_code

        started = time.monotonic()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            statuses = Counter(pool.map(post, sends))
        seconds = time.monotonic() - started
        assert statuses == Counter({200: len(sends)})

        # The clock and an admin's run of the same job, at once.
        clock = spawn_bot(["scheduler"], tmp_path, log, **env(fresh_url, local_slack, weekday))
        admin = slash_command_body("admin run buddy_checkin", user=USERS[0], team=TEAMS[0])
        httpx.post(
            f"http://127.0.0.1:{ports[1]}/slack/events", content=admin, headers=signed_headers(admin), timeout=10
        )

        def asked() -> Counter[tuple[str | None, str]]:
            """Check-in questions, by workspace token and pair (a pair's group DM; the same people in both)."""
            return Counter(
                (call.token, call.params["channel"])
                for call in local_slack.calls_to("chat.postMessage")
                if str(call.params.get("channel")).startswith("DUMENTOR")
            )

        def settled() -> bool:
            with database.engine.connect() as connection:
                waiting = connection.execute(
                    select(func.count()).select_from(Delivery).where(Delivery.status.in_(("pending", "sending")))
                ).scalar_one()
            weekly = [
                c for c in local_slack.calls_to("chat.postMessage") if str(c.params.get("channel")).startswith("C0T0")
            ]
            return waiting == 0 and len(weekly) >= len(TEAMS) and sum(asked().values()) >= PAIRS_PER_TEAM * len(TEAMS)

        assert eventually(settled, timeout=SLOW_START), _read(tmp_path)
        time.sleep(2)  # a second post, if there were one, would come now

        with database.engine.connect() as connection:
            stored = connection.execute(select(UsageLog.team_id, func.count()).group_by(UsageLog.team_id)).all()
            people = connection.execute(select(func.count()).select_from(Member)).scalar_one()
        assert dict(stored) == {team: len(USERS) * LOGS_PER_USER for team in TEAMS}
        assert people == len(TEAMS) * (len(USERS) + 2 * PAIRS_PER_TEAM)
        checkins = asked()
        assert len(checkins) == PAIRS_PER_TEAM * len(TEAMS) and set(checkins.values()) == {1}, checkins
        weekly = Counter(
            (c.params["channel"], c.token)
            for c in local_slack.calls_to("chat.postMessage")
            if str(c.params.get("channel")).startswith("C0T0")
        )
        assert weekly == Counter({(f"C0{team}", f"xoxb-{team}"): 1 for team in TEAMS})
        # Every message went with its own workspace's token.
        assert {c.token for c in local_slack.calls_to("chat.postMessage")} <= {f"xoxb-{team}" for team in TEAMS}
        print(
            f"\n{len(sends)} signed commands ({RETRIED} of them retries) to 2 processes, {CONCURRENCY} at once: "
            f"{len(sends) / seconds:.0f} commands/s; {sum(checkins.values())} check-ins and "
            f"{sum(weekly.values())} weekly posts delivered; duplicates: 0"
        )
    finally:
        for process in [*webs, clock]:
            if process is not None:
                stop_process(process)
        log.close()
    for process in [*webs, clock]:
        assert process is not None and process.returncode == 0, _read(tmp_path)

    # The clock started again runs every job at once (what it may have missed) and sends nothing twice.
    posted = len(local_slack.calls_to("chat.postMessage"))
    restart_log = tmp_path / "restart.log"
    with restart_log.open("w") as output:
        again = spawn_bot(["scheduler"], tmp_path, output, **env(fresh_url, local_slack, weekday))
        try:
            ran = lambda: restart_log.read_text().count("executed successfully") >= len(JOBS)  # noqa: E731
            assert eventually(ran, timeout=SLOW_START), restart_log.read_text()[-3000:]
        finally:
            stop_process(again)
    assert again.returncode == 0, restart_log.read_text()[-3000:]
    assert len(local_slack.calls_to("chat.postMessage")) == posted


def _read(tmp_path: Path) -> str:
    path = tmp_path / "processes.log"
    return path.read_text()[-4000:] if path.exists() else ""
