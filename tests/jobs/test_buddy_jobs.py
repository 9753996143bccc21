"""The buddy jobs against a loopback Slack on SQLite and PostgreSQL: intros, waiting list, the weekly
check-in at local time (holidays, DST, pauses, time zones), racing schedulers, the end of a programme,
and the buddy commands and buttons through Bolt."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database
from bot.deps import Deps
from bot.domain.buddies import Answer, Role
from bot.models import Assessment, BuddyCheckIn, BuddyPair, BuddyRating
from bot.render import ids
from bot.services import buddies
from bot.services.members import ensure_member
from jobs.runtime import Skip
from jobs.scheduler import JOBS, add_jobs, run_job
from tests.blockkit import text_of
from tests.conftest import TEAM
from tests.rows import add_pair, stored
from tests.slack_payloads import (
    bolt_app,
    button_click,
    command,
    interaction,
    view_submission,
    views_opened,
)

THURSDAY_10_BERLIN = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {"admin_user_ids": "UADMIN"}


def person(
    database: Database, user: str, role: Role, track: str, timezone: str | None = None, capacity: int = 2
) -> int:
    with database.unit_of_work(TEAM) as uow:
        member = ensure_member(uow, user, "de")
        member.track, member.timezone = track, timezone
        buddies.enroll(uow, member, role, capacity)
        return member.id


def pair_up(database: Database, mentee_tz: str | None = None, started: date = date(2026, 11, 20)) -> int:
    mentor = person(database, "UMENTOR", Role.MENTOR, "champion")
    mentee = person(database, "UMENTEE", Role.MENTEE, "basis", timezone=mentee_tz)
    with database.unit_of_work(TEAM) as uow:
        return add_pair(uow.session, mentor, mentee, started, started + timedelta(weeks=12)).id


def checkins(slack: LocalSlackApi) -> list:
    return [c for c in slack.calls_to("chat.postMessage") if "ausgetauscht" in str(c.params.get("text"))]


def test_job_ids_and_scheduler_settings(bolt: tuple[App, Deps]) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    _, deps = bolt
    scheduler = add_jobs(BackgroundScheduler(), deps)
    assert sorted(job.id for job in scheduler.get_jobs()) == sorted(JOBS)
    assert sorted(JOBS) == [
        "buddy_checkin",
        "buddy_matching",
        "monthly_report",
        "monthly_update",
        "office_hours",
        "pilots",
        "programme",
        "reassessment",
        "retention",
        "retrospective",
        "weekly_leaderboard",
    ]
    assert str(scheduler.timezone) == "Europe/Berlin"
    defaults = scheduler._job_defaults
    assert defaults["coalesce"] is True and defaults["misfire_grace_time"] == 3600


def test_matching_introduces_and_tells_the_waiting_once(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    _, deps = bolt
    person(database, "UMENTOR", Role.MENTOR, "champion", capacity=1)
    person(database, "UMENTEE", Role.MENTEE, "basis")
    person(database, "ULATE", Role.MENTEE, "basis")
    monday = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
    report = run_job(deps, "buddy_matching", now=monday)
    assert (report.sent, report.failed) == (2, 0)
    opened = local_slack.calls_to("conversations.open")
    assert [c.params["users"] for c in opened] == ["UMENTOR,UMENTEE"]
    posts = local_slack.calls_to("chat.postMessage")
    intro = next(c for c in posts if c.params["channel"].startswith("D"))
    assert "ihr seid ab heute Buddies" in intro.params["text"]
    waiting = [c for c in posts if c.params["channel"] == "ULATE"]
    assert len(waiting) == 1 and "Warteliste" in waiting[0].params["text"]
    run_job(deps, "buddy_matching", now=monday + timedelta(weeks=1))
    assert len(local_slack.calls_to("chat.postMessage")) == 2  # nobody introduced or told twice
    assert run_job(deps, "buddy_matching", now=monday).runs == 0  # the same occurrence never runs again


def test_checkin_on_thursday_at_ten_local_time_once_a_week(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    _, deps = bolt
    pair_up(database)
    for minutes in (-15, 0, 15, 30, 60):
        run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN + timedelta(minutes=minutes))
    assert len(checkins(local_slack)) == 1
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN + timedelta(weeks=1))
    assert len(checkins(local_slack)) == 2
    again = run_job(deps, "buddy_checkin", manual=True, now=THURSDAY_10_BERLIN + timedelta(weeks=1, hours=2))
    assert again.sent == 0 and again.why() == [Skip.ALREADY_RAN]  # a manual run the same week says why
    with database.unit_of_work(TEAM) as uow:
        weeks = uow.session.scalars(select(BuddyCheckIn.week).order_by(BuddyCheckIn.week)).all()
    assert weeks == [date(2026, 11, 23), date(2026, 11, 30)]


def test_mentee_time_zone_decides(bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database) -> None:
    _, deps = bolt
    pair_up(database, mentee_tz="America/New_York")
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
    assert checkins(local_slack) == []
    run_job(deps, "buddy_checkin", now=datetime(2026, 11, 26, 15, 0, tzinfo=UTC))  # 10:00 in New York
    assert len(checkins(local_slack)) == 1


@pytest.mark.parametrize(("state", "expected"), [("BY", 0), ("HH", 1)])
def test_a_thursday_that_is_a_holiday_in_the_state_is_skipped(
    database: Database, local_slack: LocalSlackApi, state: str, expected: int
) -> None:
    corpus_christi = datetime(2026, 6, 4, 8, 0, tzinfo=UTC)  # Fronleichnam: holiday in Bavaria, not in Hamburg
    with bolt_app(database, local_slack, holiday_state=state) as (_, deps):
        pair_up(database, started=date(2026, 5, 28))
        report = run_job(deps, "buddy_checkin", now=corpus_christi)
    assert len(checkins(local_slack)) == expected
    assert any("holiday" in reason for reason in report.skipped) == (expected == 0)


@pytest.mark.parametrize(
    ("first", "second", "utc_hours"),
    [
        (date(2026, 3, 26), date(2026, 4, 2), [9, 8]),  # DST starts Sunday 29 March
        (date(2026, 10, 22), date(2026, 10, 29), [8, 9]),  # DST ends Sunday 25 October
    ],
)
def test_dst_weeks_neither_skip_nor_double(
    bolt: tuple[App, Deps],
    local_slack: LocalSlackApi,
    database: Database,
    first: date,
    second: date,
    utc_hours: list[int],
) -> None:
    _, deps = bolt
    pair_up(database, started=first - timedelta(days=3))
    for day in (first, second):
        start = datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)
        for quarter in range(6 * 4):
            run_job(deps, "buddy_checkin", now=start + timedelta(minutes=15 * quarter))
    sent = checkins(local_slack)
    assert len(sent) == 2
    with database.unit_of_work(TEAM) as uow:
        asked = uow.session.scalars(select(BuddyCheckIn.asked_at).order_by(BuddyCheckIn.week)).all()
    assert [moment.astimezone(UTC).hour for moment in asked] == utc_hours


def test_paused_people_get_no_checkin(bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database) -> None:
    _, deps = bolt
    pair_up(database)
    with database.unit_of_work(TEAM) as uow:
        mentee = ensure_member(uow, "UMENTEE", "de")
        buddies.pause(mentee, date(2026, 11, 27))
    report = run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
    assert checkins(local_slack) == [] and any("paused" in reason for reason in report.skipped)
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN + timedelta(weeks=1))
    assert len(checkins(local_slack)) == 1


def test_two_schedulers_send_one_checkin(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    _, deps = bolt
    pair_up(database)
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def scheduler() -> None:
        barrier.wait()
        try:
            run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
        except BaseException as error:  # a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=scheduler) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(checkins(local_slack)) == 1


def test_checkin_answer_clicked_twice_is_stored_once(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    pair_id = pair_up(database)
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
    value = f"{pair_id}:2026-11-23:{Answer.YES}"
    url = local_slack.response_url("c1")
    interaction(app, button_click(ids.CHECKIN_ANSWER, value, user="UMENTEE", response_url=url))
    interaction(
        app,
        button_click(
            ids.CHECKIN_ANSWER, f"{pair_id}:2026-11-23:{Answer.NOT_THIS_WEEK}", user="UMENTOR", response_url=url
        ),
    )
    with database.unit_of_work(TEAM) as uow:
        rows = uow.session.execute(select(BuddyCheckIn.answer, BuddyCheckIn.answered_by_id)).all()
    assert len(rows) == 1 and rows[0][0] == Answer.YES
    replies = local_slack.calls_to("response_url")
    assert "beantwortet von <@UMENTEE>" in json.dumps(replies[0].params, ensure_ascii=False)
    assert "schon geantwortet: Ja" in replies[1].params["text"]
    stranger = button_click(ids.CHECKIN_ANSWER, value, user="USTRANGER", response_url=url)
    interaction(app, stranger)
    assert "nicht dein Buddy-Paar" in local_slack.calls_to("response_url")[-1].params["text"]


def test_after_twelve_weeks_both_are_asked_and_decide(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    pair_id = pair_up(database, started=date(2026, 11, 26) - timedelta(weeks=12))
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
    question = local_slack.calls_to("chat.postMessage")[-1]
    assert "12 Wochen sind um" in question.params["text"] and checkins(local_slack) == []
    url = local_slack.response_url("f1")

    def shown() -> tuple[str, str]:
        params = local_slack.calls_to("response_url")[-1].params
        return text_of(params["blocks"]), json.dumps(params["blocks"])

    # A made-up choice is refused; it neither extends nor ends anything.
    interaction(app, button_click(ids.FEEDBACK_DECISION, f"{pair_id}:keep", user="UMENTEE", response_url=url))
    assert "Buddy-Paar" in local_slack.calls_to("response_url")[-1].params["text"]
    with database.unit_of_work(TEAM) as uow:
        assert buddies.get_pair(uow, pair_id).status == "active"
    interaction(app, button_click(ids.FEEDBACK_DECISION, f"{pair_id}:extend", user="UMENTEE", response_url=url))
    text, blocks = shown()
    assert "<@UMENTEE>: Weitere 12 Wochen" in text and "<@UMENTOR>: noch offen" in text
    assert ids.FEEDBACK_DECISION in blocks  # the partner can still answer
    interaction(app, button_click(ids.FEEDBACK_DECISION, f"{pair_id}:extend", user="UMENTOR", response_url=url))
    with database.unit_of_work(TEAM) as uow:
        pair = buddies.get_pair(uow, pair_id)
        assert (pair.status, pair.ends_on) == ("active", date(2027, 2, 18))
    text, blocks = shown()
    assert "Verlängert bis 18.02.2027" in text and "<@UMENTOR>: Weitere 12 Wochen" in text
    assert ids.FEEDBACK_DECISION not in blocks and ids.RATING_OPEN not in blocks
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN + timedelta(weeks=1))
    assert len(checkins(local_slack)) == 1  # the extended pair is asked again
    interaction(app, button_click(ids.FEEDBACK_DECISION, f"{pair_id}:end", user="UMENTOR", response_url=url))
    with database.unit_of_work(TEAM) as uow:
        assert buddies.get_pair(uow, pair_id).status == "ended"  # one "end" ends the programme
    text, blocks = shown()
    assert "<@UMENTOR>: Beenden" in text and "<@UMENTEE>: noch offen" in text and "Feedback geben" in text
    assert ids.FEEDBACK_DECISION not in blocks and ids.RATING_OPEN in blocks
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN + timedelta(weeks=2))
    assert len(checkins(local_slack)) == 1  # an ended pair is not asked


def rate(app: App, local_slack: LocalSlackApi, pair_id: int, user: str, values: dict, view_id: str) -> dict:
    interaction(app, button_click(ids.RATING_OPEN, str(pair_id), user=user, response_url=local_slack.response_url("r")))
    form = views_opened(local_slack)[-1]
    return json.loads(interaction(app, view_submission(form, values, view_id=view_id, user=user)).body)


def test_both_rate_an_ended_programme_once_and_without_personal_data(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    pair_id = pair_up(database)
    interaction(app, button_click(ids.FEEDBACK_DECISION, f"{pair_id}:end", user="UMENTEE"))
    phone = rate(app, local_slack, pair_id, "UMENTEE", {ids.RATING: "4", ids.NOTE: "Ruf an: 0171 1234567"}, "V1")
    assert "keine Telefonnummern" in phone["errors"][ids.NOTE]
    saved = rate(app, local_slack, pair_id, "UMENTEE", {ids.RATING: "4", ids.NOTE: "Sehr  hilfreich"}, "V2")
    assert "Danke für dein Feedback" in json.dumps(saved, ensure_ascii=False)
    assert rate(app, local_slack, pair_id, "UMENTOR", {ids.RATING: "5"}, "V3")["response_action"] == "update"
    again = rate(app, local_slack, pair_id, "UMENTEE", {ids.RATING: "1"}, "V4")
    assert "schon Feedback gegeben" in again["errors"][ids.RATING]
    with database.unit_of_work(TEAM) as uow:
        rows = uow.session.execute(select(BuddyRating.rating, BuddyRating.comment).order_by(BuddyRating.id)).all()
    assert [tuple(row) for row in rows] == [(4, "Sehr hilfreich"), (5, None)]


def test_leaving_ends_the_programme_and_asks_everyone_for_feedback(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    pair_id = pair_up(database)
    reply = command(app, "buddy austreten", user="UMENTEE")
    assert "1 Buddy-Paar wurde beendet" in reply["text"] and ids.RATING_OPEN in json.dumps(reply)
    told = [c for c in local_slack.calls_to("chat.postMessage") if c.params["channel"] == "UMENTOR"]
    assert len(told) == 1 and "<@UMENTEE> ist aus dem Buddy-Programm ausgetreten" in told[0].params["text"]
    assert f'"value": "{pair_id}"' in json.dumps(told[0].params["blocks"])
    assert rate(app, local_slack, pair_id, "UMENTOR", {ids.RATING: "3"}, "V1")["response_action"] == "update"


def test_deactivated_members_never_get_buddy_messages(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    pair_up(database, started=date(2026, 11, 26) - timedelta(weeks=12))
    person(database, "UGONE", Role.MENTEE, "basis")
    with database.unit_of_work(TEAM) as uow:
        for user in ("UMENTOR", "UGONE"):
            ensure_member(uow, user, "de").deactivated_at = datetime(2026, 11, 1, tzinfo=UTC)
    run_job(deps, "buddy_matching", now=datetime(2026, 11, 30, 7, 30, tzinfo=UTC))
    report = run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
    assert any("deactivated" in reason for reason in report.skipped)  # no check-in, no 12-week question
    command(app, "buddy austreten", user="UMENTEE")
    channels = {c.params["channel"] for c in local_slack.calls_to("chat.postMessage")}
    assert channels.isdisjoint({"UMENTOR", "UGONE"}) and local_slack.calls_to("conversations.open") == []


def test_buddy_commands(bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database) -> None:
    app, _ = bolt
    local_slack.add_user(SlackUser("UMENTOR", "mentor"))
    assert "Möchtest du einen Buddy" in json.dumps(command(app, "buddy", user="U0ANNA"), ensure_ascii=False)
    command(app, "selbstcheck", user="UMENTOR")
    with database.unit_of_work(TEAM) as uow:
        ensure_member(uow, "UMENTOR", "de").track = "champion"
    assert "höchstens 3 Mentees" in command(app, "buddy pate 3", user="UMENTOR")["text"]
    assert "Ich suche dir einen Buddy" in command(app, "buddy mentee", user="U0ANNA")["text"]
    assert local_slack.calls_to("conversations.open")[-1].params["users"] == "UMENTOR,U0ANNA"
    status = json.dumps(command(app, "buddy", user="U0ANNA"), ensure_ascii=False)
    assert "Dein Buddy: <@UMENTOR>" in status and "Nächster Check-in" in status
    assert "Pausiert bis einschließlich 09.12.2026" in command(app, "buddy pause 2w", user="U0ANNA")["text"]
    assert "Wie lange?" in command(app, "buddy pause irgendwann", user="U0ANNA")["text"]
    assert "1 Buddy-Paar wurde beendet" in command(app, "buddy austreten", user="U0ANNA")["text"]
    assert "nicht im Buddy-Programm" in command(app, "buddy austreten", user="U0ANNA")["text"]


def test_admin_runs_jobs_and_sees_the_schedule(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    assert "nur Admins" in command(app, "admin run buddy_checkin")["text"]
    assert "gibt es nicht" in command(app, "admin run tanzen", user="UADMIN")["text"]
    pair_up(database)
    assert "läuft" in command(app, "admin run buddy_checkin", user="UADMIN")["text"]
    assert len(checkins(local_slack)) == 1  # run now, whatever the hour
    done = local_slack.calls_to("chat.postMessage")[-1]
    assert done.params["channel"] == "UADMIN" and "1 gesendet" in done.params["text"]
    schedule = command(app, "admin zeitplan", user="UADMIN")["text"]
    assert "`buddy_matching` – nächster Lauf: 30.11.2026 08:30" in schedule
    assert "`buddy_checkin` – nächster Lauf: 26.11.2026 10:00" in schedule
    waiting = command(app, "admin buddy", user="UADMIN")
    assert "1 aktives Buddy-Paar" in json.dumps(waiting, ensure_ascii=False)


@pytest.mark.parametrize("value", ["x", "1:2026-13-01:ja", "1:2026-11-23:vielleicht", "abc:2026-11-23:ja"])
def test_a_tampered_checkin_button_is_refused_clearly(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database, value: str
) -> None:
    app, _ = bolt
    pair_up(database)
    interaction(
        app, button_click(ids.CHECKIN_ANSWER, value, user="UMENTEE", response_url=local_slack.response_url("t"))
    )
    assert "gibt es nicht (mehr)" in local_slack.calls_to("response_url")[-1].params["text"]
    assert stored(database, BuddyCheckIn.id) == []


def test_nobody_has_a_self_check_yet_and_everyone_gets_a_buddy(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    first = json.dumps(command(app, "buddy pate", user="UPATE1"), ensure_ascii=False)
    assert "höchstens 2 Mentees" in first and "Selbstcheck" in first and ids.OPEN_CHECK in first
    assert "höchstens 1 Mentee." in command(app, "buddy pate 1", user="UPATE2")["text"]
    for mentee in ("UNEW1", "UNEW2", "UNEW3"):
        command(app, "buddy mentee", user=mentee)
    opened = [c.params["users"].split(",") for c in local_slack.calls_to("conversations.open")]
    assert sorted(mentee for _, mentee in opened) == ["UNEW1", "UNEW2", "UNEW3"]
    assert sorted(mentor for mentor, _ in opened) == ["UPATE1", "UPATE1", "UPATE2"]
    assert not [c for c in local_slack.calls_to("chat.postMessage") if "Warteliste" in str(c.params.get("text"))]


def test_a_mentor_with_a_self_check_is_not_invited_to_take_one(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    with database.unit_of_work(TEAM) as uow:
        member = ensure_member(uow, "UPATE1", "de")
        uow.session.add(
            Assessment(team_id=TEAM, member_id=member.id, levels={}, overall_level=3, recommended_track="x")
        )
    reply = json.dumps(command(app, "buddy pate", user="UPATE1"), ensure_ascii=False)
    assert "höchstens 2 Mentees" in reply and ids.OPEN_CHECK not in reply


def test_buddy_notes_refuse_personal_data_like_log_notes(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    pair_up(database)
    refused = command(app, "buddy notiz Ruf mich an: 0171 1234567", user="UMENTEE")["text"]
    assert refused == command(app, "log 30 Ruf mich an: 0171 1234567", user="UMENTEE")["text"]
    assert stored(database, BuddyCheckIn.note) == []
    assert "keine Telefonnummern" in refused


def test_resume_without_pause_says_so_and_pause_answer_says_until_when(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    pair_id = pair_up(database)
    assert "nicht pausiert" in command(app, "buddy weiter", user="UMENTEE")["text"]
    run_job(deps, "buddy_checkin", now=THURSDAY_10_BERLIN)
    url = local_slack.response_url("p1")
    interaction(app, button_click(ids.CHECKIN_ANSWER, f"{pair_id}:2026-11-23:pause", user="UMENTEE", response_url=url))
    answered = json.dumps(local_slack.calls_to("response_url")[-1].params, ensure_ascii=False)
    assert "Keine Check-ins bis einschließlich 13.12.2026" in answered
    command(app, "buddy pause 1w", user="UMENTEE")
    assert "Willkommen zurück" in command(app, "buddy weiter", user="UMENTEE")["text"]


def test_capacity_texts_have_plural_forms_in_both_languages() -> None:
    from bot.i18n import Translator

    assert "höchstens 1 Mentee." in Translator("de").tn("buddy.joined_mentor", 1)
    assert "at most 1 mentee." in Translator("en").tn("buddy.joined_mentor", 1)
    assert "at most 3 mentees." in Translator("en").tn("buddy.joined_mentor", 3)
    assert Translator("de").tn("buddy.capacity", 1, taken=0).endswith("höchstens 1 Mentee.")
    assert Translator("en").tn("buddy.capacity", 2, taken=1).endswith("at most 2 mentees.")


def test_the_last_day_of_a_pause_is_still_paused(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    """Paused "bis 24.12.2026" (a Thursday): no check-in and no matching on the 24th, both from the 25th."""
    from zoneinfo import ZoneInfo

    _, deps = bolt
    pair_up(database, started=date(2026, 12, 1))
    with database.unit_of_work(TEAM) as uow:
        buddies.pause(ensure_member(uow, "UMENTEE", "de"), date(2026, 12, 24))
    report = run_job(deps, "buddy_checkin", now=datetime(2026, 12, 24, 9, 0, tzinfo=UTC))
    assert checkins(local_slack) == [] and any("paused" in reason for reason in report.skipped)
    run_job(deps, "buddy_checkin", now=datetime(2026, 12, 31, 9, 0, tzinfo=UTC))
    assert len(checkins(local_slack)) == 1
    person(database, "UPATE", Role.MENTOR, "champion")
    person(database, "UWAIT", Role.MENTEE, "basis")
    with database.unit_of_work(TEAM) as uow:
        buddies.pause(ensure_member(uow, "UWAIT", "de"), date(2026, 12, 24))
    berlin = ZoneInfo("Europe/Berlin")
    for day, matched in ((date(2026, 12, 24), 0), (date(2026, 12, 25), 1)):
        with database.unit_of_work(TEAM) as uow:
            moment = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
            result = buddies.run_matching(uow, day, moment, berlin, 12)
            assert len(result.new_pairs) == matched, day


def test_who_waited_a_whole_round_gets_learning_partners_and_keeps_waiting_for_a_mentor(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    person(database, "UPATE", Role.MENTOR, "champion", capacity=1)
    for mentee in ("UA", "UB", "UC", "UD"):
        person(database, mentee, Role.MENTEE, "basis")
    first_round = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
    run_job(deps, "buddy_matching", now=first_round)
    assert len(local_slack.calls_to("conversations.open")) == 1  # the mentor's one place; no peers yet
    person(database, "ULATE", Role.MENTEE, "basis")  # joins after the first round: waits one more round
    run_job(deps, "buddy_matching", now=first_round + timedelta(weeks=1))
    opened = local_slack.calls_to("conversations.open")
    assert len(opened) == 2
    trio = opened[-1].params["users"].split(",")
    assert len(trio) == 3 and "ULATE" not in trio and "UPATE" not in trio
    intro = next(c for c in local_slack.calls_to("chat.postMessage") if "Lernpartner" in str(c.params.get("text")))
    assert "Warteliste" in text_of(intro.params["blocks"])
    admin = text_of(command(app, "admin buddy", user="UADMIN")["blocks"])
    assert "4 Personen warten auf einen Paten" in admin and "1 aktives Buddy-Paar" in admin
    assert "1 Gruppe von Lernpartnern" in admin and " + ".join(f"<@{user}>" for user in trio) in admin
    assert "Lernpartner" in text_of(command(app, "buddy", user=trio[0])["blocks"])

    run_job(deps, "buddy_checkin", now=datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    assert len(checkins(local_slack)) == 2  # the mentor pair and the trio
    with database.unit_of_work(TEAM) as uow:
        peers = uow.session.scalars(select(BuddyPair).where(BuddyPair.kind == "peer")).one()
        peer_id, third = peers.id, peers.third_id
    assert third is not None
    url = local_slack.response_url("t1")
    interaction(
        app, button_click(ids.CHECKIN_ANSWER, f"{peer_id}:2026-12-07:{Answer.YES}", user=trio[2], response_url=url)
    )
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalar(select(BuddyCheckIn.answer).where(BuddyCheckIn.pair_id == peer_id)) == Answer.YES

    command(app, "buddy pate 2", user="UPATE2")  # a mentor frees up: learning partners can get one
    mentored = [c.params["users"].split(",")[1] for c in local_slack.calls_to("conversations.open")[2:]]
    assert len(mentored) == 2 and set(mentored) <= {*trio, "ULATE"}
    with database.unit_of_work(TEAM) as uow:
        assert buddies.get_pair(uow, peer_id).status == "active"
