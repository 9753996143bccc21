"""App Home for a member with three years of data, against a new member in the same run.

Run with `make bench`. Prints the median time to build the home (queries + Block Kit) per database and
the ratio to the baseline; the target is "well under a second" whatever the history.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta

from sqlalchemy import text

from bot.catalogs import load_catalogs
from bot.db import Database, make_engine
from bot.i18n import Translator
from bot.migrate import upgrade_to_head
from bot.models import UsageLog
from bot.render.home import home_view
from bot.services.home import home_page
from bot.services.members import ensure_member
from bot.services.use_cases import seed_examples
from config.settings import Settings
from tests.bench.common import on_both_databases

ROUNDS = 30
TODAY = date(2026, 11, 26)


def build_home(database: Database, user: str, settings: Settings) -> float:
    catalogs = load_catalogs()
    started = time.perf_counter()
    with database.unit_of_work("TBENCH") as uow:
        member = ensure_member(uow, user, "de")
        page = home_page(uow, member, TODAY, catalogs, settings, as_admin=True)
        view = home_view(Translator("de"), page, catalogs, settings, False)
    assert len(view["blocks"]) <= 100
    return time.perf_counter() - started


def run(url: str, label: str) -> None:
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    database = Database(make_engine(settings.sqlalchemy_url))
    upgrade_to_head(database.engine)
    with database.unit_of_work("TBENCH") as uow:
        veteran = ensure_member(uow, "UVETERAN", "de")
        ensure_member(uow, "UNEW", "de")
        seed_examples(uow, veteran, load_catalogs().departments)
        uow.session.flush()
        cases = [row[0] for row in uow.session.execute(text("SELECT id FROM use_cases WHERE team_id = 'TBENCH'"))]
        uow.session.add_all(
            UsageLog(
                team_id="TBENCH",
                member_id=veteran.id,
                minutes=20 + n % 60,
                tool=("chatgpt", "deepl")[n % 2],
                use_case_id=cases[n % 3],
                note="Notiz",
                used_on=TODAY - timedelta(days=n // 3),
            )
            for n in range(3 * 365 * 3)
        )
    baseline = statistics.median(build_home(database, "UNEW", settings) for _ in range(ROUNDS))
    veteran_time = statistics.median(build_home(database, "UVETERAN", settings) for _ in range(ROUNDS))
    print(
        f"{label:10s} app home, new member: {baseline * 1000:7.2f} ms | 3 years, 3,285 logs: "
        f"{veteran_time * 1000:7.2f} ms | ratio {veteran_time / baseline:5.2f}"
    )
    with database.engine.begin() as connection:
        for table in ("usage_logs", "use_case_status_changes", "use_cases", "members", "workspaces"):
            connection.execute(text(f"DELETE FROM {table} WHERE team_id = 'TBENCH'"))
    database.dispose()


def main() -> int:
    return on_both_databases(run)


if __name__ == "__main__":
    raise SystemExit(main())
