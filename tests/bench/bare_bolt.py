"""The baseline for the serving benchmarks: a bare slack-bolt `AsyncApp` with `process_before_response=True`
whose only listener acknowledges `/ki`, served the same way as KI-Lotse (Starlette under uvicorn,
`GET /healthz`). Whatever KI-Lotse takes beyond
this is its own. Like KI-Lotse it asks Slack who it is (`auth.test`, once) at the `SLACK_API_URL` it is given.

`build(…, answer_log)` is the same app with one difference: a `/ki log …` is answered with what `answer_log`
returns (floor_bolt.py).

`SLACK_API_URL=… python -m tests.bench.bare_bolt PORT SIGNING_SECRET`
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def build(signing_secret: str, answer_log: Callable[[dict[str, Any]], Awaitable[str]] | None = None) -> Starlette:
    app = AsyncApp(
        signing_secret=signing_secret,
        client=AsyncWebClient(token="xoxb-bare", base_url=os.environ.get("SLACK_API_URL", AsyncWebClient.BASE_URL)),
        process_before_response=True,
    )

    @app.command("/ki")
    async def acknowledge(ack: AsyncAck, command: dict[str, Any]) -> None:
        if answer_log is not None and str(command.get("text", "")).startswith("log "):
            await ack(text=await answer_log(command))
        else:
            await ack(text="ok")

    handler = AsyncSlackRequestHandler(app)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/slack/events", events, methods=["POST"]), Route("/healthz", healthz)])


if __name__ == "__main__":
    port, secret = int(sys.argv[1]), sys.argv[2]
    uvicorn.run(build(secret), host="127.0.0.1", port=port, log_level="warning", access_log=False)
