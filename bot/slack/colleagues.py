"""The names of a workspace's people (users.list), which the prompt coach refuses to send to a language model.
Kept in memory for an hour and never stored: the bot asks Slack again rather than keep a list of names."""

from __future__ import annotations

import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain.coach import names_of

NAMES_TTL_SECONDS = 3600
PAGE_SIZE = 200


class NamesUnknown(Exception):
    """Slack did not say who works here: without the names, nothing may be sent."""


class ColleagueNames:
    def __init__(self, ttl_seconds: float = NAMES_TTL_SECONDS) -> None:
        self._ttl = ttl_seconds
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def names(self, client: WebClient, team_id: str) -> frozenset[str]:
        with self._lock:
            cached = self._cache.get(team_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        names = frozenset(self._fetch(client))
        with self._lock:
            self._cache[team_id] = (time.monotonic() + self._ttl, names)
        return names

    @staticmethod
    def _fetch(client: WebClient) -> set[str]:
        names: set[str] = set()
        cursor: str | None = None
        try:
            while True:
                page = client.users_list(limit=PAGE_SIZE, cursor=cursor)
                for user in page.get("members") or []:
                    if user.get("is_bot") or user.get("id") == "USLACKBOT":
                        continue
                    profile = user.get("profile") or {}
                    names |= names_of(profile.get("real_name") or user.get("real_name"), profile.get("display_name"))
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if cursor is None:
                    return names
        except (SlackApiError, SlackClientError, OSError) as error:
            raise NamesUnknown(type(error).__name__) from None
