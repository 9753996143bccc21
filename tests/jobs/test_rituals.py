"""Office hours, the monthly AI update and the retrospective on both databases: RSVP toggling with the
post updated in place, reminders, a year of presenter rotation with a department that empties, the .ics
invite across DST, the summary, and the retrospective's minimum group."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from slack_bolt import App
from sqlalchemy import delete, select, update

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.deps import Deps
from bot.domain.calendar import at_local
from bot.models import Member, RetroResponse, RitualEvent, Workspace
from bot.render import ids
from bot.render.calendar import invite
from bot.services import rituals
from jobs.runtime import Skip
from jobs.scheduler import run_job
from tests.blockkit import text_of
from tests.conftest import TEAM
from tests.rows import stored
from tests.slack_payloads import (
    button_click,
    command,
    interaction,
    view_submission,
    views_opened,
)

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = date(2026, 12, 1)


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {"community_channel": "C0COMMUNITY", "admin_user_ids": "UADMIN", "min_group_size": 5}


def people(database: Database, departments: dict[str, int]) -> None:
    with database.unit_of_work(TEAM) as uow:
        uow.session.add(Workspace(team_id=TEAM, default_language="de"))
        uow.session.flush()
        for department, count in departments.items():
            for n in range(count):
                uow.session.add(
                    Member(
                        team_id=TEAM,
                        slack_user_id=f"U{department[:3].upper()}{n}",
                        department=department,
                        created_at=datetime(2026, 1, 1, tzinfo=UTC),
                        ranking_opt_in=False,
                    )
                )


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def test_office_hours_announce_rsvp_toggle_and_reminder(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 3})
    assert (
        "Thema der Sprechstunde am 01.12.2026: Prompts für Angebote"
        in command(app, "admin sprechstunde thema Prompts für Angebote", user="UADMIN")["text"]
    )
    assert run_job(deps, "office_hours", now=local(TUESDAY, 8, 45)).sent == 0
    assert run_job(deps, "office_hours", now=local(TUESDAY, 9, 0)).sent == 1
    assert run_job(deps, "office_hours", now=local(TUESDAY, 9, 15)).sent == 0
    announced = local_slack.calls_to("chat.postMessage")[-1]
    post = announced.params
    with database.unit_of_work(TEAM) as uow:
        post_ts = uow.session.scalar(select(RitualEvent.message_ts).where(RitualEvent.kind == "office_hours"))
    assert post_ts
    assert post["channel"] == "C0COMMUNITY"
    assert "KI-Sprechstunde* – 01.12.2026, 16:00–16:30 Uhr" in text_of(post["blocks"])
    assert "Thema: Prompts für Angebote" in text_of(post["blocks"])
    event_id = next(e["value"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"])
    url = local_slack.response_url("r")
    interaction(app, button_click(ids.RSVP, event_id, user="UVER0", response_url=url))
    interaction(app, button_click(ids.RSVP, event_id, user="UVER1", response_url=url))
    interaction(app, button_click(ids.RSVP, event_id, user="UVER1", response_url=url))  # changed their mind
    updates = local_slack.calls_to("chat.update")
    assert [text_of(u.params["blocks"]).split("\n")[-1] for u in updates] == [
        "1 Person ist dabei",
        "2 Personen sind dabei",
        "1 Person ist dabei",
    ]
    assert {(u.params["channel"], u.params["ts"]) for u in updates} == {("C0COMMUNITY", post_ts)}
    assert "Abgemeldet" in local_slack.calls_to("response_url")[-1].params["text"]
    assert run_job(deps, "office_hours", now=local(TUESDAY, 15, 45)).sent == 1
    reminders = [c for c in local_slack.calls_to("chat.postMessage") if "Gleich geht's los" in c.params["text"]]
    assert [c.params["channel"] for c in reminders] == ["UVER0"]
    assert "Gleich geht's los: KI-Sprechstunde" in reminders[0].params["text"]


def test_no_office_hours_on_a_holiday(bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database) -> None:
    _, deps = bolt
    people(database, {"Vertrieb": 1})
    christmas = date(2029, 12, 25)  # a Tuesday
    report = run_job(deps, "office_hours", now=local(christmas, 9, 0))
    assert report.sent == 0 and report.why() == [Skip.HOLIDAY]  # what `:run` and `/ki admin run` are told
    assert local_slack.calls_to("chat.postMessage") == []
    assert (
        run_job(deps, "office_hours", now=local(christmas + timedelta(days=14), 9, 0)).sent == 1
    )  # 1 January is one too


def test_a_year_of_presenter_rotation_skips_a_department_that_empties(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    _, deps = bolt
    people(database, {"Einkauf": 1, "IT": 1, "Vertrieb": 1})
    presenters = []
    for month in range(1, 13):
        if month == 5:  # Einkauf's only member leaves
            with database.unit_of_work(TEAM) as uow:
                uow.session.execute(
                    update(Member)
                    .where(Member.department == "Einkauf")
                    .values(deactivated_at=datetime(2026, 4, 20, tzinfo=UTC))
                )
        event_day = rituals.monthly_update_day(2026, month, deps.settings)
        notice = local(event_day - timedelta(days=14), 9, 0)
        if event_day == date(2026, 1, 8):  # the notice day, 25 December, is a holiday: it comes on the 27th
            assert run_job(deps, "monthly_update", now=notice).runs == 0
            assert run_job(deps, "monthly_update", now=notice + timedelta(days=1)).runs == 0
            notice += timedelta(days=2)
        run_job(deps, "monthly_update", now=notice)
        with database.unit_of_work(TEAM) as uow:
            presenters.append(
                uow.session.scalar(
                    select(RitualEvent.department).where(
                        RitualEvent.kind == "monthly_update",
                        RitualEvent.starts_at == at_local(event_day, time(15, 0), BERLIN),
                    )
                )
            )
    assert presenters == [
        "Einkauf",
        "IT",
        "Vertrieb",
        "Einkauf",
        "IT",
        "Vertrieb",
        "IT",
        "Vertrieb",
        "IT",
        "Vertrieb",
        "IT",
        "Vertrieb",
    ]
    notices = [c for c in local_slack.calls_to("chat.postMessage") if "ist mit dem KI-Update dran" in c.params["text"]]
    assert len(notices) == 12


def test_monthly_update_announcement_with_ics_and_summary(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 2, "IT": 1})
    event_day = date(2026, 12, 3)  # first Thursday
    run_job(deps, "monthly_update", now=local(event_day - timedelta(days=14), 9))
    assert (
        "Das KI-Update am 03.12.2026 präsentiert jetzt: Vertrieb"
        in command(app, "admin update tausch vertrieb", user="UADMIN")["text"]
    )
    assert "kein Bereich mit Mitgliedern" in command(app, "admin update tausch Raumfahrt", user="UADMIN")["text"]
    run_job(deps, "monthly_update", now=local(event_day - timedelta(days=7), 9))
    post = next(c for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == "C0COMMUNITY")
    assert "Es präsentiert: Vertrieb" in text_of(post.params["blocks"])
    ((ics_name, ics),) = [local_slack.uploads[f] for f in local_slack.uploads]
    assert ics_name == "ki-update-2026-12-03.ics"
    parsed = Calendar.from_ical(ics)
    start = parsed.walk("VEVENT")[0]["DTSTART"].dt
    assert start == datetime(2026, 12, 3, 15, 0, tzinfo=BERLIN) and str(start.tzinfo) == "Europe/Berlin"
    run_job(deps, "monthly_update", now=local(event_day, 16, 30))
    requests = [c for c in local_slack.calls_to("chat.postMessage") if "Zusammenfassung" in c.params["text"]]
    assert sorted(c.params["channel"] for c in requests) == ["UVER0", "UVER1"]
    event_id = next(e["value"] for b in requests[0].params["blocks"] if b["type"] == "actions" for e in b["elements"])
    interaction(app, button_click(ids.SUMMARY_OPEN, event_id, user="UVER0", response_url=local_slack.response_url("s")))
    form = views_opened(local_slack)[-1]
    refused = json.loads(
        interaction(
            app, view_submission(form, {ids.SUMMARY: "Angebote in 10 Minuten"}, view_id="VS0", user="UIT0")
        ).body
    )
    assert "benannt wurden" in refused["errors"][ids.SUMMARY]
    bad_link = json.loads(
        interaction(
            app, view_submission(form, {ids.SUMMARY: "x", ids.SUMMARY_LINK: "intranet"}, view_id="VS1", user="UVER0")
        ).body
    )
    assert ids.SUMMARY_LINK in bad_link["errors"]
    ok = json.loads(
        interaction(
            app,
            view_submission(
                form,
                {ids.SUMMARY: "Angebote in 10 Minuten", ids.SUMMARY_LINK: "https://wiki/folien"},
                view_id="VS2",
                user="UVER0",
            ),
        ).body
    )
    assert ok["response_action"] == "update"
    shared = local_slack.calls_to("chat.postMessage")[-1].params
    assert shared["channel"] == "C0COMMUNITY" and "Angebote in 10 Minuten" in text_of(shared["blocks"])


@pytest.mark.parametrize(("day", "hour_utc"), [(date(2026, 3, 5), 14), (date(2026, 4, 2), 13)])
def test_ics_keeps_the_local_time_across_dst(day: date, hour_utc: int) -> None:
    starts_at = datetime(day.year, day.month, day.day, 15, 0, tzinfo=BERLIN)
    parsed = Calendar.from_ical(
        invite("uid-1", "KI-Update", "Vertrieb", starts_at, 30, datetime(2026, 1, 1, tzinfo=UTC))
    )
    event = parsed.walk("VEVENT")[0]
    assert event["DTSTART"].dt == starts_at and event["DTSTART"].dt.astimezone(UTC).hour == hour_utc
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=30)
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_retrospective_invites_and_shows_results_only_from_the_minimum(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 6})
    run_job(deps, "retrospective", now=local(date(2026, 12, 7), 10))  # first Monday of December
    invites = [c for c in local_slack.calls_to("chat.postMessage") if "Quartals-Retro Q4 2026" in c.params["text"]]
    assert len(invites) == 6
    interaction(app, button_click(ids.RETRO_OPEN, "2026-Q4", user="UVER0", response_url=local_slack.response_url("q")))
    form = views_opened(local_slack)[-1]
    for n in range(4):
        answer = json.loads(
            interaction(
                app,
                view_submission(
                    form, {ids.RETRO_WORKS: f"Gut {n}", ids.RETRO_RATING: str(n + 1)}, view_id=f"VR{n}", user=f"UVER{n}"
                ),
            ).body
        )
        assert answer["response_action"] == "update"
    again = json.loads(
        interaction(app, view_submission(form, {ids.RETRO_RATING: "5"}, view_id="VRX", user="UVER0")).body
    )
    assert "schon ausgefüllt" in again["errors"][ids.RETRO_RATING]
    pending = text_of(command(app, "admin retro 2026-Q4", user="UADMIN")["blocks"])
    assert "4 Antworten bisher" in pending and "ab 01.01.2027" in pending and "Gut" not in pending
    interaction(
        app,
        view_submission(form, {ids.RETRO_BLOCKS: "Zu wenig Zeit", ids.RETRO_RATING: "5"}, view_id="VR5", user="UVER5"),
    )
    # Five answers, but the survey still runs: viewing now and again after a 6th answer would isolate it.
    still = text_of(command(app, "admin retro 2026-Q4", user="UADMIN")["blocks"])
    assert "5 Antworten bisher" in still and "⌀" not in still and "Zu wenig Zeit" not in still
    deps.clock = lambda: datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    results = text_of(command(app, "admin retro 2026-Q4", user="UADMIN")["blocks"])
    assert "*Antworten*\n5" in results and "⌀ 3" in results
    assert "• Gut 0" in results and "• Zu wenig Zeit" in results and "UVER" not in results
    late = json.loads(
        interaction(app, view_submission(form, {ids.RETRO_RATING: "1"}, view_id="VR6", user="UVER4")).body
    )
    assert "abgeschlossen" in late["errors"][ids.RETRO_RATING]
    with database.unit_of_work(TEAM) as uow:
        uow.session.execute(delete(RetroResponse).where(RetroResponse.works == "Gut 0"))
    assert text_of(command(app, "admin retro 2026-Q4", user="UADMIN")["blocks"]) == results
    assert "Das dürfen nur Admins" in command(app, "admin retro", user="UVER0")["text"]
    with database.unit_of_work(TEAM) as uow:
        assert len(uow.session.scalars(select(RetroResponse.id)).all()) == 4


def test_a_closed_retro_with_too_few_answers_shows_only_the_count(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 6})
    run_job(deps, "retrospective", now=local(date(2026, 12, 7), 10))
    interaction(app, button_click(ids.RETRO_OPEN, "2026-Q4", user="UVER0", response_url=local_slack.response_url("q")))
    form = views_opened(local_slack)[-1]
    for n in range(4):
        interaction(app, view_submission(form, {ids.RETRO_RATING: "4"}, view_id=f"VR{n}", user=f"UVER{n}"))
    deps.clock = lambda: datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    text = text_of(command(app, "admin retro Q4 2026", user="UADMIN")["blocks"])
    assert "Nur 4 Antworten" in text and "⌀" not in text


@pytest.mark.parametrize(
    "text",
    [
        "admin report",
        "admin export",
        "admin retro",
        "admin sprechstunde thema x",
        "admin update tausch IT",
        "admin run office_hours",
        "admin zeitplan",
    ],
)
def test_admin_commands_refuse_non_admins(bolt: tuple[App, Deps], text: str) -> None:
    app, _ = bolt
    assert "Das dürfen nur Admins" in command(app, text, user="U0ANNA")["text"]


def test_a_monthly_update_on_a_holiday_moves_a_week(bolt: tuple[App, Deps]) -> None:
    _, deps = bolt
    assert rituals.monthly_update_day(2026, 1, deps.settings) == date(2026, 1, 8)  # 1 January is a Thursday
    assert rituals.monthly_update_day(2026, 12, deps.settings) == date(2026, 12, 3)


def dms_to(slack: LocalSlackApi, user: str) -> list[str]:
    """The bot's direct messages to a person, without the privacy notice of the first click."""
    return [
        text_of(c.params["blocks"])
        for c in slack.calls_to("chat.postMessage")
        if c.params["channel"] == user and "Datenschutz" not in c.params["text"] and "privacy" not in c.params["text"]
    ]


