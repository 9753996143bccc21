"""The workspace's people as Slack lists them (users.list): their names, which the prompt coach refuses to send
to a language model (kept in memory for an hour and never stored: the bot asks Slack again rather than keep a
list of names), and who works here, for what goes to everyone, including people the bot has not met yet."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain.coach import names_of

NAMES_TTL_SECONDS = 3600
PAGE_SIZE = 200


class NamesUnknown(Exception):
    """Slack did not say who works here: without the names, nothing may be sent."""


@dataclass(frozen=True)
class Colleague:
    slack_user_id: str
    # Slack's locale for them (`de-DE`), when Slack said.
    locale: str | None


def colleagues(client: WebClient) -> list[Colleague]:
    """The people who work in the workspace: not bots or Slackbot, not deactivated accounts, not guests
    (single- and multi-channel guests are outside the company), not people invited who have not joined yet.
    Raises NamesUnknown when Slack does not say."""
    left_out = ("deleted", "is_restricted", "is_ultra_restricted", "is_invited_user")
    return [
        Colleague(str(user["id"]), user.get("locale") or None)
        for user in _workspace_users(client, include_locale=True)
        if not any(user.get(flag) for flag in left_out)
    ]


def _workspace_users(client: WebClient, include_locale: bool = False) -> Iterator[dict[str, Any]]:
    """Every person's account, page by page; no bots and no Slackbot."""
    cursor: str | None = None
    try:
        while True:
            page = client.users_list(limit=PAGE_SIZE, cursor=cursor, include_locale=include_locale or None)
            for user in page.get("members") or []:
                if not (user.get("is_bot") or user.get("is_app_user") or user.get("id") == "USLACKBOT"):
                    yield user
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return
    except (SlackApiError, SlackClientError, OSError) as error:
        raise NamesUnknown(type(error).__name__) from None


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
        for user in _workspace_users(client):
            profile = user.get("profile") or {}
            names |= names_of(profile.get("real_name") or user.get("real_name"), profile.get("display_name"))
        return names
