"""Production HTTP, served by uvicorn: `POST /slack/events` for Slack; for the platform `GET /healthz` (alive:
the database answers), `GET /readyz` (ready: and its schema is at this code's migration) and `GET /metrics`
(Prometheus, bot/metrics.py).

Bolt's dispatch is synchronous (database work, Slack calls), so it runs on one of `REQUEST_THREADS` threads
of its own: one slow listener never holds up other requests or the health check. It returns with the
listener's answer; the work after the answer runs on the app's follow-up pool (bot/follow_ups.py).

Every request's signature is checked before anything else, and each request is handled once: an event by
its event id, claimed here (Slack's redeliveries carry the same id); a command, click or shortcut by its
trigger id, claimed by the member's turn. A replay is acknowledged with an empty 200 and does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from urllib.parse import parse_qsl

import uvicorn
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.db import Database, check_database
from bot.logs import logging_context
from bot.metrics import REQUEST_SECONDS, WORKSPACES, exposition, request_kind
from bot.migrate import current_revision, head_revision
from bot.runners import REQUEST_THREADS, exit_cleanly
from bot.services.job_ledger import workspace_count
from bot.services.requests import claim_request, event_key, trigger_key
from bot.slack import SLACK_ANSWER_SECONDS
from bot.slack.shapes import well_formed

log = logging.getLogger(__name__)

# Slack's own payloads stay far below this; anything bigger is not from Slack.
MAX_BODY_BYTES = 1_000_000
# How long the replay check may wait for the database; the rest of Slack's window is the listener's.
CLAIM_WAIT_SECONDS = 1.0


def create_web_app(
    bolt_app: App, database: Database, signing_secret: str, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Starlette:
    verifier = SignatureVerifier(signing_secret)
    request_threads = ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="request")
    WORKSPACES.count = partial(workspace_count, database)

    async def slack_events(request: Request) -> Response:
        received_at = time.monotonic()
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return PlainTextResponse("payload too large", status_code=413)
        headers = dict(request.headers)
        if not _signed(verifier, body, headers):
            # Checked here, before Bolt: Bolt's own check logs the whole body of a refused request (people's
            # notes and tips) at INFO, and resets its logger's level when the app is built.
            log.info("refused a request without a valid Slack signature")
            return PlainTextResponse("invalid signature", status_code=401)
        try:
            bolt_request = BoltRequest(
                body=body.decode("utf-8"),
                query=request.url.query,
                headers={key: [value] for key, value in headers.items()},
                # When the request arrived: listeners answer within Slack's window counted from here.
                context={"received_at": received_at},
            )
        except Exception:
            return PlainTextResponse("malformed request", status_code=400)
        _read_form_fields(bolt_request)
        if not well_formed(bolt_request.body):
            return PlainTextResponse("malformed request", status_code=400)
        # An event is claimed here, as it arrives; a command, click or shortcut by the member's turn, together
        # with what it stores (bot/services/requests.py).
        key = event_key(bolt_request.body)
        request_id = key or trigger_key(bolt_request.body) or uuid.uuid4().hex[:16]
        context = {"request_id": request_id, "team_id": team_of(bolt_request.body)}
        with logging_context(**context):
            if key is not None and not await _first_arrival(database, key, clock()):
                log.info("a request already handled arrived again (retry %s); nothing done", _retry_number(headers))
                return Response(status_code=200)
            try:
                window = SLACK_ANSWER_SECONDS - (time.monotonic() - received_at)
                bolt_response = await _answer_within(
                    request_threads, max(window, 0.0), partial(_dispatch, bolt_app, bolt_request, context)
                )
            except _PastWindow:
                # Slack no longer waits (a database that stopped answering, say). The work goes on: past its
                # deadline it stores nothing and tells the person so through the response_url.
                log.warning("no answer within Slack's window; the person is told through the response_url")
                return PlainTextResponse("no answer in time", status_code=503)
            except Exception:
                log.exception("a signed Slack request could not be handled")
                return PlainTextResponse("malformed request", status_code=400)
        REQUEST_SECONDS.labels(kind=request_kind(bolt_request.body)).observe(time.monotonic() - received_at)
        return to_starlette_response(bolt_response)

    async def healthz(_request: Request) -> Response:
        try:
            await run_in_threadpool(check_database, database.engine)
        except Exception as error:
            log.warning("health check: database unavailable (%s)", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    async def readyz(_request: Request) -> Response:
        """Ready for Slack's traffic: the database answers and its schema is the one this code needs."""
        try:
            current = await run_in_threadpool(current_revision, database.engine)
        except Exception as error:
            log.warning("readiness: database unavailable (%s)", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        head = head_revision()
        if current != head:
            return JSONResponse(
                {"status": "unavailable", "database": "ok", "migrations": f"at {current}, code needs {head}"},
                status_code=503,
            )
        return JSONResponse({"status": "ok", "database": "ok", "migrations": head})

    async def install(request: Request) -> Response:
        """Slack's "Add to Slack" page (Bolt's OAuth flow; only when the app is set up for several workspaces)."""
        assert bolt_app.oauth_flow is not None
        bolt_request = _oauth_request(request)
        return to_starlette_response(await run_in_threadpool(bolt_app.oauth_flow.handle_installation, bolt_request))

    async def oauth_redirect(request: Request) -> Response:
        """Where Slack sends the installing person back: the code is exchanged for the workspace's token."""
        assert bolt_app.oauth_flow is not None
        bolt_request = _oauth_request(request)
        return to_starlette_response(await run_in_threadpool(bolt_app.oauth_flow.handle_callback, bolt_request))

    async def metrics(_request: Request) -> Response:
        body, content_type = await run_in_threadpool(exposition)
        return Response(body, media_type=content_type)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        # uvicorn has stopped taking requests and answered those in flight. Dispatches that are still running
        # (past Slack's window, answered 503) or queued finish here, before serve() returns and the caller
        # shuts the follow-up pool down: what they hand over to it is still done.
        await asyncio.get_running_loop().run_in_executor(None, partial(request_threads.shutdown, wait=True))

    return Starlette(
        lifespan=lifespan,
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            *(
                [
                    Route(bolt_app.oauth_flow.install_path, install, methods=["GET"]),
                    Route(bolt_app.oauth_flow.redirect_uri_path, oauth_redirect, methods=["GET"]),
                ]
                if bolt_app.oauth_flow is not None
                else []
            ),
        ],
    )


