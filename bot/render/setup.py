"""The workspace setup form (`/ki admin einstellungen`, the installer's welcome) and the installer's welcome.
Channels and people are picked with Slack's own selects, so that what is stored are their ids."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.domain.fields import SETUP_PREFIX
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from config.settings import WEEKDAYS, Settings

# The time zones offered (the companies this is made for sit here); the workspace's current one is always
# offered as well.
TIME_ZONES = (
    "Europe/Berlin",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Luxembourg",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Paris",
    "Europe/Copenhagen",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Rome",
    "Europe/Madrid",
    "Europe/Lisbon",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Helsinki",
    "UTC",
)
# The German states whose public holidays the jobs keep (config/settings.py checks the code).
STATES = {
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "HB": "Bremen",
    "HH": "Hamburg",
    "HE": "Hessen",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}
# The fields whose meaning is not plain from their label get a line below them.
HINTED = frozenset(
    {
        "community_channel",
        "admin_channel",
        "admin_user_ids",
        "holiday_state",
        "min_group_size",
        "retention_months",
        "hourly_rate_eur",
        "investment_per_employee_eur",
    }
)
# What runs on a weekday and time a workspace chooses, by the settings that hold them (`…_day`, `…_time`),
# and what runs at a time on days the rules set (`…_time` alone): the report on the month's first workday,
# the office hours' announcement on their day, the retrospective at the quarter's start.
WEEKLY = ("leaderboard", "buddy_matching", "buddy_checkin", "office_hours", "monthly_update")
TIMED = ("office_hours_announce", "report", "retrospective")


def setup_modal(tr: Translator, settings: Settings, min_group: int) -> dict[str, Any]:
    """The form, filled with the workspace's current settings; `min_group` is the lowest minimum group size."""
    blocks: list[kit.Block] = [
        kit.section(tr.t("setup.intro")),
        kit.header(tr.t("setup.section.people")),
        _field(tr, "community_channel", _channel_select(settings.community_channel)),
        _field(tr, "admin_channel", _channel_select(settings.admin_channel)),
        _field(tr, "admin_user_ids", _users_select(settings.admin_user_ids)),
        _field(tr, "default_language", _select(tr, [("de", "Deutsch"), ("en", "English")], settings.default_language)),
        kit.header(tr.t("setup.section.place")),
        _field(tr, "timezone", _select(tr, _zones(settings.timezone), settings.timezone)),
        _field(tr, "holiday_state", _select(tr, list(STATES.items()), settings.holiday_state)),
        kit.header(tr.t("setup.section.figures")),
        _field(tr, "min_group_size", _number(settings.min_group_size, min_group, 50)),
        _field(tr, "retention_months", _number(settings.retention_months, 1, 120)),
        _field(tr, "hourly_rate_eur", _number(settings.hourly_rate_eur, 1, 10_000, decimal=True)),
        _field(
            tr,
            "investment_per_employee_eur",
            _number(settings.investment_per_employee_eur, 1, 10_000_000, decimal=True),
        ),
        kit.header(tr.t("setup.section.times")),
        kit.context(tr.t("setup.times_hint")),
    ]
    weekdays = [(day, tr.weekday(index)) for index, day in enumerate(WEEKDAYS)]
    for job in WEEKLY:
        blocks.append(_field(tr, f"{job}_day", _select(tr, weekdays, getattr(settings, f"{job}_day"))))
        blocks.append(_field(tr, f"{job}_time", _time(getattr(settings, f"{job}_time"))))
    blocks += [_field(tr, f"{job}_time", _time(getattr(settings, f"{job}_time"))) for job in TIMED]
    return kit.modal(ids.SETUP_VIEW, tr.t("setup.title"), blocks, *kit.save_or_cancel(tr))


def saved_blocks(tr: Translator, settings: Settings) -> list[kit.Block]:
    """What the form turns into once saved: the main choices, so that the admin sees what now holds."""
    admins = ", ".join(f"<@{user}>" for user in settings.admin_user_ids) or "–"
    return [
        kit.section(tr.t("setup.saved")),
        kit.section(
            tr.t(
                "setup.saved_summary",
                community=_channel_mention(settings.community_channel),
                admin_channel=_channel_mention(settings.admin_channel),
                admins=admins,
                zone=settings.timezone,
                state=STATES.get(settings.holiday_state, settings.holiday_state),
                minimum=settings.min_group_size,
            )
        ),
    ]


def welcome_message(tr: Translator, command: str) -> kit.Message:
    """To the person who installed the app: they are its first admin; the button opens the setup form."""
    text = tr.t("setup.welcome", command=command)
    return kit.Message(
        text=text,
        blocks=[
            kit.section(text),
            kit.actions(kit.button(tr.t("setup.open"), ids.OPEN_SETUP, style="primary")),
        ],
    )


def _field(tr: Translator, name: str, element: dict[str, Any]) -> kit.Block:
    return kit.input_block(
        SETUP_PREFIX + name,
        tr.t(f"setup.field.{name}"),
        element,
        hint=tr.t(f"setup.hint.{name}") if name in HINTED else None,
    )


def _looks_like_channel_id(value: str) -> bool:
    return value[:1] in ("C", "G") and value.isalnum() and value.isupper()


def _channel_select(current: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": "value",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    # A channel given by name (the deployment's default) cannot be preselected: Slack wants its id.
    if _looks_like_channel_id(current):
        element["initial_conversation"] = current
    return element


def _channel_mention(channel: str) -> str:
    return f"<#{channel}>" if _looks_like_channel_id(channel) else f"#{kit.escape(channel)}"


def _users_select(current: list[str]) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "multi_users_select", "action_id": "value", "max_selected_items": 20}
    if current:
        element["initial_users"] = current[:20]
    return element


def _select(tr: Translator, choices: list[tuple[str, str]], current: str) -> dict[str, Any]:
    options = [kit.option(label, value) for value, label in choices]
    return kit.static_select("value", options, tr.t("setup.choose"), initial=current)


def _zones(current: str) -> list[tuple[str, str]]:
    zones = list(TIME_ZONES) if current in TIME_ZONES else [current, *TIME_ZONES]
    return [(zone, zone.replace("_", " ")) for zone in zones]


def _time(current: time) -> dict[str, Any]:
    return {"type": "timepicker", "action_id": "value", "initial_time": f"{current:%H:%M}"}


def _number(current: float, lowest: float, highest: float, decimal: bool = False) -> dict[str, Any]:
    shown = f"{current:g}" if decimal else str(int(current))
    return {
        "type": "number_input",
        "action_id": "value",
        "is_decimal_allowed": decimal,
        "initial_value": shown,
        "min_value": str(lowest),
        "max_value": str(highest),
    }
