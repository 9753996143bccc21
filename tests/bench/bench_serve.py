"""What the `serve` process costs before it does anything: cold start to the first 200 on `/healthz`, and
resident memory after it settled, for KI-Lotse (SQLite and PostgreSQL) and a bare Bolt app in the same run.

`make bench` measures this as part of `bench_ack`, next to the answer times.

`python -m tests.bench.bench_serve [--checkout DIR]`: DIR is another checkout of KI-Lotse to measure (e.g. an
older commit), started with this environment's interpreter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bot.console.local_slack import LocalSlackApi, SlackUser
from tests.conftest import SIGNING_SECRET, TEAM, free_port, stop_process

ROUNDS = 3
SETTLE_SECONDS = 2.0
START_TIMEOUT_SECONDS = 60.0
BENCH_DATABASE = "ki_lotse_bench"
POSTGRES_URL = f"postgresql+psycopg://127.0.0.1:5432/{BENCH_DATABASE}"


@dataclass(frozen=True)
class Started:
    process: subprocess.Popen[bytes]
    port: int
    seconds: float
    output: IO[bytes]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def start(command: list[str], env: dict[str, str], cwd: Path, port: int) -> Started:
    # A file, not a pipe: a pipe nobody reads fills up under load and stalls the server's logging.
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
    while not healthy(port):
        if process.poll() is not None:
            raise RuntimeError(f"{command} stopped: {server_output(Started(process, port, 0.0, output))}")
        if time.perf_counter() - began > START_TIMEOUT_SECONDS:
            process.kill()
            raise RuntimeError(f"{command} did not become healthy")
        time.sleep(0.02)
    return Started(process, port, time.perf_counter() - began, output)


def server_output(started: Started) -> str:
    """What the server wrote to stdout and stderr so far."""
    started.output.seek(0)
    return started.output.read().decode(errors="replace")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def stop(started: Started) -> None:
    stop_process(started.process)
    started.output.close()


def ki_lotse_env(slack: LocalSlackApi, database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "SCHEDULER_IN_PROCESS": "false",
    }


def measure(label: str, launch: Callable[[], Started]) -> tuple[str, float, float]:
    starts, rss = [], []
    for _ in range(ROUNDS):
        started = launch()
        time.sleep(SETTLE_SECONDS)
        rss.append(rss_mib(started.process.pid))
        starts.append(started.seconds)
        stop(started)
    return label, statistics.median(starts), statistics.median(rss)


def fresh_postgres_database() -> None:
    """A database of the benchmark's own, so that it never migrates or fills the one the tests use."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 dbname=test", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")


def launchers(slack: LocalSlackApi, sqlite_url: str, checkout: Path) -> list[tuple[str, Callable[[], Started]]]:
    """How to start each process measured: KI-Lotse on SQLite and on PostgreSQL (from `checkout`, talking to
    `slack`), and the bare Bolt app; each on a free port."""

    def ki_lotse(url: str) -> Callable[[], Started]:
        def launch() -> Started:
            port = free_port()
            command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"]
            return start(command, ki_lotse_env(slack, url, port), checkout, port)

        return launch

    return [
        ("KI-Lotse serve, SQLite", ki_lotse(sqlite_url)),
        ("KI-Lotse serve, PostgreSQL", ki_lotse(POSTGRES_URL)),
        ("bare Bolt", baseline("tests.bench.bare_bolt", slack)),
    ]


def floors(slack: LocalSlackApi, sqlite_url: str) -> list[tuple[str, Callable[[], Started]]]:
    """How to start the floor for `/ki log` (floor_bolt.py) on SQLite and on PostgreSQL, on the databases
    KI-Lotse migrated."""
    return [
        ("floor, SQLite", baseline("tests.bench.floor_bolt", slack, DATABASE_URL=sqlite_url)),
        ("floor, PostgreSQL", baseline("tests.bench.floor_bolt", slack, DATABASE_URL=POSTGRES_URL)),
    ]


def baseline(module: str, slack: LocalSlackApi, **env: str) -> Callable[[], Started]:
    """How to start one of the benchmark's own apps (`python -m module PORT SIGNING_SECRET`) from this checkout,
    on a free port, talking to `slack`."""

    def launch() -> Started:
        port = free_port()
        command = [sys.executable, "-m", module, str(port), SIGNING_SECRET]
        environment = {**os.environ, "SLACK_API_URL": slack.url, **env}
        return start(command, environment, Path(__file__).resolve().parents[2], port)

    return launch


def print_start_and_memory(rows: list[tuple[str, float, float]]) -> None:
    bare_start, bare_rss = rows[-1][1], rows[-1][2]
    print(f"{'process':28} {'cold start':>11} {'ratio':>6} {'idle RSS':>10} {'ratio':>6}   ({ROUNDS} runs, medians)")
    for label, seconds, rss in rows:
        print(f"{label:28} {seconds * 1000:8.0f} ms {seconds / bare_start:5.1f}× {rss:6.0f} MiB {rss / bare_rss:5.1f}×")


def set_up(argv: list[str] | None, users: Iterable[str] = ()) -> tuple[Path, LocalSlackApi]:
    """What this benchmark and `bench_ack` do first: read `--checkout DIR` (this checkout unless told
    otherwise), give PostgreSQL a fresh benchmark database, start a fake Slack that knows `users`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkout", type=Path, default=Path(__file__).resolve().parents[2])
    checkout: Path = parser.parse_args(argv).checkout
    fresh_postgres_database()
    slack = LocalSlackApi(team_id=TEAM)
    for user in users:
        slack.add_user(SlackUser(user, user.lower()))
    slack.start()
    return checkout, slack


def main(argv: list[str] | None = None) -> int:
    checkout, slack = set_up(argv)
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        rows = [measure(label, launch) for label, launch in launchers(slack, sqlite_url, checkout)]
    slack.stop()
    print_start_and_memory(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
