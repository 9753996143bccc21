"""All configuration of KI-Lotse as one typed object, read from the environment and `.env`.

Every knob has a default that works on a laptop; secrets are `SecretStr` so they never show up in logs or
reprs. Slack's variables keep Slack's conventional names.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SUPPORTED_LANGUAGES = ("de", "en")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SUPPORTED_DATABASES = ("sqlite", "postgresql")


class ConfigError(Exception):
    """Configuration that cannot work; `variable` names the environment variable to fix."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    # Empty values count as unset, so a copied .env.example with blanks behaves like no .env at all.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True, env_ignore_empty=True)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    # Several workspaces from one deployment: Slack's OAuth install (`/slack/install`) stores a bot token per
    # workspace. Without them, SLACK_BOT_TOKEN serves the one workspace.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None

    database_url: str = "sqlite:///ki-lotse.db"
    port: int = Field(default=3000, ge=1, le=65535)

    slash_command: str = "/ki"
    admin_user_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    community_channel: str = "ki-community"
    admin_channel: str = "ki-admin"
    timezone: str = "Europe/Berlin"
    holiday_state: str = "BY"
    default_language: Literal["de", "en"] = "de"
    min_group_size: int = Field(default=5, ge=2, le=50)
    # Shown in the privacy notice: the company's AI-usage policy, and how long raw logs are kept.
    ai_policy_url: str = ""
    # Where the company publishes the generated one-pager "Was sieht wer?" (`python -m bot docs betriebsrat`).
    privacy_page_url: str = ""
    retention_months: int = Field(default=24, ge=1, le=120)
    # A folder with the company's own versions of the YAML files in config/ (tools, departments,
    # maturity, curriculum); a file missing there falls back to the one shipped.
    catalog_dir: Path | None = None

    # `json`: one JSON object per log line (time, level, logger, message, request/workspace/job id).
    log_format: Literal["text", "json"] = "text"

    # Threads for the work after a request's answer (DMs, App Home, matching, exports); more work waits.
    follow_up_threads: int = Field(default=4, ge=1, le=64)

    # Scheduler: in-process by default; set to false when a separate `clock` process runs the jobs.
    scheduler_in_process: bool = True
    buddy_matching_day: Weekday = "mon"
    buddy_matching_time: time = time(8, 30)
    buddy_checkin_day: Weekday = "thu"
    buddy_checkin_time: time = time(10, 0)
    buddy_programme_weeks: int = Field(default=12, ge=1, le=52)

    leaderboard_day: Weekday = "mon"
    leaderboard_time: time = time(9, 0)
    report_time: time = time(9, 0)

    # Rituals: weekly office hours (announced in the morning, reminder shortly before), the monthly AI
    # update (first such weekday of the month), the quarterly retrospective (first Monday of the
    # quarter's last month).
    office_hours_day: Weekday = "tue"
    office_hours_time: time = time(16, 0)
    office_hours_announce_time: time = time(9, 0)
    ritual_minutes: int = Field(default=30, ge=10, le=240)
    reminder_minutes_before: int = Field(default=15, ge=5, le=120)
    monthly_update_day: Weekday = "thu"
    monthly_update_time: time = time(15, 0)
    retrospective_time: time = time(10, 0)

    # KPIs: the value of an hour saved, and the yearly investment per employee the ROI compares with.
    # Bounded so that every figure the report multiplies stays a finite number.
    hourly_rate_eur: float = Field(default=45.0, gt=0, le=10_000, allow_inf_nan=False)
    investment_per_employee_eur: float = Field(default=2000.0, gt=0, le=10_000_000, allow_inf_nan=False)

    # The prompt coach: off unless an OpenAI-compatible chat-completions endpoint is named (a self-hosted
    # model or an EU-hosted provider, as the company's AI policy allows). Prompts are checked for personal
    # data before they leave and are never stored.
    coach_api_url: str | None = None
    coach_model: str | None = None
    coach_api_key: SecretStr | None = None
    coach_per_day: int = Field(default=20, ge=1, le=1000)
    # How long one answer of the model may take; the person has been answered already and waits for it.
    coach_timeout_seconds: float = Field(default=30.0, ge=1, le=300, allow_inf_nan=False)

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split_ids(value)

    @field_validator("catalog_dir")
    @classmethod
    def _catalog_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"'{value}' is not a folder")
        return value

    @field_validator(
        "buddy_matching_time",
        "buddy_checkin_time",
        "leaderboard_time",
        "report_time",
        "office_hours_time",
        "office_hours_announce_time",
        "monthly_update_time",
        "retrospective_time",
        mode="before",
    )
    @classmethod
    def _clock_time(cls, value: object) -> object:
        """A time of day in the environment reads `H:MM` or `HH:MM`, nothing more (no seconds, no zone: times
        are local to the workspace or the person)."""
        if not isinstance(value, str):
            return value
        hour, _, minute = value.partition(":")
        if not (hour.isdigit() and minute.isdigit() and 0 <= int(hour) < 24 and 0 <= int(minute) < 60):
            raise ValueError(f"'{value}' is not a time of day (example: 10:00)")
        return time(int(hour), int(minute))

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("coach_api_url")
    @classmethod
    def _coach_url(cls, value: str | None) -> str | None:
        """The endpoint's base, e.g. `https://llm.example.eu/v1`; the full `/chat/completions` URL is taken
        as well."""
        if value is None:
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL such as https://llm.example.eu/v1")
        return value.rstrip("/").removesuffix("/chat/completions")

    @model_validator(mode="after")
    def _coach_complete(self) -> Settings:
        if self.coach_api_url is not None and not self.coach_model:
            raise ValueError("COACH_MODEL: name the model the coach should use (COACH_API_URL is set)")
        return self

    @property
    def oauth_enabled(self) -> bool:
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def coach_enabled(self) -> bool:
        return self.coach_api_url is not None

    @property
    def coach_host(self) -> str:
        """Where prompts go, as the privacy notice and the works council's documents name it."""
        return urlparse(self.coach_api_url or "").hostname or ""

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "is not a database URL (examples: sqlite:///ki-lotse.db, postgresql://user@host/db)"
            ) from None
        if url.get_backend_name() not in SUPPORTED_DATABASES and not value.startswith("postgres://"):
            raise ValueError(f"database '{url.get_backend_name()}' is not supported (use sqlite or postgresql)")
        return value

    @field_validator("slash_command")
    @classmethod
    def _command(cls, value: str) -> str:
        if not value.startswith("/") or len(value) < 2 or " " in value:
            raise ValueError("must be a slash command such as /ki")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a known time zone (example: Europe/Berlin)") from None
        return value

    @field_validator("holiday_state")
    @classmethod
    def _holiday_state(cls, value: str) -> str:
        states = [s for s in holidays.Germany.subdivisions if len(s) == 2]
        if value.upper() not in states:
            raise ValueError(f"'{value}' is not a German state code (one of {', '.join(states)})")
        return value.upper()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def sqlalchemy_url(self) -> URL:
        """The database URL with the driver this project installs (psycopg 3 for PostgreSQL)."""
        raw = self.database_url
        if raw.startswith("postgres://"):
            raw = "postgresql://" + raw[len("postgres://") :]
        url = make_url(raw)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url

    def secret(self, name: str) -> str | None:
        value = getattr(self, name)
        return value.get_secret_value() if value is not None else None


def _describe(error: ValidationError) -> ConfigError:
    first = error.errors()[0]
    variable = str(first["loc"][0]).upper() if first["loc"] else "configuration"
    message = first["msg"].removeprefix("Value error, ")
    if not first["loc"] and ": " in message:
        # A rule across several values names the variable to fix first.
        variable, _, message = message.partition(": ")
    if first["type"] in ("int_parsing", "int_type"):
        message = "must be a whole number"
    elif first["type"] == "literal_error" and variable == "LOG_FORMAT":
        message = "must be text or json"
    elif first["type"] == "literal_error" and variable == "DEFAULT_LANGUAGE":
        message = f"must be one of {', '.join(SUPPORTED_LANGUAGES)}"
    elif first["type"] == "literal_error":
        message = f"must be one of {', '.join(WEEKDAYS)}"
    elif first["type"] == "bool_parsing":
        message = "must be true or false"
    return ConfigError(variable, message)


def load_settings(**overrides: object) -> Settings:
    """Read settings; any invalid value becomes a `ConfigError` naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise _describe(error) from None
