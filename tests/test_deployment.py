"""The deployment files say what the code does: compose.yaml, the Dockerfile and the systemd units start
modes `python -m bot` has, copy what exists, and run as a user that is not root. (No Docker engine runs in
the test environment; the files are checked as text.)"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from bot.cli import parse_args

ROOT = Path(__file__).resolve().parents[1]


def mode_of(command: list[str]) -> str:
    """The mode `python -m bot …` (any interpreter path) starts; parse_args refuses one that does not exist."""
    assert command[1:3] == ["-m", "bot"], command
    return str(parse_args(command[3:]).mode)


def test_compose_runs_web_and_clock_on_postgres_with_a_volume() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["db"]["volumes"])
    assert set(compose["volumes"]) == {"db-data"}
    assert mode_of(services["web"]["command"]) == "serve"
    assert mode_of(services["clock"]["command"]) == "scheduler"
    # One scheduler: the web process leaves the jobs to the clock.
    assert services["web"]["environment"]["SCHEDULER_IN_PROCESS"] == "false"
    for name in ("web", "clock"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_image_copies_what_exists_and_runs_serve_as_a_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for copied in re.findall(r"^COPY (.+) \S+$", dockerfile, re.M):
        for path in copied.split():
            assert (ROOT / path).exists(), path
    users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    command = re.search(r"^CMD (\[.+\])$", dockerfile, re.M)
    assert command is not None and mode_of(yaml.safe_load(command.group(1))) == "serve"
    assert "/readyz" in dockerfile


def test_the_systemd_units_start_the_web_and_the_clock() -> None:
    modes = {}
    for unit in sorted((ROOT / "deploy" / "systemd").glob("*.service")):
        text = unit.read_text(encoding="utf-8")
        start = re.search(r"^ExecStart=(.+)$", text, re.M)
        assert start is not None, unit
        modes[unit.name] = mode_of(shlex.split(start.group(1)))
        assert re.search(r"^User=(?!root$)\S+$", text, re.M), unit
    assert modes == {"ki-lotse-clock.service": "scheduler", "ki-lotse-web.service": "serve"}
