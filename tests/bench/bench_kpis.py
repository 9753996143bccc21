"""The weekly post and the monthly report over 10,000 and over 1,000,000 usage logs (250 members, 3 years),
on SQLite and PostgreSQL. Run with `make bench`.

Timed is what the jobs do, each in its own unit of work: the weekly post for the last full week (the
leaderboard's figures and its message), and the monthly report for the last full month (`month_figures`
with the previous month, the maturity distribution and the 12-week series, the message and the chart).
The goal for both: under 100 ms at 1M logs, and at most 3× the time at 10k logs although the data grows 100×.
"""

from __future__ import annotations

import random
import statistics
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from time import perf_counter
from urllib.parse import quote

from sqlalchemy import Connection, create_engine, insert, text

from bot.db import Database, make_engine
from bot.i18n import Translator
from bot.migrate import upgrade_to_head
from bot.models import Assessment, Member, UsageLog, Workspace
from bot.render.charts import weekly_chart
from bot.render.kpis import leaderboard_message, monthly_report
from bot.services import kpis
from config.settings import Settings
from tests.bench.common import on_both_databases

MEMBERS = 250
DAYS = 3 * 365
# A Thursday: the weekly post covers 16–22 November, the monthly report October 2026.
TODAY = date(2026, 11, 26)
LAST_FULL_WEEK = kpis.week_of(TODAY - timedelta(days=7))
LAST_FULL_MONTH = kpis.month_of(TODAY.replace(day=1) - timedelta(days=1))
# The logs of these last weeks, which both reports read (the month, the month before and the 12-week series),
# are written one day after the other, as they are in use, and vacuumed only when autovacuum would be.
WRITTEN_LATELY = TODAY - timedelta(weeks=13)
ROUNDS = 7
SIZES = (("TBENCH10K", 10_000), ("TBENCH1M", 1_000_000))
GOAL_MS = 100.0
GOAL_RATIO = 3.0
TR = Translator("de")


@dataclass(frozen=True)
class Timing:
    weekly_post: float
    monthly_report: float
    # The monthly report's parts: the figures (all its queries) and the chart.
    month_figures: float
    chart: float


def fill(database: Database, team: str, logs: int) -> None:
    rng = random.Random(logs)
    joined = datetime(2023, 1, 1, tzinfo=UTC)
    with database.engine.begin() as connection:
        connection.execute(insert(Workspace), [{"team_id": team, "default_language": "de", "created_at": joined}])
        connection.execute(
            insert(Member),
            [
                {
                    "team_id": team,
                    "slack_user_id": f"U{n:04d}",
                    "department": f"Bereich {n % 12}" if n % 17 else None,
                    "created_at": joined,
                    "ranking_opt_in": n % 9 == 0,
                }
                for n in range(MEMBERS)
            ],
        )
        authors = [
            (row[0], row[1])
            for row in connection.execute(text("SELECT id, department FROM members WHERE team_id = :t"), {"t": team})
        ]
        # Three self-checks per person over the three years: the maturity distribution has work to do.
        connection.execute(
            insert(Assessment),
            [
                {
                    "team_id": team,
                    "member_id": member_id,
                    "department": department,
                    "levels": {"prompting": level},
                    "overall_level": level,
                    "recommended_track": "power",
                    "created_at": datetime.combine(TODAY - timedelta(days=rng.randrange(DAYS)), time(9), UTC),
                }
                for member_id, department in authors
                for level in (1, 2, rng.randint(1, 3))
            ],
        )
    tools = ["chatgpt", "claude", "deepl", "copilot", None]
    batch = 50_000
    recent: list[dict[str, object]] = []
    days_with_logs: set[tuple[object, ...]] = set()
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
        recent += [row for row in rows if row["used_on"] >= WRITTEN_LATELY]
        older = [row for row in rows if row["used_on"] < WRITTEN_LATELY]
        days_with_logs.update(day_total_of(row) for row in older)
        with database.engine.begin() as connection:
            connection.execute(insert(UsageLog), older)
    postgresql = database.engine.dialect.name == "postgresql"
    if postgresql:
        maintain(database, "VACUUM")
    # The latest weeks, day by day as they are written, vacuumed whenever autovacuum would come by: the reports
    # read rows written since it last did.
    with database.engine.connect() as connection:
        vacuum_after = autovacuum_thresholds(connection) if postgresql else None
        table_rows = connection.scalar(text("SELECT count(*) FROM usage_day_totals")) or 0
    recent.sort(key=lambda row: str(row["used_on"]))
    added = changed = 0
    for _day, written in groupby(recent, key=lambda row: row["used_on"]):
        rows = list(written)
        with database.engine.begin() as connection:
            connection.execute(insert(UsageLog), rows)
        for row in rows:
            known = day_total_of(row) in days_with_logs
            changed, added, table_rows = changed + known, added + (not known), table_rows + (not known)
            days_with_logs.add(day_total_of(row))
        if vacuum_after is not None:
            most_changed, most_added = vacuum_after(table_rows)
            if changed > most_changed or added > most_added:
                maintain(database, "VACUUM usage_day_totals")
                added = changed = 0
    # Planner statistics, which autovacuum refreshes at least as often.
    maintain(database, "ANALYZE")


