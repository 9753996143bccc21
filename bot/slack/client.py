"""The one Web API client configuration: base URL from settings, retries on 429, timeouts."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from config.settings import Settings

API_TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 3


def make_web_client(settings: Settings, token: str | None = None) -> WebClient:
    """Bolt copies base URL, timeout and retry handlers into the client it gives each listener."""
    return WebClient(
        token=token if token is not None else settings.secret("slack_bot_token"),
        base_url=settings.slack_api_url,
        timeout=API_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            # Waits for the Retry-After seconds Slack names before trying again.
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )
