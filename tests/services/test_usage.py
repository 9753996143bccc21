"""Logging and personal stats on a real database (each test runs on SQLite and on PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.usage import UsageEntry
from bot.models import Member, UsageLog, UseCase, Workspace
from bot.services.members import SlackProfile, ensure_member, language_of, set_language
from bot.services.usage import log_usage, member_stats, own_log, recent_logs, remove_log, update_log
from bot.services.use_cases import create_use_case

TODAY = date(2026, 11, 26)  # a Thursday


def entry(minutes: int, tool: str | None = None) -> UsageEntry:
    return UsageEntry(minutes=minutes, tool=tool, use_case_slug=None, note="")


def log(
    database: Database,
    user: str,
    minutes: int,
    day: date = TODAY,
    team: str = "T1",
    tool: str | None = None,
    slug: str | None = None,
) -> int:
    with database.unit_of_work(team) as uow:
        member = ensure_member(uow, user, "de")
        use_case = None
        if slug is not None:
            use_case = uow.session.scalar(select(UseCase).where(UseCase.team_id == team, UseCase.slug == slug))
            if use_case is None:
                use_case = create_use_case(uow, member, (), slug.capitalize(), None, 60)
        return log_usage(uow, member, entry(minutes, tool), used_on=day, today=TODAY, use_case=use_case).week_minutes


def count_logs(database: Database) -> int:
    with database.unit_of_work("T1") as uow:
        return int(uow.session.scalar(select(func.count(UsageLog.id))) or 0)


def test_log_is_stored_with_week_total(database: Database) -> None:
    assert log(database, "U1", 45, tool="chatgpt", slug="angebot") == 45
    assert log(database, "U1", 30, day=TODAY - timedelta(days=3)) == 75  # Monday, same week
    assert log(database, "U1", 20, day=TODAY - timedelta(days=4)) == 75  # Sunday, last week
    with database.unit_of_work("T1") as uow:
        rows = uow.session.scalars(select(UsageLog).order_by(UsageLog.id)).all()
        first = rows[0]
        assert (first.minutes, first.tool, first.use_case_id is not None, first.used_on, first.team_id) == (
            45,
            "chatgpt",
            True,
            TODAY,
            "T1",
        )
        assert len(rows) == 3


def test_day_limit_refuses_and_stores_nothing(database: Database) -> None:
    log(database, "U1", 480)
    log(database, "U1", 420)
    with pytest.raises(UserError) as raised:
        log(database, "U1", 61)
    assert raised.value.key == "log.error.day_too_long"
    assert raised.value.params["remaining_minutes"] == 60
    assert count_logs(database) == 2
    log(database, "U1", 60)  # exactly 16 h is still fine
    log(database, "U1", 480, day=TODAY - timedelta(days=1))  # another day has its own limit
    assert count_logs(database) == 4


def test_future_and_too_old_dates_are_refused(database: Database) -> None:
    for day in (TODAY + timedelta(days=1), TODAY - timedelta(days=15)):
        with pytest.raises(UserError):
            log(database, "U1", 10, day=day)
    assert count_logs(database) == 0


def test_concurrent_logs_cannot_pass_the_day_limit_together(database: Database) -> None:
    log(database, "U1", 480)
    log(database, "U1", 240)  # 12 h logged; four parallel 2 h logs: only two fit

    def attempt(_: int) -> bool:
        try:
            log(database, "U1", 120)
            return True
        except UserError:
            return False

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(attempt, range(4)))
    assert results.count(True) == 2
    with database.unit_of_work("T1") as uow:
        assert uow.session.scalar(select(func.sum(UsageLog.minutes))) == 16 * 60


def test_stats_week_month_total_streak_and_tops(database: Database) -> None:
    log(database, "U1", 60, tool="chatgpt", slug="angebot")
    log(database, "U1", 30, tool="deepl", day=TODAY - timedelta(days=1))
    log(database, "U1", 15, tool="chatgpt", day=TODAY - timedelta(days=10))  # Mon 16 Nov: last week, this month
    log(database, "U1", 45, day=TODAY - timedelta(days=13), slug="doku")  # Fri 13 Nov: two weeks ago
    log(database, "U2", 300, tool="claude")  # someone else's numbers never count
    with database.unit_of_work("T1") as uow:
        member = ensure_member(uow, "U1", "de")
        stats = member_stats(uow, member, TODAY)
    assert stats.week_minutes == 90
    assert stats.month_minutes == 150
    assert stats.total_minutes == 150
    assert stats.total_entries == 4
    assert stats.streak_weeks == 3
    assert stats.top_tools == [("chatgpt", 75), (None, 45), ("deepl", 30)]
    assert stats.top_use_cases == [("angebot", "Angebot", 60), ("doku", "Doku", 45)]


def test_stats_tops_are_the_three_biggest_ties_alphabetically_without_a_tool_last(database: Database) -> None:
    for tool in ("perplexity", None, "chatgpt"):
        log(database, "U1", 20, tool=tool)
    log(database, "U1", 10, tool="claude")
    for slug in ("protokoll", "angebot", "doku"):
        log(database, "U1", 20, tool="claude", slug=slug)
    log(database, "U1", 30, tool="claude", slug="zusammenfassung")
    log(database, "U1", 5, tool="claude", day=TODAY - timedelta(days=3))  # Monday: this week
    log(database, "U1", 7, tool="claude", day=TODAY - timedelta(days=4))  # Sunday: last week, this month
    with database.unit_of_work("T1") as uow:
        stats = member_stats(uow, ensure_member(uow, "U1", "de"), TODAY)
    assert stats.top_tools == [("claude", 112), ("chatgpt", 20), ("perplexity", 20)]
    biggest = [("zusammenfassung", "Zusammenfassung", 30), ("angebot", "Angebot", 20), ("doku", "Doku", 20)]
    assert stats.top_use_cases == biggest
    assert (stats.week_minutes, stats.month_minutes, stats.total_minutes, stats.total_entries) == (165, 172, 172, 10)


def test_streak_survives_a_week_without_logs_yet_but_not_a_gap(database: Database) -> None:
    log(database, "U1", 10, day=TODAY - timedelta(days=7))  # Thu 19 Nov: last week
    log(database, "U1", 10, day=TODAY - timedelta(days=13))  # Fri 13 Nov: the week before
    with database.unit_of_work("T1") as uow:
        member = ensure_member(uow, "U1", "de")
        assert member_stats(uow, member, TODAY).streak_weeks == 2
    with database.unit_of_work("T1") as uow:
        member = ensure_member(uow, "U1", "de")
        assert member_stats(uow, member, TODAY + timedelta(days=14)).streak_weeks == 0


def test_stats_of_a_new_member_are_zero(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        stats = member_stats(uow, ensure_member(uow, "U9", "de"), TODAY)
    assert (stats.total_minutes, stats.total_entries, stats.streak_weeks, stats.top_tools) == (0, 0, 0, [])


def test_workspaces_never_see_each_other(database: Database) -> None:
    log(database, "U1", 60, team="T1")
    log(database, "U1", 25, team="T2")  # same user id in another workspace is another member
    for team, expected in (("T1", 60), ("T2", 25)):
        with database.unit_of_work(team) as uow:
            member = ensure_member(uow, "U1", "de")
            assert member.team_id == team
            assert member_stats(uow, member, TODAY).total_minutes == expected
    with database.unit_of_work("T1") as uow:
        assert uow.session.scalar(select(func.count(Workspace.team_id))) == 2


def test_first_contact_creates_workspace_and_member_once(database: Database) -> None:
    def first_contact(_: int) -> int:
        with database.unit_of_work("T1") as uow:
            return ensure_member(uow, "U1", "de").id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(first_contact, range(8)))
    assert len(ids) == 1
    with database.unit_of_work("T1") as uow:
        assert uow.session.scalar(select(func.count(Member.id))) == 1


def test_language_choice_then_slack_locale_then_workspace_default(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        member = ensure_member(uow, "U1", "de")
        assert language_of(uow, member) == "de"
        ensure_member(uow, "U1", "de", SlackProfile(locale="en-GB", timezone="Europe/London"))
        assert language_of(uow, member) == "en"
        assert member.timezone == "Europe/London"
        ensure_member(uow, "U1", "de", SlackProfile(locale="fr-FR", timezone=None))
        assert language_of(uow, member) == "de"  # French is not spoken: workspace default
        set_language(member, "en")
        assert language_of(uow, member) == "en"
    with database.unit_of_work("T1") as uow:
        member = ensure_member(uow, "U1", "de")
        assert (member.language, member.slack_locale, member.timezone) == ("en", "fr-FR", "Europe/London")


def test_a_changed_entry_may_keep_an_old_date_but_not_move_to_one(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        member = ensure_member(uow, "U1", "de")
        logged = log_usage(uow, member, entry(30), used_on=TODAY - timedelta(days=14), today=TODAY)
    later = TODAY + timedelta(days=7)  # a week on, the entry is three weeks old
    with database.unit_of_work("T1") as uow:
        member = ensure_member(uow, "U1", "de")
        update_log(uow, member, logged.log_id, entry(45), TODAY - timedelta(days=14), later)
        with pytest.raises(UserError, match="too_old"):
            update_log(uow, member, logged.log_id, entry(45), TODAY - timedelta(days=15), later)
        assert [line.minutes for line in recent_logs(uow, member)] == [45]


def test_only_the_author_reaches_an_entry(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        author = ensure_member(uow, "U1", "de")
        logged = log_usage(uow, author, entry(30), used_on=TODAY, today=TODAY)
    for team, user in (("T1", "U2"), ("T2", "U1")):  # a colleague; the same user id in another workspace
        with database.unit_of_work(team) as uow:
            other = ensure_member(uow, user, "de")
            with pytest.raises(UserError, match="entry_gone"):
                remove_log(uow, other, logged.log_id, TODAY)
            with pytest.raises(UserError, match="entry_gone"):
                update_log(uow, other, logged.log_id, entry(5), TODAY, TODAY)
            with pytest.raises(UserError, match="entry_gone"):
                own_log(uow, other, logged.log_id)
    with database.unit_of_work("T1") as uow:
        author = ensure_member(uow, "U1", "de")
        assert remove_log(uow, author, logged.log_id, TODAY).line.minutes == 30
    assert count_logs(database) == 0