def maintain(database: Database, statement: str) -> None:
    """VACUUM and ANALYZE, which run outside a transaction."""
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


def day_total_of(log: dict[str, object]) -> tuple[object, ...]:
    """The row of `usage_day_totals` a log counts in: one log more on a day is one row changed, or added."""
    return (log["member_id"], log["used_on"], log["department"] or "")


def autovacuum_thresholds(connection: Connection) -> Callable[[int], tuple[float, float]]:
    """After how many changed and how many added rows PostgreSQL's autovacuum comes by the daily totals, given
    their row count (its formula, with the table's own settings where it has them)."""
    setting = text(
        "SELECT coalesce((SELECT option_value FROM pg_options_to_table("
        "  (SELECT reloptions FROM pg_class WHERE oid = 'usage_day_totals'::regclass)) WHERE option_name = :name),"
        " current_setting(:name))::float"
    )

    def value(name: str) -> float:
        return float(connection.scalar(setting, {"name": name}))

    dead_base, dead_scale = value("autovacuum_vacuum_threshold"), value("autovacuum_vacuum_scale_factor")
    added_base, added_scale = (
        value("autovacuum_vacuum_insert_threshold"),
        value("autovacuum_vacuum_insert_scale_factor"),
    )
    return lambda rows: (dead_base + dead_scale * rows, added_base + added_scale * rows)


def median(work: Callable[[], object]) -> float:
    work()  # warm caches (and import matplotlib) once
    times = []
    for _ in range(ROUNDS):
        started = perf_counter()
        work()
        times.append(perf_counter() - started)
    return statistics.median(times)


def measure(database: Database, team: str, settings: Settings) -> Timing:
    figures_settings = kpis.KpiSettings.from_settings(settings)

    def weekly_post() -> None:
        with database.unit_of_work(team) as uow:
            board = kpis.leaderboard(uow, LAST_FULL_WEEK, figures_settings, today=TODAY)
        assert board.kpis.shown and board.ranked, "the weekly post has figures and names to show"
        leaderboard_message(TR, board, settings)

    def figures() -> kpis.MonthFigures:
        with database.unit_of_work(team) as uow:
            month = kpis.month_figures(uow, LAST_FULL_MONTH, figures_settings, TODAY)
        assert month.current.shown and month.maturity and len(month.series) == 12, "a full report is measured"
        return month

    def report() -> None:
        month = figures()
        monthly_report(TR, month.current, month.previous, month.maturity, settings.min_group_size, month.buddy_feedback)
        weekly_chart(TR, month.series)

    series = figures().series
    return Timing(median(weekly_post), median(report), median(figures), median(lambda: weekly_chart(TR, series)))


@contextmanager
def own_schema(url: str) -> Iterator[str]:
    """On PostgreSQL a schema of the benchmark's own, dropped afterwards: its tables and its migration state
    never meet those of another run or of another branch on the same database."""
    if not url.startswith("postgresql"):
        yield url
        return
    admin = create_engine(Settings(database_url=url, _env_file=None).sqlalchemy_url)  # type: ignore[call-arg]
    schema = f"bench_kpis_{uuid.uuid4().hex[:8]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def verdict(at_1m: float, at_10k: float) -> str:
    ratio = at_1m / at_10k
    passed = at_1m * 1000 < GOAL_MS and ratio <= GOAL_RATIO
    return f"{at_10k * 1000:8.1f} ms {at_1m * 1000:8.1f} ms {ratio:6.1f}x  {'PASS' if passed else 'FAIL'}"


def main() -> int:
    results: dict[str, dict[int, Timing]] = {}

    def run(url: str, label: str) -> None:
        with own_schema(url) as schema_url:
            settings = Settings(database_url=schema_url, _env_file=None)  # type: ignore[call-arg]
            database = Database(make_engine(settings.sqlalchemy_url))
            upgrade_to_head(database.engine)
            timings = results.setdefault(label, {})
            for team, logs in SIZES:
                started = perf_counter()
                fill(database, team, logs)
                filled = perf_counter() - started
                timing = timings[logs] = measure(database, team, settings)
                print(
                    f"{label:10s} {logs:>9,} logs (filled in {filled:5.1f} s):"
                    f" weekly post {timing.weekly_post * 1000:7.1f} ms"
                    f" | monthly report {timing.monthly_report * 1000:7.1f} ms (figures"
                    f" {timing.month_figures * 1000:6.1f} ms, chart {timing.chart * 1000:6.1f} ms)",
                    flush=True,
                )
            database.dispose()

    on_both_databases(run)
    print(f"\ngoal: under {GOAL_MS:.0f} ms at 1M logs and at most {GOAL_RATIO:.0f}x the time at 10k")
    print(f"{'':10s} {'':44s} {'10k':>11s} {'1M':>11s} {'1M/10k':>7s}")
    for label, timings in results.items():
        if len(timings) < len(SIZES):
            continue
        small, large = timings[SIZES[0][1]], timings[SIZES[1][1]]
        print(f"{label:10s} {'weekly post, last full week':44s} {verdict(large.weekly_post, small.weekly_post)}")
        print(
            f"{label:10s} {'monthly report, last full month, with chart':44s}"
            f" {verdict(large.monthly_report, small.monthly_report)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
