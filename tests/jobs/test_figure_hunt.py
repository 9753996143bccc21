"""The hunt for figures that reveal one person. A workspace with departments of 1 (Einkauf), 4 (Logistik),
exactly 5 (Vertrieb) and 12 (IT) people; people move between departments with `/ki profil bereich`. Before
and after each move, every aggregate is collected from every surface: the weekly post, `/ki top` for each
period, the monthly reports (text) and the numbers behind the chart, the CSV export, the admins' App Home
panel, use-case figures, the retro, buddy feedback and the maturity distribution. No figure may come from
fewer than the minimum group, and no difference of two figures either: a move adds no data, so apart from
the member counts of the groups the mover joined, nothing may change."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_bolt import App

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.models import (
    Assessment,
    Member,
    RetroResponse,
    UsageLog,
    Workspace,
)
from bot.services import kpis
from jobs.scheduler import run_job
from tests.blockkit import text_of
from tests.conftest import FIXED_NOW, TEAM
from tests.rows import add_pair, add_rating, add_use_case
from tests.slack_payloads import command, open_home

MINIMUM = 5
JOINED = datetime(2026, 9, 15, 8, 0, tzinfo=UTC)
# Three people tried the bot in the summer: the weeks and the month before the others came had fewer than
# the minimum, and must not show.
PIONEERS_JOINED = datetime(2026, 8, 3, 8, 0, tzinfo=UTC)
DEPARTMENTS = {"Einkauf": ["UEIN0"], "Logistik": [f"ULOG{n}" for n in range(4)]}
DEPARTMENTS |= {"Vertrieb": ["UADMIN", *(f"UVER{n}" for n in range(1, 5))], "IT": [f"UIT{n:02d}" for n in range(12)]}
PIONEERS = {"UIT00", "UIT01", "UIT02"}
LABELS = {"Vertrieb", "IT", "Logistik", "Einkauf", "Weitere Teams", "Ohne Team"}
MOVES = [
    ("UADMIN", "Logistik"),  # the admin of the report: Vertrieb drops to 4, Logistik reaches 5
    ("UEIN0", "IT"),  # Einkauf's only member leaves it
    ("UIT05", "Einkauf"),
    ("ULOG0", "Vertrieb"),
    ("UIT06", "Logistik"),
]


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {
        "admin_channel": "C0ADMIN",
        "community_channel": "C0COMMUNITY",
        "admin_user_ids": "UADMIN",
        "min_group_size": MINIMUM,
    }


@pytest.fixture
def workspace(database: Database) -> None:
    """Everyone's data carries a distinct number of minutes, so that any figure of one person stands out."""
    with database.unit_of_work(TEAM) as uow:
        session = uow.session
        session.add(Workspace(team_id=TEAM, default_language="de"))
        session.flush()
        people: list[Member] = []
        for department, users in DEPARTMENTS.items():
            for user in users:
                joined = PIONEERS_JOINED if user in PIONEERS else JOINED
                people.append(
                    Member(
                        team_id=TEAM,
                        slack_user_id=user,
                        department=department,
                        created_at=joined,
                        privacy_notice_shown_at=joined,
                    )
                )
        session.add_all(people)
        session.flush()
        case = add_use_case(session, "angebot", "Angebot", "pilot", owner_id=people[0].id, created_at=JOINED)
        for n, person in enumerate(people):
            days = [date(2026, 10, 1 + n), date(2026, 11, 2 + n % 24)]
            if person.slack_user_id in PIONEERS:
                days += [date(2026, 8, 10), date(2026, 9, 1)]
            for k, day in enumerate(days):
                session.add(
                    UsageLog(
                        team_id=TEAM,
                        member_id=person.id,
                        minutes=11 + 7 * n + k,
                        note="",
                        used_on=day,
                        department=person.department,
                        use_case_id=case.id if n % 3 == 0 else None,
                        created_at=datetime.combine(day, datetime.min.time(), UTC).replace(hour=12),
                    )
                )
            session.add(
                Assessment(
                    team_id=TEAM,
                    member_id=person.id,
                    levels={},
                    overall_level=1 + n % 3,
                    recommended_track="basis",
                    department=person.department,
                    created_at=datetime(2026, 10, 20, 9, 0, tzinfo=UTC),
                )
            )
        for n in range(6):
            pair = add_pair(
                session, people[n].id, people[n + 8].id, date(2026, 7, 1), date(2026, 10, 1), status="ended"
            )
            for rated_on in (datetime(2026, 10, 12, tzinfo=UTC), datetime(2026, 11, 12, tzinfo=UTC)):
                rater = people[n + 8 if rated_on.month == 10 else n]
                add_rating(session, pair, rater.id, 1 + n % 5, created_at=rated_on + timedelta(hours=n))
        for n in range(6):
            session.add(RetroResponse(team_id=TEAM, quarter="2026-Q4", member_id=people[n].id, rating=1 + n % 5))


