"""Slack profiles (locale, time zone) from users.info, cached so that Slack is asked rarely."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.services.members import SlackProfile

log = logging.getLogger(__name__)

PROFILE_TTL_SECONDS = 24 * 3600
FAILED_LOOKUP_TTL_SECONDS = 300
# A reply must leave well inside Slack's 3 seconds; a slower users.info finishes in the background
# and fills the cache for the next request.
LOOKUP_WAIT_SECONDS = 1.0


class ProfileDirectory:
    def __init__(self, wait_seconds: float = LOOKUP_WAIT_SECONDS) -> None:
        self._wait_seconds = wait_seconds
        self._cache: dict[tuple[str, str], tuple[float, SlackProfile | None]] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="users-info")

    def lookup(self, client: WebClient, team_id: str, user_id: str) -> SlackProfile | None:
        key = (team_id, user_id)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        future = self._executor.submit(self._fetch, client, key)
        try:
            return future.result(timeout=self._wait_seconds)
        except FutureTimeout:
            log.warning("users.info slower than %.1fs; answering without the profile", self._wait_seconds)
            return None

    def _fetch(self, client: WebClient, key: tuple[str, str]) -> SlackProfile | None:
        profile: SlackProfile | None
        try:
            user = client.users_info(user=key[1], include_locale=True)["user"]
            profile = SlackProfile(
                locale=user.get("locale"), timezone=user.get("tz"), deleted=bool(user.get("deleted"))
            )
            ttl = PROFILE_TTL_SECONDS
        except (SlackApiError, SlackClientError, KeyError, TypeError) as error:
            log.warning("users.info failed for a member: %s", type(error).__name__)
            profile, ttl = None, FAILED_LOOKUP_TTL_SECONDS
        with self._lock:
            self._cache[key] = (time.monotonic() + ttl, profile)
        return profile
