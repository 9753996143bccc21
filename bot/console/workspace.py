"""The console workspace: type `/ki …` as a colleague, see the bot's answers and posts as text, fill in
its modals field by field, click buttons by number, open App Home with `:home`."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, TextIO
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest

from bot.console.local_slack import ApiCall, LocalSlackApi, SlackUser
from bot.console.text import NAMES, Choice, plain, render_blocks
from bot.deps import Deps, utc_now
from bot.follow_ups import DeferredExecutor
from bot.i18n import Translator
from bot.render.jobs import job_done
from jobs.api import JOB_IDS, Skip, run_job

CONSOLE_TEAM = "T0CONSOLE"
CONSOLE_TOKEN = "xoxb-console"
_FORM: dict[str, str | Sequence[str]] = {"content-type": ["application/x-www-form-urlencoded"]}
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):[0-5]\d")
# What a field shows before anyone types (`initial_option`, …): Enter keeps it, as in Slack.
_INITIAL_VALUES = ("option", "date", "value", "time", "conversation", "users")
# Fields answered by picking from numbered options (several, comma-separated, for a multi-select).
_CHOICES = ("static_select", "radio_buttons", "multi_static_select")

# Reads one answer for a prompt; None when input has ended.
Reader = Callable[[str], str | None]


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
        self.deps: Deps | None = None
        self.user_name = ""
        self.user_id = ""
        # The numbered choices of every message still on screen: a number stays valid until its message
        # is replaced, so several people can answer several messages in any order.
        self.choices: dict[int, Choice] = {}
        self._surface_of: dict[int, str] = {}
        self._last_number = 0
        # The message a response_url may replace, by the url's name (the trigger id of a command or click).
        self._replies_to: dict[str, str] = {}
        # Posts arrive on the local Slack's threads (and the scheduler's) while the terminal reads.
        self._screen = threading.Lock()
        self.read: Reader = lambda _prompt: None
        self._names: dict[str, str] = {}
        self._sequence = 0
        # Trigger and event ids stay unique across console runs on the same database, as Slack's are.
        self._run = uuid.uuid4().hex[:8]
        # Set by the local Slack while the bot works; handled in the main thread once it has answered.
        self._opened: dict[str, Any] | None = None
        self._open_modal_id: str | None = None
        self._home: dict[str, Any] | None = None
        self._groups: dict[str, list[str]] = {}
        slack.on_call = self._show_call

    def attach(self, app: App, deps: Deps | None = None) -> None:
        self.app = app
        self.deps = deps

    def act_as(self, name: str) -> None:
        self.user_name = name.strip().lstrip("@") or "max"
        self.user_id = console_user_id(self.user_name)
        self._names[self.user_id] = self.user_name
        NAMES[self.user_id] = self.user_name
        if self.user_id not in self.slack.users:
            self.slack.add_user(SlackUser(self.user_id, self.user_name, locale=self.locale))

    # -- input ---------------------------------------------------------------------------------------

    def run_lines(self, lines: Iterable[str], echo: bool) -> None:
        """Runs a script; lines a modal asks for are taken from the same script, in turn."""
        stream: Iterator[str] = (line.rstrip("\n") for line in lines)

        def read(prompt: str) -> str | None:
            line = next(stream, None)
            if line is not None and echo:
                self._print(f"{prompt}{line}")
            return line

        self.read = read
        for raw in stream:
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
        elif line == ":home":
            self.open_home()
        elif line in (":help", ":hilfe"):
            self.help()
        elif line.startswith(":run"):
            self.run_job(line.removeprefix(":run").strip())
        elif line.startswith(":now"):
            self.set_now(line.removeprefix(":now").strip())
        elif line.startswith(":"):
            self.help()
        elif line.isdigit():
            self.click(int(line))
        elif line.startswith("/"):
            command, _, text = line.partition(" ")
            if command != self.command:
                self._print(self.tr.t("console.unknown_command", command=self.command))
            else:
                self.slash_command(text.strip())
        else:
            self.slash_command(line)
        return True

    def run_job(self, job_id: str) -> None:
        """Runs a scheduled job now, as the scheduler would at the current (possibly faked) time."""
        if self.deps is None or job_id not in JOB_IDS:
            self._print(self.tr.t("console.unknown_job", jobs=", ".join(JOB_IDS)))
            return
        report = run_job(self.deps, job_id)
        outcome, *reasons = job_done(self.tr, "console.job_done", report)
        self._print(outcome)
        for reason in reasons:
            self._print(f"  › {reason}")
        if Skip.NOT_DUE in report.why():
            self._print(f"  › {self.tr.t('console.not_due_hint')}")

    def set_now(self, text: str) -> None:
        """`:now 2026-12-03 10:00` fakes the clock (in the workspace time zone); `:now` alone ends that."""
        if self.deps is None:
            return
        if not text:
            self.deps.clock = utc_now
            self._print(self.tr.t("console.now_real"))
            return
        try:
            moment = datetime.fromisoformat(text).replace(tzinfo=self.deps.settings.zone)
        except ValueError:
            self._print(self.tr.t("console.now_format"))
            return
        self.deps.clock = lambda: moment.astimezone(UTC)
        self._print(self.tr.t("console.now_fake", now=moment.strftime("%Y-%m-%d %H:%M %Z")))

    def welcome(self) -> None:
        self._print(self.tr.t("console.welcome", name=self.user_name, command=self.command))

    def help(self) -> None:
        self._print(self.tr.t("console.meta_help", command=self.command, jobs=", ".join(JOB_IDS)))

    # -- what Slack would send -----------------------------------------------------------------------

    def _base(self, kind: str) -> dict[str, Any]:
        trigger = self._next_id("trigger")
        return {
            "type": kind,
            "team": {"id": CONSOLE_TEAM, "domain": "console"},
            "user": {"id": self.user_id, "name": self.user_name, "team_id": CONSOLE_TEAM},
            "api_app_id": "A0KILOTSE",
            "token": "console",
            "trigger_id": trigger,
        }

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
        reply = f"reply:{trigger}"
        self._replies_to[trigger] = reply
        self._dispatch(urlencode(body), reply_surface=reply)

    def open_home(self) -> None:
        event = {
            "type": "event_callback",
            "team_id": CONSOLE_TEAM,
            "api_app_id": "A0KILOTSE",
            "event_id": self._next_id("Ev"),
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": self.user_id, "channel": "D0HOME", "tab": "home"},
        }
        self._dispatch(json.dumps(event), {"content-type": ["application/json"]})
        if self._home is not None:
            source = {"view": {"id": self._home.get("id"), "type": "home"}, "container": {"type": "view"}}
            self._show(self.tr.t("console.home"), self._home, source, surface="home")

    def click(self, number: int) -> None:
        with self._screen:
            choice, surface = self.choices.get(number), self._surface_of.get(number, "")
            open_numbers = sorted(self.choices)
        if choice is None:
            if open_numbers:
                self._print(self.tr.t("console.no_such_choice", numbers=_ranges(open_numbers)))
            else:
                self._print(self.tr.t("console.no_choices"))
            return
        action = {
            "type": choice.action.get("type"),
            "action_id": choice.action.get("action_id"),
            "block_id": choice.block_id,
            "action_ts": f"{time.time():.6f}",
        }
        if "value" in choice.action:
            action["value"] = choice.action["value"]
        if "selected_option" in choice.action:
            action["selected_option"] = choice.action["selected_option"]
        payload = {**self._base("block_actions"), "actions": [action], **choice.source}
        if "view" not in choice.source:
            payload["response_url"] = self.slack.response_url(payload["trigger_id"])
            self._replies_to[payload["trigger_id"]] = surface
        self._dispatch(urlencode({"payload": json.dumps(payload)}))

    def _dispatch(
        self, body: str, headers: dict[str, str | Sequence[str]] = _FORM, reply_surface: str | None = None
    ) -> dict[str, Any] | None:
        assert self.app is not None, "attach() the Bolt app first"
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        answer: dict[str, Any] | None = None
        if response.body:
            try:
                answer = json.loads(response.body)
            except ValueError:
                answer = {"text": response.body}
            if "response_action" not in answer:
                surface = reply_surface or self._next_id("reply")
                self._show(self.tr.t("console.only_you"), answer, {"container": {"type": "message"}}, surface)
        self._run_follow_ups()
        self._run_opened_modal()
        return answer

    def _run_follow_ups(self) -> None:
        """What follows an answer (the coach's reply, DMs, App Home) shows after it, as in Slack."""
        executor = self.deps.follow_ups.executor if self.deps is not None else None
        if isinstance(executor, DeferredExecutor):
            executor.run_pending()

    # -- modals --------------------------------------------------------------------------------------

    def _run_opened_modal(self) -> None:
        """Shows a modal the bot opened; asks its fields in turn and submits them like Slack."""
        while self._opened is not None:
            view, self._opened = self._opened, None
            self._open_modal_id = view.get("id")
            source = {
                "view": {
                    key: view.get(key)
                    for key in ("id", "type", "callback_id", "hash", "private_metadata", "title", "close")
                },
                "container": {"type": "view", "view_id": view.get("id")},
            }
            title = plain((view.get("title") or {}).get("text", ""))
            shown = [b for b in view.get("blocks", []) if b.get("type") != "input"]
            # One modal at a time: a new or updated one takes the place of the last.
            self._show(self.tr.t("console.modal", title=title), {"blocks": shown}, source, surface="modal")
            inputs = [b for b in view.get("blocks", []) if b.get("type") == "input"]
            if inputs and view.get("submit"):
                self._fill_and_submit(view, inputs)

    def _fill_and_submit(self, view: dict[str, Any], inputs: list[dict[str, Any]]) -> None:
        values: dict[str, dict[str, Any]] = {}
        ask = inputs
        while True:
            for block in ask:
                element = self._ask(block)
                if element is None:
                    self._print(self.tr.t("console.modal_cancelled"))
                    return
                values[block["block_id"]] = {block["element"]["action_id"]: element}
            payload = {
                **self._base("view_submission"),
                "view": {
                    **{
                        k: view.get(k)
                        for k in ("id", "type", "callback_id", "hash", "private_metadata", "title", "blocks")
                    },
                    "team_id": CONSOLE_TEAM,
                    "state": {"values": values},
                },
            }
            answer = self._dispatch(urlencode({"payload": json.dumps(payload)})) or {}
            if answer.get("response_action") == "errors":
                errors = answer.get("errors") or {}
                for block_id, message in errors.items():
                    label = next((plain(b["label"]["text"]) for b in inputs if b["block_id"] == block_id), block_id)
                    self._print(f"  ⚠️ {label}: {message}")
                ask = [b for b in inputs if b["block_id"] in errors]
                continue
            if answer.get("response_action") in ("update", "push"):
                self._opened = answer["view"]
                self._run_opened_modal()
            return

    def _ask(self, block: dict[str, Any]) -> dict[str, Any] | None:
        """One field, as Slack would send its state; None when input ended."""
        element = block["element"]
        kind = element.get("type")
        label = plain(block["label"]["text"])
        optional = self.tr.t("console.optional") if block.get("optional") else ""
        # What Slack shows in and under the field: an example (placeholder) and the hint, e.g. that a
        # note must not carry personal data.
        notes = [(block.get("hint") or {}).get("text", "")]
        if kind not in _CHOICES:
            notes.insert(0, (element.get("placeholder") or {}).get("text", ""))
        for note in filter(None, notes):
            self._print(f"  › {plain(note)}")
        if kind in _CHOICES:
            options = element.get("options", [])
            self._print(f"  {label}{optional}:")
            for number, option in enumerate(options, start=1):
                self._print(f"    {number}) {plain(option['text']['text'])}")
        prompt = f"  {label}{optional}> " if kind not in _CHOICES else "  > "
        for _attempt in range(5):
            answer = self.read(prompt)
            if answer is None or answer.strip() == ":cancel":
                return None
            answer = answer.strip()
            has_default = any(element.get(f"initial_{what}") for what in _INITIAL_VALUES)
            if not answer and not block.get("optional") and not has_default:
                # Slack does not let a required field go empty; neither does the console.
                self._print(self.tr.t("console.required"))
                continue
            if kind == "multi_static_select":
                options = element.get("options", [])
                numbers = [part.strip() for part in answer.split(",") if part.strip()]
                if all(n.isdigit() and 1 <= int(n) <= len(options) for n in numbers):
                    return {"type": kind, "selected_options": [options[int(n) - 1] for n in numbers]}
                self._print(self.tr.t("console.pick_number", count=len(options)))
                continue
            if kind in _CHOICES:
                options = element.get("options", [])
                if not answer:
                    return {"type": kind, "selected_option": element.get("initial_option")}
                if answer.isdigit() and 1 <= int(answer) <= len(options):
                    return {"type": kind, "selected_option": options[int(answer) - 1]}
                self._print(self.tr.t("console.pick_number", count=len(options)))
                continue
            if kind == "datepicker":
                if not answer:
                    return {"type": kind, "selected_date": element.get("initial_date")}
                german = _GERMAN_DATE.fullmatch(answer)
                try:
                    day = date(int(german[3]), int(german[2]), int(german[1])) if german else date.fromisoformat(answer)
                except ValueError:
                    self._print(self.tr.t("console.date_format"))
                    continue
                return {"type": kind, "selected_date": day.isoformat()}
            if kind == "timepicker":
                if not answer:
                    return {"type": kind, "selected_time": element.get("initial_time")}
                if not _CLOCK_TIME.fullmatch(answer):
                    self._print(self.tr.t("console.time_format"))
                    continue
                hour, minute = answer.split(":")
                return {"type": kind, "selected_time": f"{int(hour):02d}:{minute}"}
            if kind == "conversations_select":
                # The console's channels are their names (`#ki-community`), as Slack's are their ids.
                return {
                    "type": kind,
                    "selected_conversation": answer.lstrip("#") or element.get("initial_conversation"),
                }
            if kind == "multi_users_select":
                if not answer:
                    return {"type": kind, "selected_users": element.get("initial_users", [])}
                names = [name.strip().lstrip("@") for name in answer.split(",") if name.strip()]
                return {"type": kind, "selected_users": [console_user_id(name) for name in names]}
            return {"type": kind, "value": answer or element.get("initial_value") or None}
        return None

    # -- what the bot sends --------------------------------------------------------------------------

    def _show_call(self, call: ApiCall, answer: dict[str, Any]) -> None:
        params = call.params
        if call.method in ("chat.postMessage", "chat.update"):
            where = self._where(str(params.get("channel", "")))
            label = self.tr.t("console.updated", where=where) if call.method == "chat.update" else where
            source = {
                "channel": {"id": params.get("channel")},
                "container": {"type": "message"},
                "message": {"ts": answer.get("ts", ""), "text": params.get("text", "")},
            }
            self._show(label, params, source, surface=f"message:{params.get('channel')}:{answer.get('ts')}")
        elif call.method == "response_url":
            original = self._replies_to.get(str(params.get("response_url")))
            if _flag(params.get("delete_original")) and original:
                with self._screen:
                    self._forget(original)
            elif _flag(params.get("replace_original")) and original:
                self._show(self.tr.t("console.replaced"), params, {"container": {"type": "message"}}, original)
            else:
                label = self.tr.t("console.only_you")
                self._show(label, params, {"container": {"type": "message"}}, self._next_id("reply"))
        elif call.method == "chat.postEphemeral":
            label = self.tr.t("console.only_you")
            self._show(label, params, {"container": {"type": "message"}}, self._next_id("reply"))
        elif call.method in ("views.open", "views.push") or (
            call.method == "views.update" and answer["view"].get("id") == self._open_modal_id
        ):
            self._opened = answer["view"]
        elif call.method == "views.publish":
            self._home = answer["view"]
        elif call.method == "files.completeUploadExternal":
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            for entry in files:
                name, content = self.slack.uploads.get(entry["id"], ("", b""))
                where = self._where(str(params.get("channel_id", "")))
                self._print(f"[{where}]\n  📎 {name} ({len(content) // 1024 + 1} KB) – {entry.get('title') or ''}")
        elif call.method == "conversations.open":
            self._groups[answer["channel"]["id"]] = str(params.get("users", "")).split(",")

    def _where(self, channel: str) -> str:
        if channel in self._names:
            return self.tr.t("console.dm", name=self._names[channel])
        if channel in self._groups and len(self._groups[channel]) == 1:
            user = self._groups[channel][0]
            return self.tr.t("console.dm", name=self._names.get(user, user))
        if channel in self._groups:
            names = ", ".join("@" + self._names.get(user, user) for user in self._groups[channel])
            return self.tr.t("console.group_dm", names=names)
        return self.tr.t("console.channel", channel=channel.lstrip("#"))

    def _show(self, label: str, message: dict[str, Any], source: dict[str, Any], surface: str) -> None:
        """Prints a message (or view) on `surface`; its choices take the place of the surface's last ones."""
        blocks = message.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        with self._screen:
            self._forget(surface)
            shown: list[Choice] = []
            first = self._last_number + 1
            text = render_blocks(blocks, str(message.get("text") or ""), shown, source, self.tr, first)
            for number, choice in enumerate(shown, start=first):
                self.choices[number] = choice
                self._surface_of[number] = surface
            self._last_number += len(shown)
            self._print(f"[{label}]" + (f"\n{text}" if text.strip() else ""))

    def _forget(self, surface: str) -> None:
        """The choices of a replaced or deleted message are gone."""
        for number in [n for n, shown_on in self._surface_of.items() if shown_on == surface]:
            del self.choices[number], self._surface_of[number]

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _next_id(self, prefix: str) -> str:
        self._sequence += 1
        return f"{prefix}{self._run}{self._sequence}"


def _flag(value: Any) -> bool:
    return str(value).lower() == "true"


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → "1–3, 7"."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