def export(app: App, slack: LocalSlackApi, month: str) -> list[list[str]]:
    command(app, f"admin export {month}", user="UADMIN")
    upload = slack.calls_to("files.completeUploadExternal")[-1].params["files"]
    file_id = upload[0]["id"] if isinstance(upload, list) else json.loads(upload)[0]["id"]
    return list(csv.reader(io.StringIO(slack.uploads[file_id][1].decode("utf-8-sig"))))


def posted(slack: LocalSlackApi, channel: str) -> str:
    return text_of(
        next(c for c in reversed(slack.calls_to("chat.postMessage")) if c.params["channel"] == channel).params["blocks"]
    )


def group_rows(rows: list[list[str]]) -> dict[str, tuple[int, int, str]]:
    """CSV group table: label → (members, active, hours)."""
    table = rows[3 : rows.index([], 3)]
    return {row[0]: (int(row[1]), int(row[2]), row[4]) for row in table}


def service_groups(deps: Deps, period: kpis.Period) -> dict[str, tuple[int, int, int]]:
    """The numbers behind `/ki top` for weeks and quarters: label → (members, active, minutes)."""
    with deps.database.unit_of_work(TEAM) as uow:
        figures = kpis.workspace_kpis(
            uow, period, kpis.KpiSettings(deps.settings.zone, MINIMUM, 45, 2000), today=FIXED_NOW.date()
        )
    groups = {group.key: (group.members, group.active_members, group.minutes) for group in figures.groups}
    return groups | {"*": (figures.members, figures.active_members, figures.minutes)}


def snapshot(app: App, deps: Deps, slack: LocalSlackApi, step: int) -> dict[str, object]:
    surfaces: dict[str, object] = {}
    for word in ("woche", "monat", "quartal"):
        surfaces[f"top {word}"] = text_of(command(app, f"top {word}", user="UIT11")["blocks"])
    run_job(deps, "weekly_leaderboard", manual=True, now=FIXED_NOW + timedelta(seconds=step))
    surfaces["weekly post"] = posted(slack, "C0COMMUNITY")
    for month in ("2026-09", "2026-10", "2026-11"):
        command(app, f"admin report {month}", user="UADMIN")
        surfaces[f"report {month}"] = posted(slack, "C0ADMIN")
        surfaces[f"csv {month}"] = export(app, slack, month)
    surfaces["home"] = text_of(open_home(app, slack, "UADMIN")["blocks"])
    surfaces["use cases"] = text_of(command(app, "usecase", user="UIT11")["blocks"])
    surfaces["retro"] = text_of(command(app, "admin retro", user="UADMIN")["blocks"])
    today = FIXED_NOW.date()
    for name, period in (("week", kpis.week_of(today)), ("last week", kpis.week_of(today - timedelta(days=7)))):
        surfaces[f"numbers {name}"] = service_groups(deps, period)
    surfaces["numbers quarter"] = service_groups(deps, kpis.quarter_of(today))
    return surfaces


def lines(text: object) -> set[str]:
    """Lines without their place: a group that grew may pass another in the ranking."""
    return {re.sub(r"^\d+\. ", "", line) for line in str(text).splitlines()}


