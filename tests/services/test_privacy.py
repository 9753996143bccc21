"""Data rights and retention (DSGVO Art. 15, 17, 20) on a hand-made workspace, on SQLite and PostgreSQL:
the export names every row about the person, erasure leaves nothing that names them while past months'
KPIs stay exactly as they were, and the retention run keeps only de-identified totals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import models
from bot.db import Database, UnitOfWork
from bot.domain.buddies import Answer
from bot.domain.use_cases import Status
from bot.services import privacy
from bot.services.kpis import KpiSettings, WorkspaceKpis, month_of, workspace_kpis
from bot.services.members import ensure_member
from bot.services.use_cases import list_use_cases
from tests.rows import add_use_case

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)
ANNA = "U1ANNA"
SECRET_NOTE = "Angebot für Projekt Seestern"
UNRELEASED_TEXT = "Nur Anna hat diese Retro beantwortet"


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def figures(uow: UnitOfWork, year: int, month: int) -> WorkspaceKpis:
    return workspace_kpis(uow, month_of(date(year, month, 15)), KpiSettings(BERLIN, 5, 45, 2000), today=TODAY)


def anna(uow: UnitOfWork) -> models.Member:
    return uow.session.scalars(select(models.Member).where(models.Member.slack_user_id == ANNA)).one()


@pytest.fixture
def workspace(database: Database) -> Database:
    """Six people in Vertrieb since January 2024; Anna (U1ANNA) has a row in every table that can name her.
    U6 left Slack in March 2024."""
    with database.unit_of_work("T1") as uow:
        session = uow.session
        session.add(models.Workspace(team_id="T1", default_language="de"))
        session.flush()
        people = [
            models.Member(
                team_id="T1",
                slack_user_id=ANNA if n == 1 else f"U{n}",
                department="Vertrieb",
                created_at=at(2024, 1, 1),
                deactivated_at=at(2024, 3, 1) if n == 6 else None,
            )
            for n in range(1, 7)
        ]
        session.add_all(people)
        session.flush()
        me, partner = people[0], people[1]
        session.add(
            models.DepartmentMembership(team_id="T1", member_id=me.id, department="Vertrieb", valid_from=at(2024, 1, 1))
        )
        for person in people:
            session.add(
                models.UsageLog(team_id="T1", member_id=person.id, minutes=30, note="", used_on=date(2024, 2, 5))
            )
        session.add_all(
            [
                models.UsageLog(team_id="T1", member_id=me.id, minutes=60, note=SECRET_NOTE, used_on=date(2024, 5, 10)),
                models.UsageLog(team_id="T1", member_id=me.id, minutes=45, note=SECRET_NOTE, used_on=date(2026, 10, 5)),
                models.UsageLog(team_id="T1", member_id=partner.id, minutes=20, note="", used_on=date(2026, 10, 6)),
            ]
        )
        case = add_use_case(session, "angebot", "Angebot", Status.PILOT, me.id, at(2026, 10, 2), team_id="T1")
        other_case = add_use_case(
            session,
            "protokoll",
            "Protokoll",
            Status.IDEA,
            partner.id,
            at(2026, 10, 2),
            team_id="T1",
            minutes_per_week=30,
        )
        session.add_all(
            [
                models.UseCaseStatusChange(
                    team_id="T1", use_case_id=case.id, status="pilot", changed_by_id=me.id, changed_at=at(2026, 10, 3)
                ),
                models.UseCaseAdoption(
                    team_id="T1", use_case_id=other_case.id, member_id=me.id, created_at=at(2026, 10, 4)
                ),
                models.Tip(team_id="T1", member_id=me.id, text="Frag nach Beispielen", anonymous=True, channel="C1"),
                models.Tip(team_id="T1", member_id=me.id, text="Kontext zuerst", anonymous=False, channel="C1"),
                models.Assessment(
                    team_id="T1", member_id=me.id, levels={"tools": 2}, overall_level=2, recommended_track="t"
                ),
                models.ModuleCompletion(team_id="T1", member_id=me.id, module_key="basics"),
                models.BuddyEnrollment(team_id="T1", member_id=me.id, role="mentee"),
                models.BuddyEnrollment(team_id="T1", member_id=partner.id, role="mentor"),
                models.AuditEntry(team_id="T1", actor_user_id=ANNA, action="admin_export", detail="2026-10"),
            ]
        )
        pair = models.BuddyPair(
            team_id="T1",
            mentor_id=partner.id,
            mentee_id=me.id,
            started_on=date(2026, 9, 1),
            ends_on=date(2026, 12, 1),
            created_at=at(2026, 9, 1),
        )
        old_pair = models.BuddyPair(
            team_id="T1",
            mentor_id=partner.id,
            mentee_id=people[2].id,
            status="ended",
            started_on=date(2024, 5, 1),
            ends_on=date(2024, 8, 1),
        )
        event = models.RitualEvent(team_id="T1", kind="office_hours", starts_at=at(2026, 10, 13))
        session.add(
            models.RitualEvent(
                team_id="T1",
                kind="monthly_update",
                starts_at=at(2026, 11, 5),
                department="Vertrieb",
                presenter_user_ids=[ANNA, "U2"],
            )
        )
        session.add_all([pair, old_pair, event])
        session.flush()
        session.add_all(
            [
                held_checkin(pair.id, date(2026, 10, 5), SECRET_NOTE, answered_by_id=me.id),
                held_checkin(old_pair.id, date(2024, 6, 3), "Über Prompts gesprochen"),
                models.BuddyFeedback(team_id="T1", pair_id=pair.id, member_id=me.id, decision="extend"),
                models.BuddyRating(team_id="T1", pair_id=pair.id, member_id=me.id, rating=4, comment=SECRET_NOTE),
                models.Rsvp(team_id="T1", event_id=event.id, member_id=me.id),
                models.CoachUsage(team_id="T1", member_id=me.id, day=date(2026, 11, 2), requests=2, improved=1),
                models.TalentProfile(team_id="T1", member_id=me.id, roles=["trainer"], strengths=["teaching"]),
                models.InventoryAnswer(
                    team_id="T1",
                    member_id=me.id,
                    programme_start=date(2026, 11, 2),
                    tools=["chatgpt"],
                    potential="Angebote schneller schreiben",
                    hours="1to2",
                    champion="maybe",
                ),
                models.RetroResponse(team_id="T1", quarter="2026-Q4", member_id=me.id, needs=UNRELEASED_TEXT, rating=3),
            ]
        )
        for person in people[:5]:
            session.add(
                models.RetroResponse(
                    team_id="T1",
                    quarter="2026-Q3",
                    member_id=person.id,
                    works=f"Gut {person.id}",
                    rating=4,
                    created_at=at(2026, 7, 10),
                )
            )
        session.add(
            models.RetroResponse(
                team_id="T1",
                quarter="2024-Q2",
                member_id=partner.id,
                blocks="Zu wenig Zeit",
                rating=2,
                created_at=at(2024, 6, 10),
            )
        )
        # Scheduled messages, by Slack id: a ritual's reminder to Anna and one to U2, the Bestandsaufnahme to
        # Anna before the bot knew her, a channel post.
        run = models.JobRun(
            job="rituals",
            team_id="T1",
            occurrence="2026-12-01",
            created_at=at(2026, 11, 1),
            finished_at=at(2026, 11, 1),
        )
        # And one before the retention period: a reminder to U2 in 2024.
        old_run = models.JobRun(
            job="rituals", team_id="T1", occurrence="2024-06-03", created_at=at(2024, 6, 3), finished_at=at(2024, 6, 3)
        )
        session.add_all([run, old_run])
        session.flush()
        for recipient in (f"remind:{ANNA}:2026-12-01", "remind:U2:2026-12-01", f"inventory-new:{ANNA}", "channel::x"):
            session.add(models.Delivery(job_run_id=run.id, team_id="T1", recipient=recipient, status="sent"))
        session.add(
            models.Delivery(job_run_id=old_run.id, team_id="T1", recipient="remind:U2:2024-06-03", status="sent")
        )
    return database


def held_checkin(pair_id: int, week: date, note: str, answered_by_id: int | None = None) -> models.BuddyCheckIn:
    """A check-in of the week starting `week`, asked on its Thursday and answered "ja" with `note`."""
    return models.BuddyCheckIn(
        team_id="T1",
        pair_id=pair_id,
        week=week,
        asked_at=datetime.combine(week + timedelta(days=3), time(12), tzinfo=UTC),
        answer=Answer.YES,
        note=note,
        answered_by_id=answered_by_id,
    )


def every_row(uow: UnitOfWork) -> list[dict[str, Any]]:
    return [
        dict(row)
        for table in models.Base.metadata.sorted_tables
        for row in uow.session.execute(select(table)).mappings()
    ]


def test_every_member_reference_has_an_erasure_rule() -> None:
    """A new table (or column) that points at a member fails here until erasure knows what to do with it."""
    found = {(table.name, column.name) for table, column in privacy.member_references()}
    assert found == set(privacy.ERASURE)


def test_the_export_holds_every_row_that_names_the_person(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        data = privacy.export_data(uow, anna(uow), NOW)
        counts = privacy.stored_counts(uow, anna(uow))
    tables = data["tables"]
    for table, _ in privacy.member_references():
        assert tables[table.name], f"the export lacks {table.name}"
    assert data["member"]["slack_user_id"] == ANNA
    assert {tip["text"] for tip in tables["tips"]} == {"Frag nach Beispielen", "Kontext zuerst"}
    assert {case["title"] for case in tables["use_cases"]} == {"Angebot", "Protokoll"}  # owned and adopted
    assert [entry["action"] for entry in tables["audit_log"]] == ["admin_export"]
    assert sorted(d["recipient"] for d in tables["deliveries"]) == [
        f"inventory-new:{ANNA}",
        f"remind:{ANNA}:2026-12-01",
    ]
    assert [checkin["note"] for checkin in tables["buddy_checkins"]] == [SECRET_NOTE]
    assert counts["usage_logs"] == 3 and counts["retro_responses"] == 2
    assert "U2" not in str(tables["usage_logs"])  # only the person's own entries


def test_erasure_leaves_nothing_that_names_the_person_and_keeps_past_kpis(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        october, february = figures(uow, 2026, 10), figures(uow, 2024, 2)
        erased = privacy.erase(uow, anna(uow), NOW, minimum=5)
    assert erased.partners == [("U2", "de")]
    with workspace.unit_of_work("T1") as uow:
        assert figures(uow, 2026, 10) == october
        assert figures(uow, 2024, 2) == february
        everything = str(every_row(uow))
        assert ANNA not in everything
        assert SECRET_NOTE not in everything
        assert UNRELEASED_TEXT not in everything  # a retro answer survives only inside a released aggregate
        assert everything.count("'Gut ") == 5
        session = uow.session
        assert session.scalars(select(models.UseCase.owner_id).where(models.UseCase.slug == "angebot")).one() is None
        assert session.scalars(select(models.Tip.anonymous).order_by(models.Tip.id)).all() == [True, False]
        assert session.scalars(select(models.AuditEntry.actor_user_id)).all() == [privacy.ERASED_ACTOR]
        # The job's run stays (nothing is sent twice to the others), and what went to others.
        assert sorted(session.scalars(select(models.Delivery.recipient))) == [
            "channel::x",
            "remind:U2:2024-06-03",
            "remind:U2:2026-12-01",
        ]
        pair = session.scalars(select(models.BuddyPair).where(models.BuddyPair.started_on == date(2026, 9, 1))).one()
        assert pair.status == "ended"
        placeholder = session.get_one(models.Member, pair.mentee_id)
        assert placeholder.slack_user_id.startswith(models.PLACEHOLDER_PREFIX)
        assert placeholder.deactivated_at == NOW and placeholder.language is None
        for model in (models.Assessment, models.ModuleCompletion, models.BuddyFeedback):
            assert session.scalars(select(model)).all() == []
        assert len(session.scalars(select(models.BuddyEnrollment)).all()) == 1  # the partner's
        # Coming back starts fresh.
        again = ensure_member(uow, ANNA, "de")
        assert privacy.stored_counts(uow, again) == {}


def test_a_department_too_small_to_show_is_not_kept(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        me = anna(uow)
        me.department = "Recht"
        uow.session.add(models.DepartmentMembership(team_id="T1", member_id=me.id, department="Recht", valid_from=NOW))
        uow.session.add(
            models.UsageLog(team_id="T1", member_id=me.id, minutes=15, note="", used_on=TODAY, department="Recht")
        )
        privacy.erase(uow, me, NOW, minimum=5)
    with workspace.unit_of_work("T1") as uow:
        placeholders = uow.session.scalars(
            select(models.Member).where(models.Member.slack_user_id.like(models.PLACEHOLDER_PREFIX + "%"))
        ).all()
        assert [p.department for p in placeholders] == [None]
        # "The only one in Recht" would name her: neither her entries nor her history keep that department.
        assert "Recht" not in str(every_row(uow))


def test_retention_keeps_only_de_identified_totals(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        before = {month: figures(uow, *month) for month in ((2024, 2), (2024, 5), (2024, 11), (2026, 10))}
        removed = privacy.apply_retention(uow, TODAY, BERLIN, 24, 5, NOW)
    # U6's log went with U6; the 2024 reminder's record went, its run stayed.
    assert removed == privacy.Removed(logs=6, notes=1, free_texts=1, members=1, deliveries=1)
    assert privacy.Removed.from_outcome(removed.outcome()) == removed
    with workspace.unit_of_work("T1") as uow:
        assert {month: figures(uow, *month) for month in before} == before
        session = uow.session
        old_logs = session.scalars(select(models.UsageLog).where(models.UsageLog.used_on < date(2024, 11, 1))).all()
        assert len(old_logs) == 7
        for entry in old_logs:
            owner = session.get_one(models.Member, entry.member_id)
            assert owner.slack_user_id.startswith(models.PLACEHOLDER_PREFIX) and entry.note == ""
        recent = session.scalars(select(models.UsageLog).where(models.UsageLog.used_on >= date(2024, 11, 1))).all()
        assert SECRET_NOTE in {entry.note for entry in recent}  # younger entries are untouched
        assert session.scalars(
            select(models.BuddyCheckIn.note).where(models.BuddyCheckIn.week < date(2024, 11, 1))
        ).all() == [None]
        assert (
            session.scalars(select(models.RetroResponse.blocks).where(models.RetroResponse.quarter == "2024-Q2")).one()
            is None
        )
        assert "U6" not in str(every_row(uow))  # left Slack longer ago than the retention period
        assert "remind:U2:2024-06-03" not in str(every_row(uow))
        assert len(session.scalars(select(models.JobRun)).all()) == 2
        # A second run the same day finds nothing more.
        assert privacy.apply_retention(uow, TODAY, BERLIN, 24, 5, NOW) == privacy.Removed()


@pytest.mark.parametrize(
    ("today", "months", "cutoff"),
    [
        (date(2026, 11, 26), 24, date(2024, 11, 1)),
        (date(2026, 1, 1), 1, date(2025, 12, 1)),
        (date(2026, 3, 31), 14, date(2025, 1, 1)),
    ],
)
def test_whole_months_are_removed(today: date, months: int, cutoff: date) -> None:
    assert privacy.retention_cutoff(today, months) == cutoff


def test_deactivation_counts_in_the_running_period_and_in_none_after(workspace: Database) -> None:
    with workspace.unit_of_work("T1") as uow:
        october = figures(uow, 2026, 10)
        assert privacy.deactivate(uow, "U2", NOW)
        assert not privacy.deactivate(uow, "U2", NOW)  # once
        assert not privacy.deactivate(uow, "U0NEVERSEEN", NOW)
    with workspace.unit_of_work("T1") as uow:
        assert figures(uow, 2026, 10) == october
        # U6 left long ago; U2 left today and still counts in November, a period they were part of, and in
        # none after it.
        assert figures(uow, 2026, 11).members == 5
        assert figures(uow, 2026, 12).members == 4


def test_a_split_history_does_not_count_as_more_people(workspace: Database) -> None:
    """Retention splits a person's entries between them and a placeholder: the time logged against a use case
    must not become visible because one person now looks like two."""
    with workspace.unit_of_work("T1") as uow:
        case = uow.session.scalars(select(models.UseCase).where(models.UseCase.slug == "angebot")).one()
        writers = select(models.Member.id).where(models.Member.slack_user_id.in_([ANNA, "U2", "U3", "U4"]))
        for entry in uow.session.scalars(select(models.UsageLog).where(models.UsageLog.member_id.in_(writers))).all():
            if entry.used_on in (date(2024, 2, 5), date(2026, 10, 5)):
                entry.use_case_id = case.id
        shown = {summary.slug: summary.logged_minutes for summary in list_use_cases(uow, anna(uow), 5)}
        assert shown["angebot"] is None  # four people
        privacy.apply_retention(uow, TODAY, BERLIN, 24, 5, NOW)
    with workspace.unit_of_work("T1") as uow:
        shown = {summary.slug: summary.logged_minutes for summary in list_use_cases(uow, anna(uow), 5)}
        assert shown["angebot"] is None


def test_every_kind_of_stored_data_has_a_name_the_person_reads() -> None:
    """`/ki daten` lists what is stored by kind: a table that names a person needs a label in both languages."""
    from bot.i18n import Translator
    from bot.render.privacy import KIND_LABELS, kind_label

    named_otherwise = {"buddy_checkins", "use_cases", "audit_log", "deliveries"}
    kinds = {table.name for table, _ in privacy.member_references()} | named_otherwise
    assert kinds <= set(KIND_LABELS)
    for language in ("de", "en"):
        assert all(kind_label(Translator(language), kind) != kind for kind in kinds)
