"""`python -m bot [console | socket | serve | migrate | scheduler | docs]`; without a mode it picks one from
the configuration: Socket Mode with an app token, HTTP with a bot token, else the console."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from bot.app import build_app
from bot.catalogs import Catalogs, load_catalogs
from bot.db import Database, make_engine
from bot.deps import Deps
from bot.domain.catalog_files import CatalogError
from bot.follow_ups import SETTLE_SECONDS, FollowUps
from bot.logs import formatter
from bot.migrate import upgrade_to_head
from bot.runners import REQUEST_THREADS
from bot.services import privacy, workspace_settings
from bot.slack.installations import installation_store
from config.settings import ConfigError, Settings, load_settings
from jobs import JOB_THREADS

# Prompt-coach answers waited for at once; more wait their turn (the daily limit bounds them).
COACH_THREADS = 4
if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store import InstallationStore

EXIT_CONFIG = 2
EXIT_UNAVAILABLE = 1
log = logging.getLogger("bot")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="KI-Lotse, the AI community Slack bot.")
    modes = parser.add_subparsers(dest="mode")
    console = modes.add_parser("console", help="local console workspace (no Slack needed)")
    console.add_argument("--user", default="max", help="act as this colleague (default: max)")
    console.add_argument("--script", type=Path, help="run the commands in FILE, one per line")
    console.add_argument(
        "--locale", help="Slack locale of console users, e.g. de-DE or en-US; the console speaks its language too"
    )
    console.add_argument(
        "--admin",
        action="append",
        metavar="NAME",
        help="console user allowed to use admin commands (repeatable; default: --user)",
    )
    modes.add_parser("socket", help="connect to Slack in Socket Mode (needs SLACK_APP_TOKEN)")
    serve = modes.add_parser("serve", help="serve Slack's HTTP requests with uvicorn")
    serve.add_argument("--port", type=int, help="port (default: PORT, else 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default: 0.0.0.0)")
    modes.add_parser("migrate", help="apply database migrations and exit")
    modes.add_parser("scheduler", help="run the scheduled jobs as a separate clock process")
    erase = modes.add_parser(
        "erase-workspace", help="erase every row of one workspace, its settings and its tokens (cannot be undone)"
    )
    erase.add_argument("team_id", help="the workspace's Slack id (T…), as the logs and /metrics name it")
    erase.add_argument("--yes", action="store_true", help="confirm: without it nothing is erased")
    docs = modes.add_parser("docs", help="write documents generated from the running configuration")
    docs.add_argument("pack", choices=["betriebsrat"], help="betriebsrat: the works-council pack (German)")
    docs.add_argument("--out", type=Path, default=Path("betriebsrat"), help="folder to write to (default: betriebsrat)")
    return parser.parse_args(argv)


def choose_mode(settings: Settings) -> str:
    if settings.slack_bot_token and settings.slack_app_token:
        return "socket"
    if settings.slack_bot_token or settings.oauth_enabled:
        return "serve"
    return "console"


def require(settings: Settings, mode: str) -> None:
    """Modes that talk to Slack need their secrets; name the first one missing."""
    serve = ["slack_signing_secret"] if settings.oauth_enabled else ["slack_bot_token", "slack_signing_secret"]
    needed = {"socket": ["slack_bot_token", "slack_app_token"], "serve": serve}
    for name in needed.get(mode, []):
        if not settings.secret(name):
            raise ConfigError(name.upper(), f"is required for {'Socket Mode' if mode == 'socket' else 'HTTP mode'}")
    app_token = settings.secret("slack_app_token")
    if mode == "socket" and app_token and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN", "must be an app-level token starting with xapp-")


class WithoutBoltChatter(logging.Filter):
    """Drops Bolt's records below WARNING. They print request bodies (people's notes, tips, retro answers):
    a refused signature at INFO, skipped self-events and listener arguments at DEBUG. A level set on Bolt's
    loggers does not hold, since Bolt sets them again when the app is built; a filter on the handlers does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not record.name.startswith("slack_bolt")


def configure_logging(mode: str, log_format: str = "text") -> None:
    logging.basicConfig(level=logging.WARNING if mode == "console" else logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter(log_format))
        handler.addFilter(WithoutBoltChatter())


def connections_at_once(settings: Settings) -> int:
    """Slack's requests, the work after their answers, the prompt coach, the workspace settings' reads, the
    scheduled jobs, and one for the health check. The short rest (an event's replay check, `/readyz`, a job's
    lease renewal) is served by the pool's overflow (10 more, closed again when returned)."""
    threads = REQUEST_THREADS + settings.follow_up_threads + COACH_THREADS + workspace_settings.READ_THREADS
    return threads + JOB_THREADS + 1


def prepare(settings: Settings) -> tuple[Database, Catalogs]:
    catalogs = load_catalogs(settings.catalog_dir)
    database = Database(make_engine(settings.sqlalchemy_url, connections=connections_at_once(settings)))
    upgrade_to_head(database.engine)
    return database, catalogs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = load_settings()
        if getattr(args, "port", None) is not None:
            settings = load_settings(port=args.port)
        mode = args.mode or choose_mode(settings)
        require(settings, mode)
    except ConfigError as error:
        print(f"configuration error: {error.variable} {error.problem}", file=sys.stderr)
        return EXIT_CONFIG
    if mode == "docs":
        return write_docs(settings, args.out)
    configure_logging(mode, settings.log_format)
    try:
        database, catalogs = prepare(settings)
    except CatalogError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except SQLAlchemyError as error:
        print(
            f"database unavailable ({settings.sqlalchemy_url.render_as_string()}): {error.__class__.__name__}: "
            f"{str(error.orig if hasattr(error, 'orig') else error).strip().splitlines()[0]}",
            file=sys.stderr,
        )
        return EXIT_UNAVAILABLE
    try:
        return run_mode(mode, args, settings, database, catalogs)
    finally:
        database.dispose()


def write_docs(settings: Settings, folder: Path) -> int:
    """Needs no database and no Slack: the documents describe the configuration, not the data."""
    from bot.docs.pack import ManifestMissing, works_council_pack, write_pack

    try:
        pack = works_council_pack(settings, load_catalogs(settings.catalog_dir), settings.admin_user_ids)
    except (CatalogError, ManifestMissing) as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    for path in write_pack(pack, folder):
        print(path)
    return 0


def installations_of(settings: Settings, database: Database) -> InstallationStore | None:
    """Each workspace's token (Slack's OAuth install); None: SLACK_BOT_TOKEN serves the one workspace."""
    if settings.slack_client_id and settings.oauth_enabled:
        return installation_store(settings.slack_client_id, database.engine)
    return None


def erase_workspace(database: Database, team_id: str, confirmed: bool) -> int:
    if not confirmed:
        print(f"nothing erased: add --yes to erase workspace {team_id} for good", file=sys.stderr)
        return EXIT_CONFIG
    removed = privacy.erase_workspace(database, team_id)
    print(f"workspace {team_id} erased: {removed} rows removed" if removed else f"workspace {team_id}: nothing stored")
    return 0


def run_mode(mode: str, args: argparse.Namespace, settings: Settings, database: Database, catalogs: Catalogs) -> int:
    if mode == "migrate":
        print("database is up to date")
        return 0
    if mode == "erase-workspace":
        return erase_workspace(database, args.team_id, args.yes)
    if mode == "scheduler":
        from jobs.scheduler import run_clock_process

        # With several workspaces each job acts with its workspace's token, as the web processes do.
        run_clock_process(
            Deps(
                settings=settings,
                database=database,
                catalogs=catalogs,
                installations=installations_of(settings, database),
            )
        )
        return 0
    if mode == "console":
        from bot.runners.console import ConsoleSession, run_console

        session = ConsoleSession(
            args.user if args.mode else "max",
            getattr(args, "script", None),
            getattr(args, "locale", None),
            tuple(getattr(args, "admin", None) or ()),
        )
        run_console(settings, database, catalogs, session)
        return 0
    deps = Deps(
        settings=settings,
        database=database,
        catalogs=catalogs,
        follow_ups=FollowUps.pooled(settings.follow_up_threads, SETTLE_SECONDS),
        coach_calls=FollowUps.pooled(COACH_THREADS) if settings.coach_enabled else None,
        installations=installations_of(settings, database),
    )
    try:
        app = build_app(deps)  # checks the bot token with auth.test
    except BoltError as error:
        print(f"configuration error: SLACK_BOT_TOKEN was refused by Slack ({error})", file=sys.stderr)
        return EXIT_CONFIG
    except (SlackClientError, OSError) as error:
        print(f"slack unreachable at {settings.slack_api_url}: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    from jobs.scheduler import start_in_process

    scheduler = start_in_process(deps)
    code: int | str | None = 1
    try:
        code = serve_until_stopped(mode, args, settings, app, database)
        return code
    except SystemExit as stop:  # SIGTERM (bot/runners/http.py)
        code = stop.code
        raise
    finally:
        # The current job finishes its delivery, and the work after answers already given is done.
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        deps.follow_ups.shutdown()
        if deps.coach_calls is not None:
            deps.coach_calls.shutdown()
        if not code:  # after a refusal at start, its one line stays the last one
            log.info("stopped: the scheduled work and the work after answers are finished")


def serve_until_stopped(mode: str, args: argparse.Namespace, settings: Settings, app: App, database: Database) -> int:
    if mode == "socket":
        from bot.runners.socket import run_socket_mode

        try:
            run_socket_mode(app, settings.secret("slack_app_token") or "")
        except SlackApiError as error:
            reason = error.response.get("error") if error.response else error
            print(f"configuration error: SLACK_APP_TOKEN was refused by Slack ({reason})", file=sys.stderr)
            return EXIT_CONFIG
        return 0
    from bot.runners.http import serve

    serve(
        app,
        database,
        settings.secret("slack_signing_secret") or "",
        host=getattr(args, "host", "0.0.0.0"),
        port=settings.port,
    )
    return 0
