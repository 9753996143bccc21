"""What an operator watches: `/readyz` (database and migrations), `/metrics` (Prometheus, no person in it),
and JSON log lines that carry request, workspace and job but never what people typed."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.app import build_app
from bot.catalogs import load_catalogs
from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database, make_engine
from bot.deps import Deps
from bot.follow_ups import FollowUps
from bot.logs import JsonLines
from bot.metrics import REGISTRY
from bot.migrate import head_revision
from bot.runners.http import create_web_app
from jobs.scheduler import run_job
from tests.conftest import (
    FIXED_NOW,
    SIGNING_SECRET,
    free_port,
    make_settings,
    signed_headers,
    slash_command_body,
    stop_process,
)
from tests.e2e.test_http_server import spawn_serve
from tests.test_migrations import migrated_up_to

SECRET_TEXT = "Vertrauliches Angebot für Kunde Müller"


def web_client(database: Database, slack: LocalSlackApi) -> TestClient:
    deps = Deps(
        settings=make_settings(slack_api_url=slack.url),
        database=database,
        catalogs=load_catalogs(),
        clock=lambda: FIXED_NOW,
        follow_ups=FollowUps(),
    )
    return TestClient(create_web_app(build_app(deps), database, SIGNING_SECRET, clock=lambda: FIXED_NOW))


@pytest.fixture
def web(database: Database, local_slack: LocalSlackApi) -> TestClient:
    local_slack.add_user(SlackUser("U0ANNA", "anna", locale="de-DE"))
    return web_client(database, local_slack)


def command(web: TestClient, text: str) -> None:
    body = slash_command_body(text)
    assert web.post("/slack/events", content=body, headers=signed_headers(body)).status_code == 200


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_ready_at_the_codes_migration(web: TestClient) -> None:
    response = web.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": head_revision()}


def test_not_ready_while_the_schema_is_behind_the_code(tmp_path: Path, local_slack: LocalSlackApi) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'behind.db'}")
    with migrated_up_to(engine, "0011"):
        pass
    web = web_client(Database(engine), local_slack)
    assert web.get("/healthz").status_code == 200  # alive: the database answers
    response = web.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == f"at 0011, code needs {head_revision()}"


def test_metrics_count_requests_commands_and_slack_refusals_without_people(
    web: TestClient, local_slack: LocalSlackApi
) -> None:
    logs_before = sample("kilotse_commands_total", subcommand="log")
    answered_before = sample("kilotse_request_seconds_count", kind="command")
    limited_before = sample("kilotse_slack_errors_total", kind="ratelimited")
    local_slack.fail("users.info", status=429, retry_after=0)
    command(web, "log 45 Angebot mit ChatGPT")
    command(web, "quatsch")
    assert sample("kilotse_commands_total", subcommand="log") == logs_before + 1
    assert sample("kilotse_commands_total", subcommand="unknown") >= 1
    assert sample("kilotse_request_seconds_count", kind="command") == answered_before + 2
    assert sample("kilotse_slack_errors_total", kind="ratelimited") == limited_before + 1
    response = web.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert "kilotse_workspaces 1.0" in text
    assert "U0ANNA" not in text and "T0TEST" not in text and "Angebot" not in text


def test_scheduled_deliveries_are_counted_by_job_and_outcome(database: Database, local_slack: LocalSlackApi) -> None:
    from tests.slack_payloads import bolt_app

    with bolt_app(database, local_slack, community_channel="C0COMMUNITY") as (app, deps):
        body = slash_command_body("log 30 ChatGPT")
        from tests.slack_payloads import dispatch

        dispatch(app, body)
        before = sample("kilotse_deliveries_total", job="weekly_leaderboard", outcome="failed")
        runs_before = sample("kilotse_job_runs_total", job="weekly_leaderboard", outcome="ran")
        local_slack.fail("chat.postMessage", status=200, error="channel_not_found")
        run_job(deps, "weekly_leaderboard", manual=True)
    assert sample("kilotse_deliveries_total", job="weekly_leaderboard", outcome="failed") == before + 1
    assert sample("kilotse_job_runs_total", job="weekly_leaderboard", outcome="ran") == runs_before + 1


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger's records as JSON lines, as `LOG_FORMAT=json` writes them."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_json_log_lines_name_request_and_workspace_never_the_text(web: TestClient, json_log: io.StringIO) -> None:
    body = slash_command_body(f"log 30 {SECRET_TEXT}", trigger_id="1234.5678.trigger")
    for _ in range(2):  # the second is a replay: logged, not handled
        assert web.post("/slack/events", content=body, headers=signed_headers(body)).status_code == 200
    replay = next(line for line in lines(json_log) if "already handled" in str(line["message"]))
    assert replay["team_id"] == "T0TEST" and replay["request_id"] and replay["level"] == "INFO"
    assert SECRET_TEXT not in json_log.getvalue() and "Müller" not in json_log.getvalue()


def test_json_log_lines_of_a_job_name_the_job(
    database: Database, local_slack: LocalSlackApi, json_log: io.StringIO
) -> None:
    from tests.slack_payloads import bolt_app, dispatch

    with bolt_app(database, local_slack, community_channel="C0COMMUNITY") as (app, deps):
        dispatch(app, slash_command_body("log 30 ChatGPT"))
        local_slack.fail("chat.postMessage", status=200, error="channel_not_found")
        run_job(deps, "weekly_leaderboard", manual=True)
    failed = next(line for line in lines(json_log) if "channel_not_found" in str(line["message"]))
    assert failed["job_id"] == "weekly_leaderboard" and failed["team_id"] == "T0TEST"


def test_serve_logs_json_lines_from_start_to_a_clean_stop_on_sigterm(
    tmp_path: Path, local_slack: LocalSlackApi
) -> None:
    import httpx

    from tests.conftest import eventually

    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as output:
        database_url = f"sqlite:///{tmp_path / 'ops.db'}"
        process = spawn_serve(local_slack, database_url, port, tmp_path, output, LOG_FORMAT="json")
        url = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            try:
                return httpx.get(url + "/readyz", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        assert eventually(ready, timeout=120), log_path.read_text()
        assert "kilotse_request_seconds" in httpx.get(url + "/metrics", timeout=5).text
        process.terminate()
        assert process.wait(timeout=60) == 0
        stop_process(process)
    records = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    assert records, "serve wrote no log lines"
    assert any(record["logger"].startswith("uvicorn") for record in records)
    assert records[-1]["message"] == "stopped: the scheduled work and the work after answers are finished"


def test_the_clock_process_stops_cleanly_on_sigterm(tmp_path: Path, local_slack: LocalSlackApi) -> None:
    from tests.conftest import eventually, spawn_bot

    log_path = tmp_path / "clock.log"
    database_url = f"sqlite:///{tmp_path / 'clock.db'}"
    env = {"SLACK_BOT_TOKEN": "xoxb-clock", "SLACK_API_URL": local_slack.url, "DATABASE_URL": database_url}
    with log_path.open("w") as output:
        process = spawn_bot(["scheduler"], tmp_path, output, LOG_FORMAT="json", **env)
        assert eventually(lambda: "Scheduler started" in log_path.read_text(), timeout=120), log_path.read_text()
        process.terminate()
        assert process.wait(timeout=60) == 0
        stop_process(process)
    records = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    assert records[-1]["message"] == "stopped: no job is running"
