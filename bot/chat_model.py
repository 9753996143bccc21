"""The one client for the prompt coach's language model: an OpenAI-compatible `/chat/completions` endpoint
(a self-hosted server or an EU-hosted provider), with a timeout, bounded retries, and failures turned into
one error whose `reason` the person is told in words."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bot.domain.coach import Unavailable
from config.settings import Settings

log = logging.getLogger(__name__)

# Attempts in all: a refused connection or a 429/5xx is tried again, after a short wait each time.
ATTEMPTS = 3
RETRY_WAIT_SECONDS = (0.5, 1.5)
# A Retry-After longer than this is not waited for: the person would rather hear "try later" now.
MAX_RETRY_AFTER_SECONDS = 5.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ModelUnavailable(Exception):
    def __init__(self, reason: Unavailable, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason


@dataclass(frozen=True)
class ChatModel:
    url: str
    model: str
    api_key: str | None
    timeout_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> ChatModel:
        if settings.coach_api_url is None or not settings.coach_model:
            raise ValueError("the coach is not configured")
        return cls(
            settings.coach_api_url,
            settings.coach_model,
            settings.secret("coach_api_key"),
            settings.coach_timeout_seconds,
        )

    @property
    def host(self) -> str:
        return httpx.URL(self.url).host

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The model's reply to `messages`; ModelUnavailable when there is none to be had."""
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {"model": self.model, "messages": messages, "temperature": 0.2}
        with httpx.Client(timeout=self.timeout_seconds, headers=headers) as client:
            for attempt in range(ATTEMPTS):
                last = attempt == ATTEMPTS - 1
                try:
                    response = client.post(f"{self.url}/chat/completions", json=body)
                except httpx.TimeoutException as error:
                    # A slow model is not asked again: the person has waited long enough.
                    raise ModelUnavailable(Unavailable.TIMEOUT, type(error).__name__) from None
                except httpx.TransportError as error:
                    if last:
                        raise ModelUnavailable(Unavailable.UNREACHABLE, type(error).__name__) from None
                    time.sleep(RETRY_WAIT_SECONDS[attempt])
                    continue
                if response.status_code in RETRY_STATUSES and not last:
                    wait = _retry_after(response) or RETRY_WAIT_SECONDS[attempt]
                    if wait <= MAX_RETRY_AFTER_SECONDS:
                        time.sleep(wait)
                        continue
                if response.status_code >= 400:
                    log.warning("coach model answered HTTP %s", response.status_code)
                    raise ModelUnavailable(Unavailable.REFUSED, f"HTTP {response.status_code}")
                return _content(response)
        raise ModelUnavailable(Unavailable.UNREACHABLE)  # pragma: no cover - the loop always returns or raises


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def _content(response: httpx.Response) -> str:
    try:
        data: Any = response.json()
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise ModelUnavailable(Unavailable.MALFORMED, "not a chat completion") from None
    if not isinstance(content, str) or not content.strip():
        raise ModelUnavailable(Unavailable.MALFORMED, "empty content")
    return content
