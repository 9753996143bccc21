"""Start-up against a database that accepts connections but never answers."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from bot.db import Database, make_engine
from bot.domain.usage import UsageEntry
from bot.models import Base
from bot.services.members import ensure_member
from bot.services.usage import log_usage
from tests.conftest import run_bot


def test_a_database_that_never_answers_stops_start_up_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as silent:
        # Listening is enough: the kernel accepts the connection, and nothing ever answers on it.
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        result = run_bot(["migrate"], tmp_path, DATABASE_URL=f"postgresql://nobody@127.0.0.1:{port}/none")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("database unavailable")
    assert "Traceback" not in result.stderr


def test_the_operator_erases_a_workspace_only_when_confirmed(tmp_path: Path) -> None:
    """`python -m bot erase-workspace T…`: without `--yes` nothing happens; with it every row of the workspace
    goes, the other workspace's stay."""
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    assert run_bot(["migrate"], tmp_path, DATABASE_URL=url).returncode == 0
    engine = make_engine(url)
    database = Database(engine)
    for team in ("T0GONE", "T0KEPT"):
        with database.unit_of_work(team) as uow:
            member = ensure_member(uow, "U0ANNA", "de")
            log_usage(uow, member, UsageEntry(15, "deepl", None, ""), date(2026, 11, 26), date(2026, 11, 26))

    unconfirmed = run_bot(["erase-workspace", "T0GONE"], tmp_path, DATABASE_URL=url)
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    assert _rows(engine, "T0GONE") > 0

    erased = run_bot(["erase-workspace", "T0GONE", "--yes"], tmp_path, DATABASE_URL=url)
    assert erased.returncode == 0, erased.stderr
    assert "T0GONE erased" in erased.stdout
    assert _rows(engine, "T0GONE") == 0 and _rows(engine, "T0KEPT") > 0
    again = run_bot(["erase-workspace", "T0GONE", "--yes"], tmp_path, DATABASE_URL=url)
    assert "nothing stored" in again.stdout
    engine.dispose()


def _rows(engine: Engine, team: str) -> int:
    with engine.connect() as connection:
        return sum(
            connection.execute(select(func.count()).select_from(table).where(table.c.team_id == team)).scalar_one()
            for table in Base.metadata.sorted_tables
            if "team_id" in table.c
        )
