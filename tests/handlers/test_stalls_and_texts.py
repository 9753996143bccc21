"""A database that does not answer in time: the person is told nothing was stored, and nothing is; texts
with control characters are stored and posted without them."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from slack_bolt import App
from sqlalchemy import Connection, func, select, text

from bot import db
from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database, DatabaseTimeout
from bot.models import Member, Tip, UsageLog
from bot.services.members import ensure_member
from tests.blockkit import text_of
from tests.conftest import TEAM
from tests.rows import stored
from tests.slack_payloads import bolt_app, command


@pytest.fixture
def app(database: Database, local_slack: LocalSlackApi) -> Iterator[App]:
    local_slack.add_user(SlackUser("U0ANNA", "anna", locale="de-DE"))
    with bolt_app(database, local_slack, community_channel="C0COMMUNITY") as (bolt, _):
        yield bolt


def count(database: Database, model: type) -> int:
    with database.unit_of_work(TEAM) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def hold_write_lock(connection: Connection) -> None:
    """Another writer that keeps the tables busy (SQLite: the database's write lock)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE usage_logs, members IN ACCESS EXCLUSIVE MODE"))
    else:
        connection.execute(text("DELETE FROM usage_logs WHERE id < 0"))


def test_a_locked_database_answers_nothing_stored_and_stores_nothing(app: App, database: Database) -> None:
    command(app, "hilfe")
    with database.engine.connect() as other, other.begin():
        hold_write_lock(other)
        answer = command(app, "log 45 Angebot mit ChatGPT")
    assert answer["text"].startswith(":warning:")
    assert "nichts gespeichert" in answer["text"]
    assert count(database, UsageLog) == 0


def test_what_only_reads_is_answered_while_another_writer_holds_the_lock(app: App, database: Database) -> None:
    command(app, "log 30 ChatGPT")
    with database.engine.connect() as other, other.begin():
        other.execute(text("DELETE FROM usage_logs WHERE id < 0"))  # a writer in the middle of its work
        assert "Was ich für dich tun kann" in command(app, "hilfe")["text"]
        for words in ("stats", "log liste", "top", "daten"):
            assert "nichts gespeichert" not in command(app, words)["text"], words


def test_a_unit_of_work_past_its_deadline_is_rolled_back_not_committed(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(db, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    with pytest.raises(DatabaseTimeout), database.unit_of_work(TEAM, deadline=1002.5) as uow:
        ensure_member(uow, "U0LATE", "de")
        uow.session.flush()
        clock[0] = 1020.0  # the work took longer than Slack waits for the answer
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalar(select(Member).where(Member.slack_user_id == "U0LATE")) is None


def test_a_tip_that_cannot_be_stored_is_not_posted(app: App, database: Database, local_slack: LocalSlackApi) -> None:
    command(app, "hilfe")
    with database.engine.connect() as other, other.begin():
        hold_write_lock(other)
        answer = command(app, "tip Mit DeepL zuerst übersetzen, dann kürzen lassen")
    assert "nichts gespeichert" in answer["text"]
    assert local_slack.calls_to("chat.postMessage") == []
    assert count(database, Tip) == 0


@pytest.mark.parametrize("typed", ["Prompt\x00 mit Rolle", "Prompt\x01\x1b mit\x7f Rolle\x85"])
def test_control_characters_are_removed_from_a_tip_before_it_is_stored_and_posted(
    app: App, database: Database, local_slack: LocalSlackApi, typed: str
) -> None:
    answer = command(app, f"tip {typed}")
    assert answer["text"].startswith(":white_check_mark:"), answer["text"]
    assert stored(database, Tip.text) == ["Prompt mit Rolle"]
    posted = text_of(local_slack.calls_to("chat.postMessage")[-1].params["blocks"])
    assert "Prompt mit Rolle" in posted


def test_control_characters_are_removed_from_a_log_note(app: App, database: Database) -> None:
    answer = command(app, "log 45 Angebot\x00 mit\x07 ChatGPT")
    assert answer["text"].startswith(":white_check_mark:")
    assert stored(database, UsageLog.note) == ["Angebot mit ChatGPT"]
