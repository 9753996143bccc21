"""The monthly KPI report, the admins' CSV export and KPI panel, on both databases. The department of 4
(Einkauf) never appears alone anywhere."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.domain.calendar import first_workday
from bot.models import AuditEntry, Member
from jobs.scheduler import run_job
from tests.blockkit import assert_valid_message, text_of
from tests.conftest import TEAM
from tests.jobs.conftest import posted_once
from tests.rows import add_pair, add_rating
from tests.slack_payloads import command, open_home

DECEMBER_1_9_BERLIN = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {"admin_channel": "C0ADMIN", "admin_user_ids": "UADMIN"}


def uploads(slack: LocalSlackApi) -> list[tuple[str, bytes]]:
    return [
        slack.uploads[
            c.params["files"][0]["id"]
            if isinstance(c.params["files"], list)
            else json.loads(c.params["files"])[0]["id"]
        ]
        for c in slack.calls_to("files.completeUploadExternal")
    ]


def test_first_workday() -> None:
    assert first_workday(date(2026, 12, 1), "BY") == date(2026, 12, 1)  # a Tuesday
    assert first_workday(date(2027, 1, 1), "BY") == date(2027, 1, 4)  # New Year, weekend
    assert first_workday(date(2026, 11, 1), "BY") == date(2026, 11, 2)  # Sunday, All Saints' Day in BY
    assert first_workday(date(2027, 5, 1), "BY") == date(2027, 5, 3)


def test_monthly_report_on_the_first_workday_once_with_chart(
    bolt: tuple[App, Deps], teams: None, local_slack: LocalSlackApi
) -> None:
    _, deps = bolt
    report = posted_once(deps, local_slack, "monthly_report", DECEMBER_1_9_BERLIN, again_after=timedelta(minutes=30))
    assert run_job(deps, "monthly_report", now=DECEMBER_1_9_BERLIN + timedelta(days=1)).runs == 0
    assert report["channel"] == "C0ADMIN"
    visible = text_of(assert_valid_message(report)).replace("\xa0", " ")
    assert "KI-Monatsbericht" in visible and "01.11.2026 – 30.11.2026" in visible
    assert "*Anwendungsquote*\n31 % (5 von 16)" in visible
    assert "*Zeitersparnis*\n5 Std. · 0,3 Std./Person · 225 €" in visible
    assert "Einkauf" not in visible and "Weitere Teams" in visible
    [(name, png)] = uploads(local_slack)
    assert name == "ki-lotse-2026-11.png" and png.startswith(b"\x89PNG")
    completed = local_slack.calls_to("files.completeUploadExternal")[0].params
    assert completed["channel_id"] == "C0ADMIN"


def test_admin_report_and_export_are_audited(
    bolt: tuple[App, Deps], teams: None, local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    assert "nur Admins" in command(app, "admin report", user="U00")["text"]
    assert "JJJJ-MM" in command(app, "admin export November", user="UADMIN")["text"]
    assert "JJJJ-MM" in command(app, "admin export 2027-01", user="UADMIN")["text"]
    assert "steht in #C0ADMIN" in command(app, "admin report 2026-11", user="UADMIN")["text"]
    assert "unterwegs in deine Direktnachrichten" in command(app, "admin export 2026-11", user="UADMIN")["text"]
    assert local_slack.calls_to("conversations.open")[-1].params["users"] == "UADMIN"
    (_, png), (csv_name, raw) = uploads(local_slack)
    assert png.startswith(b"\x89PNG") and csv_name == "ki-lotse-kpis-2026-11.csv"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    groups = [row[0] for row in rows[3:7] if row]
    assert groups == ["Alle", "IT", "Vertrieb", "Weitere Teams"]
    assert "Einkauf" not in raw.decode("utf-8-sig")
    weeks = [row for row in rows if row and row[0][:4] == "2026" and len(row) == 4]
    # Asked on Thursday 26 November: the series ends with this week, marked as running, not with the week of
    # 30 November that has not begun.
    assert len(weeks) == 12 and weeks[-1][0] == "2026-11-23" and weeks[-1][3] == "läuft noch"
    assert {row[3] for row in weeks[:-1]} == {"abgeschlossen"}
    with database.unit_of_work(TEAM) as uow:
        audit = uow.session.execute(
            select(AuditEntry.actor_user_id, AuditEntry.action, AuditEntry.detail).order_by(AuditEntry.id)
        ).all()
    assert [tuple(row) for row in audit] == [
        ("UADMIN", "admin_report", "2026-11"),
        ("UADMIN", "admin_export", "2026-11"),
    ]


def test_admins_app_home_has_the_kpi_panel(bolt: tuple[App, Deps], teams: None, local_slack: LocalSlackApi) -> None:
    app, _ = bolt
    admin_home, member_home = (text_of(open_home(app, local_slack, user)["blocks"]) for user in ("UADMIN", "U00"))
    assert "KPIs dieses Monats (Admins)" in admin_home and "Einkauf" not in admin_home
    assert "KPIs dieses Monats" not in member_home


@pytest.mark.parametrize(("answers", "expected"), [(4, "zu wenige Antworten (weniger als 5)"), (5, "5 Antworten")])
def test_the_report_shows_buddy_feedback_only_from_the_minimum_group(
    bolt: tuple[App, Deps], teams: None, local_slack: LocalSlackApi, database: Database, answers: int, expected: str
) -> None:
    _, deps = bolt
    with database.unit_of_work(TEAM) as uow:
        people = uow.session.scalars(select(Member).order_by(Member.id)).all()
        for n in range(answers):
            pair = add_pair(
                uow.session, people[n].id, people[n + 6].id, date(2026, 8, 1), date(2026, 10, 24), status="ended"
            )
            add_rating(
                uow.session,
                pair,
                people[n + 6].id,
                2 + n % 3,
                created_at=datetime(2026, 11, 10 + n, 12, 0, tzinfo=UTC),
                comment=f"Geheimer Satz {n}",
            )
    run_job(deps, "monthly_report", now=DECEMBER_1_9_BERLIN)
    visible = text_of(local_slack.calls_to("chat.postMessage")[0].params["blocks"])
    assert "Buddy-Feedback" in visible and expected in visible
    assert ("Durchschnitt 2,8 von 5" in visible) == (answers == 5)  # ratings 2, 3, 4, 2, 3
    assert "Geheimer Satz" not in visible


def test_on_the_first_days_of_a_month_roi_is_too_early_to_say(
    bolt: tuple[App, Deps], teams: None, local_slack: LocalSlackApi
) -> None:
    app, deps = bolt
    deps.clock = lambda: datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # the second day of December
    panel = text_of(open_home(app, local_slack, "UADMIN")["blocks"])
    assert "*ROI aufs Jahr*\nnoch zu früh" in panel and "%" not in panel.split("ROI aufs Jahr")[1].split("\n")[1]
    command(app, "admin report 2026-12", user="UADMIN")
    december = text_of(local_slack.calls_to("chat.postMessage")[-1].params["blocks"])
    assert "*ROI*\nnoch zu früh" in december
    command(app, "admin report 2026-11", user="UADMIN")
    november = text_of(local_slack.calls_to("chat.postMessage")[-1].params["blocks"])
    assert "*ROI*\n" in november and "noch zu früh" not in november