def test_every_ritual_dm_is_in_the_persons_language_and_channel_posts_in_the_workspaces(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 4})
    command(app, "sprache en", user="UVER0")
    with database.unit_of_work(TEAM) as uow:  # no choice of their own, but Slack says English
        uow.session.execute(update(Member).where(Member.slack_user_id == "UVER1").values(slack_locale="en-GB"))
    run_job(deps, "office_hours", now=local(TUESDAY, 9, 0))
    post = next(c.params for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == "C0COMMUNITY")
    assert "KI-Sprechstunde" in text_of(post["blocks"])
    event_id = next(e["value"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"])
    for user in ("UVER0", "UVER1", "UVER2"):
        interaction(app, button_click(ids.RSVP, event_id, user=user, response_url=local_slack.response_url(user)))
    run_job(deps, "office_hours", now=local(TUESDAY, 15, 45))
    assert "Starting soon: AI office hours" in dms_to(local_slack, "UVER0")[-1]
    assert "Starting soon: AI office hours" in dms_to(local_slack, "UVER1")[-1]
    assert "Gleich geht's los: KI-Sprechstunde" in dms_to(local_slack, "UVER2")[-1]
    assert dms_to(local_slack, "UVER3") == []  # no RSVP, no reminder

    event_day = date(2026, 12, 3)
    run_job(deps, "monthly_update", now=local(event_day - timedelta(days=14), 9))
    notice = dms_to(local_slack, "UVER0")[-1]
    assert "Your department *Vertrieb* presents the AI update" in notice and "Template (3 slides at most)" in notice
    assert "You have 14 days to prepare." in notice
    assert "Euer Bereich *Vertrieb* ist mit dem KI-Update dran" in dms_to(local_slack, "UVER2")[-1]
    run_job(deps, "monthly_update", now=local(event_day - timedelta(days=7), 9))
    announcement = [c.params for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == "C0COMMUNITY"]
    assert "Monatliches KI-Update" in text_of(announcement[-1]["blocks"])
    run_job(deps, "monthly_update", now=local(event_day, 16, 30))
    assert "Thanks for presenting!" in dms_to(local_slack, "UVER0")[-1]
    assert "Danke fürs Präsentieren!" in dms_to(local_slack, "UVER2")[-1]

    run_job(deps, "retrospective", now=local(date(2026, 12, 7), 10))
    assert "Quarterly retro Q4 2026" in dms_to(local_slack, "UVER0")[-1]
    assert "Quarterly retro Q4 2026" in dms_to(local_slack, "UVER1")[-1]
    assert "Quartals-Retro Q4 2026" in dms_to(local_slack, "UVER2")[-1]


def test_deactivated_members_get_no_ritual_dm(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 2})
    run_job(deps, "office_hours", now=local(TUESDAY, 9, 0))
    post = local_slack.calls_to("chat.postMessage")[-1].params
    event_id = next(e["value"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"])
    for user in ("UVER0", "UVER1"):
        interaction(app, button_click(ids.RSVP, event_id, user=user, response_url=local_slack.response_url(user)))
    with database.unit_of_work(TEAM) as uow:  # UVER1 left the company after saying yes
        uow.session.execute(
            update(Member).where(Member.slack_user_id == "UVER1").values(deactivated_at=local(TUESDAY, 10))
        )
    assert run_job(deps, "office_hours", now=local(TUESDAY, 15, 45)).sent == 1
    event_day = date(2026, 12, 3)
    for moment in (local(event_day - timedelta(days=14), 9), local(event_day, 16, 30)):
        run_job(deps, "monthly_update", now=moment)
    run_job(deps, "retrospective", now=local(date(2026, 12, 7), 10))
    assert dms_to(local_slack, "UVER1") == []
    assert len(dms_to(local_slack, "UVER0")) == 4  # reminder, notice, summary request, retro


def test_swapping_the_presenters_tells_both_departments_in_their_language(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 2, "IT": 1, "Marketing": 2})
    command(app, "sprache en", user="UMAR1")
    event_day = date(2026, 12, 3)
    run_job(deps, "monthly_update", now=local(event_day - timedelta(days=14), 9))  # IT comes first
    assert "Euer Bereich *IT*" in dms_to(local_slack, "UIT0")[-1]
    reply = command(app, "admin update tausch marketing", user="UADMIN")["text"]
    assert "präsentiert jetzt: Marketing" in reply and "IT erfährt" in reply
    assert "Euer Bereich *Marketing* ist mit dem KI-Update dran" in dms_to(local_slack, "UMAR0")[-1]
    assert "Vorlage (höchstens 3 Folien)" in dms_to(local_slack, "UMAR0")[-1]
    english = dms_to(local_slack, "UMAR1")[-1]
    assert "Your department *Marketing* presents" in english and "You have 7 days to prepare." in english
    off = dms_to(local_slack, "UIT0")[-1]
    assert "Planänderung" in off and "*Marketing* statt eures Bereichs *IT*" in off
    assert dms_to(local_slack, "UVER0") == []
    assert "schon Marketing" in command(app, "admin update tausch Marketing", user="UADMIN")["text"]
    assert len(dms_to(local_slack, "UMAR0")) == 1


def test_a_swap_before_the_notice_is_the_notice(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 1, "IT": 1})
    reply = command(app, "admin update tausch Vertrieb", user="UADMIN")["text"]
    assert "präsentiert jetzt: Vertrieb" in reply and "erfährt" not in reply
    assert len(dms_to(local_slack, "UVER0")) == 1
    assert run_job(deps, "monthly_update", now=local(date(2026, 11, 19), 9)).sent == 0
    assert len(dms_to(local_slack, "UVER0")) == 1 and dms_to(local_slack, "UIT0") == []


def test_swap_without_a_department_says_what_is_expected(bolt: tuple[App, Deps], database: Database) -> None:
    app, _ = bolt
    people(database, {"Vertrieb": 1, "IT": 1})
    answer = command(app, "admin update tausch", user="UADMIN")
    visible = text_of(answer["blocks"])
    assert "Welcher Bereich soll präsentieren?" in visible and "Möglich: IT, Vertrieb" in visible
    assert "/ki admin update tausch Vertrieb" in visible
    assert stored(database, RitualEvent.department) == []


def test_retro_results_count_answers_with_plural_forms(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    people(database, {"Vertrieb": 2})
    interaction(app, button_click(ids.RETRO_OPEN, "2026-Q4", user="UVER0", response_url=local_slack.response_url("q")))
    form = views_opened(local_slack)[-1]
    interaction(app, view_submission(form, {ids.RETRO_RATING: "4"}, view_id="VR0", user="UVER0"))
    assert "(1 Antwort bisher)" in text_of(command(app, "admin retro 2026-Q4", user="UADMIN")["blocks"])
    command(app, "sprache en", user="UADMIN")
    assert "(1 answer so far)" in text_of(command(app, "admin retro 2026-Q4", user="UADMIN")["blocks"])


def test_channel_posts_follow_the_workspaces_language(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    people(database, {"Vertrieb": 1})
    with database.unit_of_work(TEAM) as uow:
        uow.session.execute(update(Workspace).values(default_language="en"))
    command(app, "sprache de", user="UVER0")
    run_job(deps, "office_hours", now=local(TUESDAY, 9, 0))
    event_day = date(2026, 12, 3)
    for moment in (local(event_day - timedelta(days=14), 9), local(event_day - timedelta(days=7), 9)):
        run_job(deps, "monthly_update", now=moment)
    run_job(deps, "monthly_update", now=local(event_day, 16, 30))
    request = local_slack.calls_to("chat.postMessage")[-1].params
    assert request["channel"] == "UVER0" and "Danke fürs Präsentieren!" in request["text"]
    event_id = next(e["value"] for b in request["blocks"] if b["type"] == "actions" for e in b["elements"])
    interaction(app, button_click(ids.SUMMARY_OPEN, event_id, user="UVER0", response_url=local_slack.response_url("s")))
    form = views_opened(local_slack)[-1]
    interaction(app, view_submission(form, {ids.SUMMARY: "Angebote schneller"}, view_id="VS0", user="UVER0"))
    community = [c for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == "C0COMMUNITY"]
    assert len(community) == 3
    office_hours, update_post, summary = (text_of(c.params["blocks"]) for c in community)
    assert "AI office hours" in office_hours and "Monthly AI update" in update_post
    assert "*AI update from Vertrieb:* Angebote schneller" in summary
