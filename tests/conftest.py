"""Shared fixtures: databases (SQLite and PostgreSQL), settings, a loopback Slack, signed requests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import settings as hypothesis_settings
from slack_bolt import App
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine, create_engine, delete, text

from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database, make_engine
from bot.deps import Deps
from bot.i18n import Translator
from bot.migrate import upgrade_to_head
from bot.models import Base
from config.settings import Settings
from tests.fake_chat_model import FakeChatModel

REPO_ROOT = Path(__file__).resolve().parent.parent

# In CI the property tests draw the same examples every run, so a submission passes or fails on its own
# code, not on the luck of the draw; locally each run explores new examples (and keeps what failed).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI", "").lower() == "true":
    hypothesis_settings.load_profile("ci")
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
TEAM = "T0TEST"
# Thursday 26 November 2026, 10:00 in Berlin.
FIXED_NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, scope="session")
def strict_messages() -> Iterator[None]:
    """A message key missing from a catalog fails the test that reaches it, instead of showing the key."""
    Translator.strict = True
    yield
    Translator.strict = False


def _postgres_reachable(url: str) -> str | None:
    try:
        engine = create_engine(Settings(database_url=url, _env_file=None).sqlalchemy_url)  # type: ignore[call-arg]
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL with a schema of its own, so parallel runs and leftovers never collide."""
    problem = _postgres_reachable(PG_URL)
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {problem}")
    schema = f"t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(Settings(database_url=PG_URL, _env_file=None).sqlalchemy_url)  # type: ignore[call-arg]
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def make_settings(database_url: str = "sqlite://", **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_bot_token": "xoxb-test",
        "admin_user_ids": "UADMIN",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'ki-lotse-test.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(make_settings(database_url).sqlalchemy_url)
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def database(migrated_engine: Engine) -> Iterator[Database]:
    """A migrated, empty database (SQLite and PostgreSQL); emptied again after the test."""
    yield Database(migrated_engine)
    with migrated_engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture
def db_backend(migrated_engine: Engine) -> str:
    return migrated_engine.dialect.name


@pytest.fixture
def chat_model() -> Iterator[FakeChatModel]:
    """A loopback chat-completions endpoint for the prompt coach."""
    fake = FakeChatModel()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def local_slack() -> Iterator[LocalSlackApi]:
    api = LocalSlackApi(team_id=TEAM)
    api.start()
    yield api
    api.stop()


@pytest.fixture
def slack_users() -> dict[str, str]:
    """The people the fake Slack knows for `bolt` (user id: locale); a test module overrides this fixture."""
    return {}


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    """The settings `bolt` starts the app with; a test module overrides this fixture with its channels,
    admins and group size."""
    return {}


@pytest.fixture
def bolt(
    database: Database, local_slack: LocalSlackApi, slack_users: dict[str, str], bolt_settings: dict[str, object]
) -> Iterator[tuple[App, Deps]]:
    """The production app and its Deps on the test database, talking to the fake Slack; afterwards,
    everything it sent must be valid and match Slack's reference."""
    # Imported here: tests.slack_payloads imports this module.
    from tests.slack_payloads import bolt_app, check_everything_sent

    for user, locale in slack_users.items():
        local_slack.add_user(SlackUser(user, user.lower(), locale=locale))
    with bolt_app(database, local_slack, **bolt_settings) as app_and_deps:
        yield app_and_deps
    check_everything_sent(local_slack)


@pytest.fixture
def app(bolt: tuple[App, Deps]) -> App:
    """The app of `bolt`, for a test that does not need its Deps."""
    return bolt[0]


def bot_env(**extra: str) -> dict[str, str]:
    """The environment for running `python -m bot` in a test: none of the developer's Slack or database
    settings leak in; `extra` sets what the test needs."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_URL", "PORT", "ADMIN_USER_IDS", "CATALOG_DIR", "COACH_"))
    }
    return {**keep, "PYTHONPATH": str(REPO_ROOT), **extra}


def spawn_bot(args: list[str], cwd: Path, output: IO[str], **env: str) -> subprocess.Popen[str]:
    """`python -m bot …` running in the background, its log in `output`; stop it with `stop_process`."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=bot_env(**env),
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_bot(args: list[str], cwd: Path, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=bot_env(**env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def eventually(condition: Callable[[], bool], timeout: float = 60) -> bool:
    """Waits for work done elsewhere (a listener thread, a server or scheduler process, the fake Slack);
    the timeout only guards against a hang, so a busy machine can take long without failing the test."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def free_port() -> int:
    """A loopback port nothing listens on, for a server process a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process(process: subprocess.Popen[Any]) -> None:
    """Asks a server process a test started to stop; kills it if it has not within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def signed_headers(body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers exactly as Slack signs a request (v0 HMAC-SHA256 over `v0:timestamp:body`)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
    }


def slash_command_body(
    text: str,
    user: str = "U0ANNA",
    team: str = TEAM,
    command: str = "/ki",
    response_url: str = "https://hooks.slack.invalid/commands/1",
    trigger_id: str | None = None,
) -> str:
    return urlencode(
        {
            "token": "verification-token-unused",
            "team_id": team,
            "team_domain": "firma",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0KILOTSE",
            "is_enterprise_install": "false",
            "response_url": response_url,
            # Unique like Slack's: a request with a trigger id seen before is a replay.
            "trigger_id": trigger_id or f"{time.time_ns()}.42.abcdef",
        }
    )
