"""How long `/ki log` takes to answer when Slack's users.info is quick, and when it hangs for 3 seconds.

Run with `make bench`. The tests only check the order of events (the answer leaves while users.info is still
pending); this prints the times: the median answer per case and the ratio to the quick case in the same run.
Slack gives a slash command 3 seconds.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from slack_bolt import App, BoltRequest

from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database, make_engine
from bot.migrate import upgrade_to_head
from config.settings import Settings
from tests.conftest import TEAM, signed_headers, slash_command_body
from tests.slack_payloads import SettlingExecutor, bolt_app

ROUNDS = 5
SLOW_SLACK_SECONDS = 3.0


def answer_time(app: App, user: str) -> float:
    body = slash_command_body("log 10 ChatGPT", user=user)
    started = time.perf_counter()
    response = app.dispatch(BoltRequest(body=body, headers=signed_headers(body)))
    elapsed = time.perf_counter() - started
    assert response.status == 200, response.body
    executor = app.listener_runner.listener_executor
    if isinstance(executor, SettlingExecutor):
        executor.settle(timeout=30)
    return elapsed


def main() -> int:
    slack = LocalSlackApi(team_id=TEAM)
    slack.start()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'bench.db'}", _env_file=None)  # type: ignore[call-arg]
        database = Database(make_engine(settings.sqlalchemy_url))
        upgrade_to_head(database.engine)
        with bolt_app(database, slack) as (app, _):
            times: dict[str, list[float]] = {"quick": [], "slow": []}
            for n in range(ROUNDS):
                for case in times:
                    user = f"U{case.upper()}{n}"  # a new person each time: no cached profile
                    slack.add_user(SlackUser(user, user.lower()))
                    slack.delay("users.info", SLOW_SLACK_SECONDS if case == "slow" else 0)
                    times[case].append(answer_time(app, user))
            slack.delay("users.info", 0)
        database.dispose()
    slack.stop()
    quick, slow = (statistics.median(times[case]) for case in ("quick", "slow"))
    print(
        f"/ki log answer, users.info quick: {quick * 1000:7.1f} ms | users.info {SLOW_SLACK_SECONDS:.0f} s: "
        f"{slow * 1000:7.1f} ms | ratio {slow / quick:5.2f} | Slack's limit 3000 ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
