"""Production HTTP: `POST /slack/events` for Slack, `GET /healthz` for the platform, served by uvicorn.

Bolt's dispatch is synchronous (database work, Slack calls), so it runs in a worker thread: one slow
listener never holds up other requests or the health check.
"""

from __future__ import annotations

import logging

import uvicorn
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.db import Database, check_database

log = logging.getLogger(__name__)

# Slack's own payloads stay far below this; anything bigger is not from Slack.
MAX_BODY_BYTES = 1_000_000


def create_web_app(bolt_app: App, database: Database, signing_secret: str) -> Starlette:
    verifier = SignatureVerifier(signing_secret)

    async def slack_events(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return PlainTextResponse("payload too large", status_code=413)
        if not _signed(verifier, body, dict(request.headers)):
            # Checked here, before Bolt: Bolt's own check logs the whole body of a refused request (people's
            # notes and tips) at INFO, and resets its logger's level when the app is built.
            log.info("refused a request without a valid Slack signature")
            return PlainTextResponse("invalid signature", status_code=401)
        try:
            bolt_request = BoltRequest(
                body=body.decode("utf-8"),
                query=request.url.query,
                headers={key: [value] for key, value in request.headers.items()},
            )
        except Exception:
            # Bolt checks signatures once the body is parsed; a body it cannot parse is checked here,
            # so that an unsigned one is still told 401. Slack only ever sends UTF-8.
            return PlainTextResponse(*_unparsable(verifier, body, dict(request.headers)))
        try:
            bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        except Exception:
            log.exception("a signed Slack request could not be handled")
            return PlainTextResponse("malformed request", status_code=400)
        return to_starlette_response(bolt_response)

    async def healthz(_request: Request) -> Response:
        try:
            await run_in_threadpool(check_database, database.engine)
        except Exception as error:
            log.warning("health check: database unavailable (%s)", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def _signed(verifier: SignatureVerifier, body: bytes, headers: dict[str, str]) -> bool:
    try:
        return verifier.is_valid_request(body, headers)
    except UnicodeDecodeError:
        return False


def _unparsable(verifier: SignatureVerifier, body: bytes, headers: dict[str, str]) -> tuple[str, int]:
    return ("malformed request", 400) if _signed(verifier, body, headers) else ("invalid signature", 401)


def serve(bolt_app: App, database: Database, signing_secret: str, host: str, port: int) -> None:
    web_app = create_web_app(bolt_app, database, signing_secret)
    uvicorn.run(web_app, host=host, port=port, log_level="info", access_log=False, server_header=False)
