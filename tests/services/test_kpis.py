"""KPI definitions (PRODUCT §2.7) on a hand-made workspace, with the expected numbers worked out here;
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.db import Database, UnitOfWork
from bot.domain.buddies import Answer
from bot.domain.use_cases import Status
from bot.models import (
    Assessment,
    BuddyCheckIn,
    BuddyPair,
    Member,
    Tip,
    UsageLog,
    UseCase,
    UseCaseAdoption,
    UseCaseStatusChange,
    Workspace,
)
from bot.services.kpis import (
    MIN_DAYS_FOR_ROI,
    NO_TEAM,
    OTHER_TEAMS,
    KpiSettings,
    WorkspaceKpis,
    last_series_week,
    maturity_distribution,
    month_of,
    pool_small_groups,
    quarter_of,
    top_individuals,
    week_of,
    weekly_series,
    workspace_kpis,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOVEMBER = month_of(date(2026, 11, 15))
OLD = datetime(2026, 10, 1, tzinfo=UTC)
AFTER = date(2026, 12, 10)  # a day after every period these tests look at


def november(uow: UnitOfWork, minimum: int = 5, today: date = AFTER) -> WorkspaceKpis:
    return workspace_kpis(uow, NOVEMBER, KpiSettings(BERLIN, minimum, 45, 2000), today=today)


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def workspace(database: Database) -> Database:
    """16 counted members: Vertrieb 6, IT 5, Einkauf 2, no department 3 (+1 deactivated in Vertrieb)."""
    with database.unit_of_work("T1") as uow:
        session = uow.session
        session.add(Workspace(team_id="T1", default_language="de"))
        session.flush()
        people = {}
        for n in range(1, 18):
            department = "Vertrieb" if n <= 6 or n == 17 else "IT" if n <= 11 else "Einkauf" if n <= 13 else None
            member = Member(
                team_id="T1",
                slack_user_id=f"U{n}",
                department=department,
                created_at=OLD,
                deactivated_at=at(15, 10) if n == 17 else None,
                ranking_opt_in=n in (1, 7),
            )
            session.add(member)
            people[n] = member
        session.flush()

        def log(n: int, minutes: int, day: date) -> None:
            session.add(
                UsageLog(
                    team_id="T1",
                    member_id=people[n].id,
                    minutes=minutes,
                    note="",
                    used_on=day,
                    department=people[n].department,
                )
            )

        log(1, 60, date(2026, 11, 2))
        log(1, 30, date(2026, 11, 20))
        log(2, 120, date(2026, 11, 10))
        log(7, 45, date(2026, 11, 5))
        log(12, 30, date(2026, 11, 3))
        log(14, 15, date(2026, 11, 30))
        log(3, 60, date(2026, 10, 31))  # October
        log(17, 100, date(2026, 10, 4))  # left in October: not counted in November
        cases = []
        for title, status, created in (
            ("A", Status.IDEA, at(3)),
            ("B", Status.PILOT, at(12)),
            ("C", Status.ROLLED_OUT, at(5, 10)),
        ):
            case = UseCase(
                team_id="T1",
                slug=title.lower(),
                title=title,
                title_key=title.lower(),
                minutes_per_week=60,
                status=status,
                owner_id=people[1].id,
                created_at=created,
            )
            session.add(case)
            cases.append(case)
        session.flush()
        session.add(
            UseCaseStatusChange(team_id="T1", use_case_id=cases[2].id, status=Status.ROLLED_OUT, changed_at=at(8))
        )
        session.add(
            UseCaseStatusChange(team_id="T1", use_case_id=cases[2].id, status=Status.PILOT, changed_at=at(5, 10))
        )
        for n, day in ((2, 4), (3, 6), (7, 9)):
            session.add(
                UseCaseAdoption(team_id="T1", use_case_id=cases[0].id, member_id=people[n].id, created_at=at(day))
            )
        session.add(
            UseCaseAdoption(team_id="T1", use_case_id=cases[1].id, member_id=people[4].id, created_at=at(30, 10))
        )
        for day, month in ((2, 11), (9, 11), (16, 11), (23, 11), (20, 10)):
            session.add(Tip(team_id="T1", member_id=people[5].id, text="t", channel="C", created_at=at(day, month)))
        pair = BuddyPair(
            team_id="T1",
            mentor_id=people[7].id,
            mentee_id=people[1].id,
            status="active",
            started_on=date(2026, 10, 1),
            ends_on=date(2026, 12, 24),
        )
        session.add(pair)
        session.flush()
        for week, answer in (
            (date(2026, 11, 2), Answer.YES),
            (date(2026, 11, 9), Answer.YES),
            (date(2026, 11, 16), Answer.NOT_THIS_WEEK),
            (date(2026, 11, 23), Answer.YES),
            (date(2026, 10, 26), Answer.YES),
        ):
            session.add(
                BuddyCheckIn(
                    team_id="T1",
                    pair_id=pair.id,
                    week=week,
                    answer=answer,
                    asked_at=datetime.combine(week, datetime.min.time(), UTC).replace(hour=9),
                )
            )
        for n, level in ((1, 1), (2, 2), (3, 2), (4, 3), (5, 1), (7, 2), (8, 2), (9, 3), (10, 1), (11, 2), (12, 3)):
            session.add(
                Assessment(
                    team_id="T1",
                    member_id=people[n].id,
                    levels={},
                    overall_level=level,
                    recommended_track="basis",
                    department=people[n].department,
                )
            )
        session.add(
            Assessment(
                team_id="T1",
                member_id=people[1].id,
                levels={},
                overall_level=2,
                recommended_track="power",
                department="Vertrieb",
            )
        )  # Anna's later check: her latest is level 2
    return database


def test_monthly_kpis_by_definition(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        kpis = november(uow)
    assert kpis.shown
    assert (kpis.members, kpis.active_members) == (16, 5)
    assert kpis.adoption_rate == pytest.approx(5 / 16)  # Anwendungsquote
    assert kpis.minutes == 300 and kpis.hours == 5  # 90 + 120 + 45 + 30 + 15
    assert kpis.hours_per_member == pytest.approx(5 / 16)
    assert kpis.euros == pytest.approx(225.0)
    assert kpis.new_use_cases == {Status.IDEA: 1, Status.PILOT: 1, Status.ROLLED_OUT: 0, Status.DISCARDED: 0}
    assert kpis.adoptions == 3
    assert kpis.rolled_out == 1 and kpis.innovation_rate == pytest.approx(10 / 16)
    assert (kpis.checkins_due, kpis.checkins_held) == (4, 3) and kpis.checkin_rate == pytest.approx(0.75)
    assert kpis.tips == 4
    assert kpis.annual_value_eur == pytest.approx(225 * 365 / 30)
    assert kpis.investment_eur == 32000
    assert kpis.roi == pytest.approx((225 * 365 / 30 - 32000) / 32000)


def test_departments_below_the_minimum_are_pooled(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        kpis = november(uow)
    groups = {g.key: (g.members, g.active_members, g.minutes) for g in kpis.groups}
    assert groups == {"Vertrieb": (6, 2, 210), "IT": (5, 1, 45), OTHER_TEAMS: (5, 2, 45)}
    assert all(g.members >= 5 for g in kpis.groups)
    assert sum(g.members for g in kpis.groups) == kpis.members


def test_pooling_never_lets_a_small_group_be_subtracted_out() -> None:
    assert pool_small_groups({"A": 10, "B": 3}, 5) == {"A": OTHER_TEAMS, "B": OTHER_TEAMS}
    assert pool_small_groups({"A": 10, "B": 6, "C": 3}, 5) == {"A": "A", "B": OTHER_TEAMS, "C": OTHER_TEAMS}
    assert pool_small_groups({"A": 4}, 5) == {}
    assert pool_small_groups({"A": 5, NO_TEAM: 5}, 5) == {"A": "A", NO_TEAM: NO_TEAM}
    assert pool_small_groups({"A": 4, "B": 4, "C": 9}, 5) == {"A": OTHER_TEAMS, "B": OTHER_TEAMS, "C": "C"}


def test_a_workspace_below_the_minimum_shows_nothing(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        kpis = november(uow, minimum=20)
    assert not kpis.shown and kpis.groups == []


def test_weekly_series_and_maturity_distribution(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        series = weekly_series(uow, week_of(date(2026, 11, 30)), BERLIN, AFTER, 5, weeks=5)
        distribution = maturity_distribution(uow, NOVEMBER, BERLIN, minimum=5)
    assert [p.week_start for p in series] == [date(2026, 11, d) for d in (2, 9, 16, 23, 30)]
    assert [round(p.hours, 2) for p in series] == [2.25, 2.0, 0.5, 0.0, 0.25]  # 60+45+30, 120, 30, -, 15
    assert [round(p.adoption_rate, 4) for p in series] == [
        round(3 / 16, 4),
        round(1 / 16, 4),
        round(1 / 16, 4),
        0,
        round(1 / 16, 4),
    ]
    # Vertrieb 5 checked (levels 2, 2, 2, 3, 1), IT 5 (2, 2, 3, 1, 2), Einkauf 1 → too few alone: pooled with
    # the smallest shown group.
    assert sum(sum(levels.values()) for levels in distribution.values()) == 11
    assert all(sum(levels.values()) >= 5 for levels in distribution.values())
    assert "Einkauf" not in distribution


def test_only_opted_in_people_are_ranked(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        ranked = top_individuals(uow, NOVEMBER)
    assert [(r.user_id, r.minutes) for r in ranked] == [("U1", 90), ("U7", 45)]


def test_periods() -> None:
    assert week_of(date(2026, 11, 26)).start == date(2026, 11, 23)
    assert quarter_of(date(2026, 11, 26)).start == date(2026, 10, 1)
    assert quarter_of(date(2026, 11, 26)).end == date(2026, 12, 31)
    assert month_of(date(2026, 2, 10)).end == date(2026, 2, 28)
    assert NOVEMBER.previous().start == date(2026, 10, 1)
    assert NOVEMBER.utc_bounds(BERLIN)[0] == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)


def test_a_backdated_log_of_a_new_member_is_in_its_week_and_its_month(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        newcomer = Member(team_id="T1", slack_user_id="UNEW", department="IT", created_at=at(20), ranking_opt_in=False)
        uow.session.add(newcomer)
        uow.session.flush()
        uow.session.add(
            UsageLog(
                team_id="T1", member_id=newcomer.id, minutes=60, note="", used_on=date(2026, 11, 18), department="IT"
            )
        )
    with workspace.unit_of_work("T1") as uow:
        month = november(uow)
        series = weekly_series(uow, week_of(date(2026, 11, 30)), BERLIN, AFTER, 5, weeks=5)
    assert month.minutes == 360 and (month.members, month.active_members) == (17, 6)
    week_of_18th = series[2]
    assert week_of_18th.week_start == date(2026, 11, 16)
    assert week_of_18th.hours == pytest.approx(1.5)  # 30 min of U1 and the newcomer's hour
    assert week_of_18th.adoption_rate == pytest.approx(2 / 17)  # counted among the members of that week
    assert sum(p.hours for p in series) * 60 == pytest.approx(month.minutes)


@pytest.mark.parametrize(
    ("month", "today", "last_week", "current"),
    [
        (date(2026, 11, 1), date(2026, 12, 1), date(2026, 11, 23), False),  # 30 Nov is a Monday: its week is December's
        (date(2026, 11, 1), date(2026, 11, 26), date(2026, 11, 23), True),
        (date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30), True),
        (date(2026, 5, 1), date(2026, 6, 1), date(2026, 5, 25), False),  # 31 May is a Sunday
        (date(2026, 12, 1), date(2026, 12, 2), date(2026, 11, 30), True),
    ],
)
def test_the_weekly_series_ends_with_a_week_that_has_begun_and_lies_in_the_period(
    month: date, today: date, last_week: date, current: bool
) -> None:
    week = last_series_week(month_of(month), today)
    assert week.start == last_week and week.start <= today
    assert (week.end >= today) is current


def test_the_running_week_is_marked_in_the_series(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        series = weekly_series(uow, week_of(date(2026, 11, 23)), BERLIN, date(2026, 11, 26), 5, weeks=3)
    assert [p.current for p in series] == [False, False, True]


def test_roi_waits_for_a_week_of_data(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        early = november(uow, today=date(2026, 11, MIN_DAYS_FOR_ROI - 1))
        week = november(uow, today=date(2026, 11, MIN_DAYS_FOR_ROI))
    assert early.roi is None and early.annual_value_eur is None
    # Annualised from the 7 days that have passed, not diluted by the 23 to come (225 € logged so far).
    assert week.annual_value_eur == pytest.approx(225 * 365 / 7)
    assert week.roi == pytest.approx((225 * 365 / 7 - 32000) / 32000)


def test_a_department_of_the_minimum_size_pooled_for_the_others_is_counted(workspace: Database) -> None:
    # Minimum 3: Einkauf (2) alone is too few, so the smallest shown group, "Ohne Team" with exactly 3, joins.
    with workspace.unit_of_work("T1") as uow:
        kpis = november(uow, minimum=3)
        normal = november(uow)
    assert {g.key: g.members for g in kpis.groups} == {"IT": 5, "Vertrieb": 6, OTHER_TEAMS: 5}
    assert kpis.pooled_large == 1 and normal.pooled_large == 0
