"""Leaderboard and monthly KPIs over 10,000 and over 1,000,000 usage logs (250 members, 3 years), on
SQLite and PostgreSQL. Run with `make bench`; the ratio 1M / 10k shows whether the queries are
index-backed (it stays far below the 100× the data grows by).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from bot.db import Database, make_engine
from bot.migrate import upgrade_to_head
from bot.models import Member, UsageLog, Workspace
from bot.services import kpis
from config.settings import Settings
from tests.bench.common import on_both_databases

MEMBERS = 250
DAYS = 3 * 365
TODAY = date(2026, 11, 26)
ZONE = ZoneInfo("Europe/Berlin")
SETTINGS = kpis.KpiSettings(ZONE, 5, 45.0, 2000.0)
ROUNDS = 7


def fill(database: Database, team: str, logs: int) -> None:
    rng = random.Random(logs)
    with database.engine.begin() as connection:
        connection.execute(
            insert(Workspace),
            [{"team_id": team, "default_language": "de", "created_at": datetime(2023, 1, 1, tzinfo=UTC)}],
        )
        connection.execute(
            insert(Member),
            [
                {
                    "team_id": team,
                    "slack_user_id": f"U{n:04d}",
                    "department": f"Bereich {n % 12}" if n % 17 else None,
                    "created_at": datetime(2023, 1, 1, tzinfo=UTC),
                    "ranking_opt_in": n % 9 == 0,
                }
                for n in range(MEMBERS)
            ],
        )
        authors = [
            (row[0], row[1])
            for row in connection.execute(text("SELECT id, department FROM members WHERE team_id = :t"), {"t": team})
        ]
    tools = ["chatgpt", "claude", "deepl", "copilot", None]
    batch = 50_000
    for offset in range(0, logs, batch):
        rows = [
            {
                "team_id": team,
                **dict(zip(("member_id", "department"), rng.choice(authors), strict=True)),
                "minutes": rng.randint(5, 240),
                "note": "",
                "tool": rng.choice(tools),
                "used_on": TODAY - timedelta(days=rng.randrange(DAYS)),
                "created_at": datetime(2026, 1, 1, tzinfo=UTC),
            }
            for _ in range(min(batch, logs - offset))
        ]
        with database.engine.begin() as connection:
            connection.execute(insert(UsageLog), rows)
    with database.engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def measure(database: Database, team: str) -> tuple[float, float]:
    def leaderboard() -> None:
        with database.unit_of_work(team) as uow:
            kpis.leaderboard(uow, kpis.week_of(TODAY), SETTINGS, today=TODAY)

    def monthly() -> None:
        with database.unit_of_work(team) as uow:
            month = kpis.month_of(TODAY)
            kpis.workspace_kpis(uow, month, SETTINGS, today=TODAY)
            kpis.workspace_kpis(uow, month.previous(), SETTINGS, today=TODAY)
            kpis.weekly_series(uow, kpis.week_of(TODAY), ZONE, TODAY, 5)

    def median(work) -> float:
        work()  # warm caches once
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return median(leaderboard), median(monthly)


def run(url: str, label: str) -> None:
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    database = Database(make_engine(settings.sqlalchemy_url))
    upgrade_to_head(database.engine)
    results = {}
    for team, logs in (("TBENCH10K", 10_000), ("TBENCH1M", 1_000_000)):
        started = time.perf_counter()
        fill(database, team, logs)
        filled = time.perf_counter() - started
        results[logs] = measure(database, team)
        print(
            f"{label:10s} {logs:>9,} logs (filled in {filled:5.1f} s): leaderboard {results[logs][0] * 1000:7.1f} ms"
            f" | monthly KPIs {results[logs][1] * 1000:7.1f} ms",
            flush=True,
        )
    print(
        f"{label:10s} ratio 1M/10k: leaderboard {results[1_000_000][0] / results[10_000][0]:5.1f}x | "
        f"monthly KPIs {results[1_000_000][1] / results[10_000][1]:5.1f}x",
        flush=True,
    )
    with database.engine.begin() as connection:
        for table in ("usage_logs", "members", "workspaces"):
            connection.execute(text(f"DELETE FROM {table} WHERE team_id LIKE 'TBENCH%'"))
    database.dispose()


def main() -> int:
    return on_both_databases(run)


if __name__ == "__main__":
    raise SystemExit(main())
