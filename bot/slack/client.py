"""The one Web API client configuration: base URL from settings, retries, timeouts.

What is retried: an answer 429 (after the Retry-After Slack names) and a 5xx answer (with backoff) —
Slack did not do the call. A dropped connection or a timeout is different: Slack may have processed the
call before the connection broke, so only calls that change nothing when repeated (reading, opening the
same DM, replacing a message or view) are retried; a post never is. Its caller learns that the outcome is
unknown (`outcome_unknown`) and says so instead of sending again.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlparse

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.metrics import SLACK_ERRORS
from config.settings import Settings

log = logging.getLogger(__name__)

API_TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 1
# A patient client (scheduled fan-outs, files and messages sent after the answer) waits out rate limits and
# server errors this long per message before it gives up on it (the admins' schedule view then lists it).
PATIENT_RETRY_BUDGET_SECONDS = 300

# Doing these twice has the same effect as doing them once.
REPEATABLE_METHODS = frozenset(
    {
        "auth.test",
        "users.info",
        "conversations.open",
        "chat.update",
        "views.publish",
        "views.update",
        "files.getUploadURLExternal",
    }
)


def api_method(url: str) -> str:
    return urlparse(url).path.rsplit("/", 1)[-1]


def reaction_count(client: WebClient, channel: str, ts: str) -> int:
    """How many reactions a message of the bot has (all emoji together); 0 when Slack cannot say. Only the
    count is used: who reacted is neither read further nor kept."""
    try:
        message = client.reactions_get(channel=channel, timestamp=ts)["message"]
    except (SlackApiError, SlackClientError, OSError, KeyError, TypeError) as error:
        log.warning("reactions.get failed: %s", type(error).__name__)
        return 0
    return sum(int(reaction.get("count") or 0) for reaction in message.get("reactions") or [])


def outcome_unknown(error: BaseException) -> bool:
    """True when a call failed without an answer from Slack (connection dropped, timed out): it may have
    been processed. A Slack answer, even an error, is a definite outcome."""
    return isinstance(error, OSError)


class RepeatableConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """Retries a dropped connection only for calls that change nothing when repeated."""

    def _can_retry(self, **attempt: Any) -> bool:
        # `attempt`: Slack SDK's state, request, response and error of the call, passed on as they came.
        return api_method(attempt["request"].url) in REPEATABLE_METHODS and super()._can_retry(**attempt)


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """Slack's 5xx answers (500, 502, 503, 504 …): the call was not done; try again after a backoff."""

    def _can_retry(self, **attempt: Any) -> bool:
        response: HttpResponse | None = attempt.get("response")
        return response is not None and 500 <= response.status_code < 600


class CappedBackoff(BackoffRetryIntervalCalculator):
    def __init__(self, cap_seconds: float) -> None:
        super().__init__(backoff_factor=0.5)
        self.cap_seconds = cap_seconds

    def calculate_sleep_duration(self, current_attempt: int) -> float:
        return float(min(super().calculate_sleep_duration(current_attempt), self.cap_seconds))


class WithinBudget(RetryHandler):
    """Wraps a retry handler so that it retries until `budget_seconds` after the call's first attempt
    instead of a fixed number of times: a rate-limit storm is waited out as long as the message is still
    worth sending."""

    def __init__(self, inner: RetryHandler, budget_seconds: float) -> None:
        super().__init__(max_retry_count=0, interval_calculator=inner.interval_calculator)
        self.inner = inner
        self.budget_seconds = budget_seconds

    def can_retry(self, **attempt: Any) -> bool:
        state: RetryState = attempt["state"]
        values: dict[str, Any] = state.custom_values if state.custom_values is not None else {}
        state.custom_values = values
        started = values.setdefault("started", time.monotonic())
        if time.monotonic() - started >= self.budget_seconds:
            return False
        return self.inner._can_retry(**attempt)

    def prepare_for_next_attempt(self, **attempt: Any) -> None:
        self.inner.prepare_for_next_attempt(**attempt)


class CountsSlackErrors(RetryHandler):
    """Retries nothing: it comes first and counts each 429 and 5xx answer for the metrics, then the handlers
    after it decide whether to try again."""

    def __init__(self) -> None:
        super().__init__(max_retry_count=0)

    def can_retry(self, **attempt: Any) -> bool:
        response: HttpResponse | None = attempt.get("response")
        if response is not None and response.status_code == 429:
            SLACK_ERRORS.labels(kind="ratelimited").inc()
        elif response is not None and response.status_code >= 500:
            SLACK_ERRORS.labels(kind="server_error").inc()
        return False


def interactive_retries() -> list[RetryHandler]:
    """For answers to people: a short wait at most."""
    return [
        CountsSlackErrors(),
        RepeatableConnectionErrorRetryHandler(max_retry_count=1),
        # Waits for the Retry-After seconds Slack names before trying again.
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        AnyServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def patient_retries(budget_seconds: float) -> list[RetryHandler]:
    """For scheduled deliveries: rate limits and server errors are retried for up to `budget_seconds`."""
    return [
        CountsSlackErrors(),
        RepeatableConnectionErrorRetryHandler(max_retry_count=2),
        WithinBudget(RateLimitErrorRetryHandler(), budget_seconds),
        WithinBudget(AnyServerErrorRetryHandler(interval_calculator=CappedBackoff(30)), budget_seconds),
    ]


def make_web_client(settings: Settings, token: str | None = None, *, patient: bool = False) -> WebClient:
    """The client of the app (Bolt copies base URL, timeout and retry handlers into the client it gives each
    listener), and with `patient` the one for messages nobody waits on: scheduled jobs, and what a
    listener sends after it answered."""
    return WebClient(
        token=token if token is not None else settings.secret("slack_bot_token"),
        base_url=settings.slack_api_url,
        timeout=API_TIMEOUT_SECONDS,
        retry_handlers=patient_retries(PATIENT_RETRY_BUDGET_SECONDS) if patient else interactive_retries(),
    )