def _oauth_request(request: Request) -> BoltRequest:
    return BoltRequest(
        body="", query=request.url.query, headers={key: [value] for key, value in request.headers.items()}
    )


async def _answer_within(
    request_threads: ThreadPoolExecutor, window: float, dispatch: Callable[[], BoltResponse]
) -> BoltResponse:
    """The dispatch's answer, run on a request thread; `_PastWindow` once `window` seconds have passed, while the
    dispatch goes on (a failure after that is logged). The thread hands its answer to the event loop in one
    step: `run_in_executor` under `wait_for` and `shield` took four turns of the loop to pass it on, 0.18 ms
    of every answer (measured in process, for `/ki` help)."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[BoltResponse] = loop.create_future()

    def run() -> None:
        outcome: BoltResponse | BaseException
        try:
            outcome = dispatch()
        except BaseException as error:  # passed on as it is, as run_in_executor does
            outcome = error
        settled = partial(_settle, answer, outcome)
        try:
            loop.call_soon_threadsafe(settled)
        except RuntimeError:  # the event loop has closed: nobody waits for the answer any more
            settled()

    request_threads.submit(run)
    timer = loop.call_later(window, _time_out, answer)
    try:
        return await answer
    finally:
        timer.cancel()


def _settle(answer: asyncio.Future[BoltResponse], outcome: BoltResponse | BaseException) -> None:
    if answer.done():  # answered 503 already, or the client went away
        if isinstance(outcome, BaseException):
            log.error("a signed Slack request could not be handled", exc_info=outcome)
    elif isinstance(outcome, BaseException):
        answer.set_exception(outcome)
    else:
        answer.set_result(outcome)


class _PastWindow(TimeoutError):
    """Slack's window has passed (not a timeout inside the dispatch, which is a failure like any other)."""


def _time_out(answer: asyncio.Future[BoltResponse]) -> None:
    if not answer.done():
        answer.set_exception(_PastWindow())


def _dispatch(bolt_app: App, request: BoltRequest, context: dict[str, str | None]) -> BoltResponse:
    """Bolt's dispatch in a worker thread, which does not inherit the request's logging context."""
    with logging_context(**context):
        return bolt_app.dispatch(request)


def team_of(body: dict[str, object]) -> str | None:
    """The workspace a request comes from, for the logs."""
    team = body.get("team_id") or body.get("team")
    if isinstance(team, dict):
        team = team.get("id")
    return str(team) if team else None


def _signed(verifier: SignatureVerifier, body: bytes, headers: dict[str, str]) -> bool:
    """A missing, stale or unreadable timestamp or signature is simply unsigned."""
    try:
        return verifier.is_valid_request(body, headers)
    except (ValueError, TypeError, UnicodeError):
        return False


async def _first_arrival(database: Database, key: str, now: datetime) -> bool:
    """Whether to handle the request. Without a timely answer from the database it is handled: the listener
    then finds the database unavailable and says that nothing was stored."""
    try:
        return await asyncio.wait_for(run_in_threadpool(claim_request, database, key, now), CLAIM_WAIT_SECONDS)
    except (SQLAlchemyError, TimeoutError) as error:
        log.warning("could not record a request as handled (%s)", type(error).__name__)
        return True


def _read_form_fields(request: BoltRequest) -> None:
    """Bolt reads a form body that merely contains the word "payload" (a command's text may) as an
    interactivity payload and finds nothing; such a body is read as the form it is."""
    if request.body != {} or request.raw_body.startswith("{"):
        return  # read already (the form is read again only when Bolt found nothing in it)
    fields = dict(parse_qsl(request.raw_body, keep_blank_values=True))
    if fields and "payload" not in fields:
        request.body = fields
        request.context = build_context(request.context, fields)


def _retry_number(headers: dict[str, str]) -> str:
    return headers.get("x-slack-retry-num", "0")[:8]


# On SIGTERM the server stops taking requests and gives those in flight this long to be answered.
SHUTDOWN_GRACE_SECONDS = 25


def serve(bolt_app: App, database: Database, signing_secret: str, host: str, port: int) -> None:
    """Until SIGTERM or SIGINT; uvicorn's own records go through the bot's log handlers (`log_config=None`),
    so `LOG_FORMAT=json` holds for them too."""
    web_app = create_web_app(bolt_app, database, signing_secret)
    # uvicorn answers SIGTERM by finishing the requests in flight, then raises the signal again for the
    # handler that was there before: this one ends the process through SystemExit, so that the caller's
    # clean-up (the scheduler's current job, the follow-up work) runs and the exit code is 0.
    signal.signal(signal.SIGTERM, exit_cleanly)
    uvicorn.run(
        web_app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )
