"""The console workspace: type `/ki …` as a colleague, see the bot's answers and posts as text."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from typing import Any, TextIO
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest

from bot.console.local_slack import ApiCall, LocalSlackApi, SlackUser
from bot.console.text import Choice, render_blocks
from bot.i18n import Translator

CONSOLE_TEAM = "T0CONSOLE"
CONSOLE_TOKEN = "xoxb-console"
_FORM: dict[str, str | Sequence[str]] = {"content-type": ["application/x-www-form-urlencoded"]}


def console_user_id(name: str) -> str:
    return "U" + hashlib.sha1(name.lower().encode()).hexdigest()[:8].upper()


class ConsoleWorkspace:
    """Plays Slack for one terminal: builds Slack-shaped requests and shows what comes back."""

    def __init__(self, slack: LocalSlackApi, out: TextIO, command: str, language: str, locale: str) -> None:
        self.slack = slack
        self.out = out
        self.command = command
        self.locale = locale
        self.tr = Translator(language)
        self.app: App | None = None
        self.user_name = ""
        self.user_id = ""
        self.choices: list[Choice] = []
        self._names: dict[str, str] = {}
        self._sequence = 0
        slack.on_call = self._show_call

    def attach(self, app: App) -> None:
        self.app = app

    def act_as(self, name: str) -> None:
        self.user_name = name.strip().lstrip("@") or "max"
        self.user_id = console_user_id(self.user_name)
        self._names[self.user_id] = self.user_name
        if self.user_id not in self.slack.users:
            self.slack.add_user(SlackUser(self.user_id, self.user_name, locale=self.locale))

    # -- input ---------------------------------------------------------------------------------------

    def run_lines(self, lines: Iterable[str], echo: bool) -> None:
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if echo:
                self._print(f"{self.user_name}> {line}")
            if not self.handle(line):
                break

    def handle(self, line: str) -> bool:
        """Runs one line; False when the user wants to leave."""
        if line in (":quit", ":q", ":exit"):
            return False
        if line.startswith(":user"):
            self.act_as(line.removeprefix(":user").strip())
            self._print(self.tr.t("console.now_user", name=self.user_name))
        elif line.startswith(":"):
            self._print(self.tr.t("console.meta_help", command=self.command))
        elif line.isdigit():
            self.click(int(line))
        elif line.startswith("/"):
            self.choices = []
            command, _, text = line.partition(" ")
            if command != self.command:
                self._print(self.tr.t("console.unknown_command", command=self.command))
            else:
                self.slash_command(text.strip())
        else:
            self.choices = []
            self.slash_command(line)
        return True

    def welcome(self) -> None:
        self._print(self.tr.t("console.welcome", name=self.user_name, command=self.command))

    # -- what Slack would send -----------------------------------------------------------------------

    def slash_command(self, text: str) -> None:
        trigger = self._next_id("trigger")
        body = {
            "token": "console",
            "team_id": CONSOLE_TEAM,
            "team_domain": "console",
            "channel_id": "C0CONSOLE",
            "channel_name": "console",
            "user_id": self.user_id,
            "user_name": self.user_name,
            "command": self.command,
            "text": text,
            "api_app_id": "A0KILOTSE",
            "is_enterprise_install": "false",
            "response_url": self.slack.response_url(trigger),
            "trigger_id": trigger,
        }
        self._dispatch(urlencode(body))

    def click(self, number: int) -> None:
        if not 1 <= number <= len(self.choices):
            self._print(self.tr.t("console.no_such_choice", count=len(self.choices)))
            return
        choice = self.choices[number - 1]
        self.choices = []
        action = {
            "type": choice.action.get("type"),
            "action_id": choice.action.get("action_id"),
            "block_id": choice.block_id,
            "value": choice.action.get("value"),
            "action_ts": f"{time.time():.6f}",
        }
        if "selected_option" in choice.action:
            action["selected_option"] = choice.action["selected_option"]
        trigger = self._next_id("trigger")
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": CONSOLE_TEAM, "domain": "console"},
            "user": {"id": self.user_id, "name": self.user_name, "team_id": CONSOLE_TEAM},
            "api_app_id": "A0KILOTSE",
            "token": "console",
            "trigger_id": trigger,
            "response_url": self.slack.response_url(trigger),
            "actions": [action],
            **choice.source,
        }
        self._dispatch(urlencode({"payload": json.dumps(payload)}))

    def _dispatch(self, body: str) -> None:
        assert self.app is not None, "attach() the Bolt app first"
        response = self.app.dispatch(BoltRequest(body=body, headers=_FORM))
        if response.body:
            try:
                answer = json.loads(response.body)
            except ValueError:
                answer = {"text": response.body}
            self._show(self.tr.t("console.only_you"), answer, {"container": {"type": "message", "is_ephemeral": True}})

    # -- what the bot sends --------------------------------------------------------------------------

    def _show_call(self, call: ApiCall) -> None:
        params = call.params
        if call.method in ("chat.postMessage", "chat.update"):
            where = self._where(str(params.get("channel", "")))
            label = self.tr.t("console.updated", where=where) if call.method == "chat.update" else where
            source = {
                "channel": {"id": params.get("channel")},
                "container": {"type": "message"},
                "message": {"ts": params.get("ts", ""), "text": params.get("text", "")},
            }
            self._show(label, params, source)
        elif call.method in ("chat.postEphemeral", "response_url"):
            self._show(self.tr.t("console.only_you"), params, {"container": {"type": "message", "is_ephemeral": True}})

    def _where(self, channel: str) -> str:
        if channel in self._names:
            return self.tr.t("console.dm", name=self._names[channel])
        return self.tr.t("console.channel", channel=channel.lstrip("#"))

    def _show(self, label: str, message: dict[str, Any], source: dict[str, Any]) -> None:
        blocks = message.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        text = render_blocks(blocks, str(message.get("text") or ""), self.choices, source)
        self._print(f"[{label}]\n{text}")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _next_id(self, prefix: str) -> str:
        self._sequence += 1
        return f"{prefix}{self._sequence}"