def test_no_figure_and_no_difference_of_two_figures_comes_from_fewer_than_the_minimum(
    bolt: tuple[App, Deps], workspace: None, local_slack: LocalSlackApi
) -> None:
    app, deps = bolt
    before = snapshot(app, deps, local_slack, 0)
    for key, value in before.items():
        if key.startswith("csv"):
            assert all(members >= MINIMUM for members, _, _ in group_rows(value).values()), key  # type: ignore[arg-type]
        if key.startswith("numbers"):
            assert all(m >= MINIMUM for label, (m, _, _) in value.items() if label != "*"), key  # type: ignore[union-attr]
        # Einkauf has one member and Logistik four: neither ever appears alone.
        assert "Einkauf" not in str(value) and "Logistik" not in str(value), key
    # The weeks of the summer had only the three pioneers: no figures, no bars.
    weeks = [row for row in before["csv 2026-11"] if len(row) == 4 and row[0][:4] == "2026"]  # type: ignore[union-attr]
    assert [row[0] for row in weeks if row[1] == ""] == ["2026-09-07"]
    assert all(row[3] == "zu wenige Personen" for row in weeks if row[1] == "")
    # August had three members: September's report has no trend against it.
    assert "ggü. Vormonat" not in str(before["report 2026-09"]) and "kein Vergleich" in str(before["report 2026-09"])
    assert "Buddy-Feedback:* die Auswertung gibt es nach Monatsende" in str(before["report 2026-11"])
    assert "6 Antworten, Durchschnitt" in str(before["report 2026-10"])
    assert "Das Ergebnis gibt es ab 01.01.2027" in str(before["retro"])

    for step, (user, department) in enumerate(MOVES, start=1):
        assert department in command(app, f"profil bereich {department}", user=user)["text"]
        after = snapshot(app, deps, local_slack, step)
        # Closed periods, the maturity distribution, buddy feedback, use-case figures and the retro: unchanged.
        for key in ("report 2026-09", "report 2026-10", "csv 2026-09", "csv 2026-10", "use cases", "retro"):
            assert after[key] == before[key], (user, department, key)
        assert after["numbers last week"] == before["numbers last week"], (user, department)
        # Running periods: the same groups, each with the same active people and minutes; only a group the
        # mover joined may count one member more.
        grown: set[str] = set()
        for key in ("csv 2026-11", "numbers week", "numbers quarter"):
            old, new = before[key], after[key]
            if key.startswith("csv"):
                old, new = group_rows(old), group_rows(new)  # type: ignore[arg-type]
                assert [r for r in after[key] if len(r) == 4] == [r for r in before[key] if len(r) == 4]  # type: ignore[union-attr]
            assert set(old) == set(new), (user, department, key)  # type: ignore[arg-type]
            for label, (members, active, amount) in new.items():  # type: ignore[union-attr]
                old_members, old_active, old_amount = old[label]  # type: ignore[index]
                assert (active, amount) == (old_active, old_amount), (user, department, key, label)
                assert members - old_members in (0, 1), (user, department, key, label)
                if members != old_members:
                    grown.add({kpis.OTHER_TEAMS: "Weitere Teams", kpis.NO_TEAM: "Ohne Team"}.get(label, label))
        for key in ("top woche", "top monat", "top quartal", "weekly post", "report 2026-11", "home"):
            changed = lines(after[key]) ^ lines(before[key])
            # A changed line is a group line whose group grew by the mover: rate and hours per person of the
            # same people and minutes, over one member more.
            assert all(any(label in line for label in grown) for line in changed), (user, department, key, changed)
        before = after


def test_a_log_stays_with_the_department_it_was_made_in(
    bolt: tuple[App, Deps], workspace: None, local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    command(app, "log 5 Angebot mit ChatGPT", user="UVER1")
    command(app, "profil bereich IT", user="UVER1")
    with database.unit_of_work(TEAM) as uow:
        departments = uow.session.scalars(
            UsageLog.__table__.select().with_only_columns(UsageLog.department).where(UsageLog.minutes == 5)
        ).all()
        november = kpis.workspace_kpis(
            uow,
            kpis.month_of(FIXED_NOW.date()),
            kpis.KpiSettings(deps.settings.zone, MINIMUM, 45, 2000),
            today=FIXED_NOW.date(),
        )
    assert departments == ["Vertrieb"]
    groups = {group.key: group for group in november.groups}
    # UVER1 was in Vertrieb and in IT this month: a member of both, active where the entry was made.
    assert groups["Vertrieb"].members == 5 and groups["IT"].members == 13
    assert groups["IT"].active_members == 12
