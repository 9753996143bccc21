import subprocess
from datetime import time
from pathlib import Path

import pytest

from config.settings import ConfigError, load_settings
from tests.conftest import run_bot


def test_defaults_work_on_a_laptop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.database_url == "sqlite:///ki-lotse.db"
    assert settings.timezone == "Europe/Berlin"
    assert settings.default_language == "de"
    assert settings.min_group_size == 5
    assert settings.slack_bot_token is None


def test_times_of_day_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BUDDY_CHECKIN_TIME", "9:05")
    settings = load_settings()
    assert settings.buddy_checkin_time == time(9, 5)
    assert settings.buddy_matching_time == time(8, 30)


def test_secrets_stay_hidden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(slack_bot_token="xoxb-very-secret")
    assert "very-secret" not in repr(settings)
    assert settings.secret("slack_bot_token") == "xoxb-very-secret"


def test_admin_ids_are_comma_separated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADMIN_USER_IDS", "U1, U2,,U3")
    assert load_settings().admin_user_ids == ["U1", "U2", "U3"]


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_database_url_gets_the_installed_driver(
    url: str, driver: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(database_url=url).sqlalchemy_url.drivername == driver


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("TIMEZONE", "Mars/Olympus", "not a known time zone"),
        ("DATABASE_URL", "not a url", "not a database URL"),
        ("DATABASE_URL", "mysql://u@h/db", "not supported"),
        ("PORT", "abc", "whole number"),
        ("PORT", "70000", "less than or equal"),
        ("HOLIDAY_STATE", "XX", "not a German state"),
        ("DEFAULT_LANGUAGE", "fr", "must be one of de, en"),
        ("MIN_GROUP_SIZE", "1", "greater than or equal"),
        ("RETENTION_MONTHS", "0", "greater than or equal"),
        ("RETENTION_MONTHS", "121", "less than or equal"),
        ("RETENTION_MONTHS", "zwei", "whole number"),
        ("SLACK_API_URL", "slack.com/api", "http(s) URL"),
        ("SLASH_COMMAND", "ki", "slash command"),
        ("HOURLY_RATE_EUR", "inf", "finite number"),
        ("HOURLY_RATE_EUR", "nan", "finite number"),
        ("HOURLY_RATE_EUR", "1e308", "less than or equal"),
        ("INVESTMENT_PER_EMPLOYEE_EUR", "-inf", "finite number"),
        ("BUDDY_CHECKIN_TIME", "25:00", "not a time of day"),
        ("REPORT_TIME", "9 Uhr", "not a time of day"),
        ("OFFICE_HOURS_TIME", "16:00:30", "not a time of day"),
        ("COACH_API_URL", "llm.example.eu/v1", "http(s) URL"),
        # A model endpoint without a model: the variable to fix is the missing one.
        ("COACH_API_URL", "https://llm.example.eu/v1", "name the model"),
        ("COACH_PER_DAY", "0", "greater than or equal"),
        ("COACH_TIMEOUT_SECONDS", "inf", "finite number"),
    ],
)
def test_invalid_values_name_the_variable(
    variable: str, value: str, fragment: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert raised.value.variable == ("COACH_MODEL" if fragment == "name the model" else variable)
    assert fragment in raised.value.problem


def test_the_coach_is_off_by_default_and_on_with_an_endpoint_and_a_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert not load_settings().coach_enabled
    monkeypatch.setenv("COACH_API_URL", "https://llm.example.eu/v1/chat/completions/")
    monkeypatch.setenv("COACH_MODEL", "mistral-small")
    monkeypatch.setenv("COACH_API_KEY", "sk-secret")
    settings = load_settings()
    assert settings.coach_enabled and settings.coach_api_url == "https://llm.example.eu/v1"
    assert settings.coach_host == "llm.example.eu" and "sk-secret" not in repr(settings)


def _run_bot(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_bot(args, cwd, **env)


@pytest.mark.parametrize(
    ("args", "env", "variable"),
    [
        (["migrate"], {"TIMEZONE": "Nowhere/Land"}, "TIMEZONE"),
        (["migrate"], {"DATABASE_URL": "::::"}, "DATABASE_URL"),
        (["migrate"], {"PORT": "eighty"}, "PORT"),
        (["migrate"], {"RETENTION_MONTHS": "0"}, "RETENTION_MONTHS"),
        (["serve"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        (["socket"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        (["socket"], {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        (["migrate"], {"HOURLY_RATE_EUR": "inf"}, "HOURLY_RATE_EUR"),
        (["migrate"], {"HOURLY_RATE_EUR": "1e308"}, "HOURLY_RATE_EUR"),
    ],
)
def test_start_up_stops_with_exit_2_and_one_readable_line(
    args: list[str], env: dict[str, str], variable: str, tmp_path: Path
) -> None:
    result = _run_bot(args, env, tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"configuration error: {variable} ")
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = _run_bot(
        ["migrate"],
        {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"},
        tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("database unavailable")


def test_migrate_creates_the_sqlite_file(tmp_path: Path) -> None:
    result = _run_bot(["migrate"], {"DATABASE_URL": "sqlite:///bot.db"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bot.db").exists()


def test_a_broken_company_curriculum_stops_start_up_naming_file_and_field(tmp_path: Path) -> None:
    from config import CONFIG_DIR

    company = tmp_path / "firma"
    company.mkdir()
    text = (CONFIG_DIR / "curriculum.yaml").read_text(encoding="utf-8")
    (company / "curriculum.yaml").write_text(
        text.replace("    name: {de: Power-User, en: Power user}\n", ""), encoding="utf-8"
    )
    result = _run_bot(["migrate"], {"CATALOG_DIR": str(company)}, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert (
        last == f"configuration error: {company / 'curriculum.yaml'}: tracks[1] is missing field 'name' (with at "
        "least a German text 'de')"
    )


def test_the_env_example_copied_as_is_starts_the_console(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.cli import choose_mode
    from tests.conftest import REPO_ROOT

    (tmp_path / ".env").write_text((REPO_ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "CATALOG_DIR", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert choose_mode(settings) == "console"
    assert settings.catalog_dir is None and settings.ai_policy_url == ""
