"""Profile, use cases, tips, self-check, learning path and career stage on a real database
(each test runs on SQLite and on PostgreSQL)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.catalogs import Catalogs, load_catalogs
from bot.db import Database, UnitOfWork
from bot.domain.errors import UserError
from bot.domain.usage import UsageEntry
from bot.domain.use_cases import Status
from bot.models import Assessment, Member, ModuleCompletion, Tip, UsageLog, UseCaseAdoption, UseCaseStatusChange
from bot.services import learning, maturity, profile, tips, use_cases
from bot.services.members import SlackProfile, ensure_member
from bot.services.usage import log_usage

CATALOGS: Catalogs = load_catalogs()
DEPARTMENTS = CATALOGS.departments
TODAY = date(2026, 11, 26)
LEVEL_2 = {"tools": 2, "breadth": 2, "autonomy": 2, "innovation": 2, "sharing": 2}


def member_of(uow: UnitOfWork, user: str) -> Member:
    return ensure_member(uow, user, "de")


def count(uow: UnitOfWork, model: type) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


# -- profile ------------------------------------------------------------------------------------------


def test_departments_from_config_and_admins(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        member = member_of(uow, "U1")
        assert profile.add_department(uow, DEPARTMENTS, "  Qualitäts   sicherung ") == "Qualitäts sicherung"
        with pytest.raises(UserError, match="department_exists"):
            profile.add_department(uow, DEPARTMENTS, "vertrieb")
        with pytest.raises(UserError, match="department_exists"):
            profile.add_department(uow, DEPARTMENTS, "QUALITÄTS SICHERUNG")
        profile.set_department(uow, member, DEPARTMENTS, "qualitäts sicherung")
        assert member.department == "Qualitäts sicherung"
        with pytest.raises(UserError) as raised:
            profile.set_department(uow, member, DEPARTMENTS, "Raumfahrt")
        assert raised.value.key == "profile.error.unknown_department"
        assert "Vertrieb" in raised.value.params["choices"]
        profile.set_department(uow, member, DEPARTMENTS, None)
        assert member.department is None
    with database.unit_of_work("T2") as uow:  # another workspace has only the configured ones
        member_of(uow, "U1")
        assert "Qualitäts sicherung" not in profile.department_choices(uow, DEPARTMENTS)


def test_deleted_slack_user_is_deactivated(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        member = ensure_member(uow, "U1", "de", SlackProfile(locale="de-DE", timezone=None, deleted=True))
        assert member.deactivated_at is not None


# -- use cases ----------------------------------------------------------------------------------------


def test_use_case_rules(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        owner, other, admin = member_of(uow, "U1"), member_of(uow, "U2"), member_of(uow, "U3")
        created = use_cases.create_use_case(uow, owner, DEPARTMENTS, "Angebotserstellung", "vertrieb", 360)
        assert (created.slug, created.department, created.status) == ("angebotserstellung", "Vertrieb", Status.IDEA)
        with pytest.raises(UserError, match="duplicate_title"):
            use_cases.create_use_case(uow, other, DEPARTMENTS, "  angebotserstellung ", None, 60)
        with pytest.raises(UserError, match="unknown_department"):
            use_cases.create_use_case(uow, other, DEPARTMENTS, "Raketenbau", "Raumfahrt", 60)
        second = use_cases.create_use_case(uow, other, DEPARTMENTS, "Angebotserstellung!", None, 60)
        assert second.slug == "angebotserstellung-2"  # same slug base, different title
        with pytest.raises(UserError, match="not_allowed"):
            use_cases.change_status(uow, other, created, Status.PILOT, None, is_admin=False)
        use_cases.change_status(uow, owner, created, Status.PILOT, None, is_admin=False)
        with pytest.raises(UserError, match="learning_missing"):
            use_cases.change_status(uow, admin, created, Status.DISCARDED, "", is_admin=True)
        use_cases.change_status(uow, admin, created, Status.DISCARDED, "Kunden wollen Persönliches", is_admin=True)
        assert (created.status, created.learning) == (Status.DISCARDED, "Kunden wollen Persönliches")
        history = uow.session.scalars(
            select(UseCaseStatusChange.status)
            .where(UseCaseStatusChange.use_case_id == created.id)
            .order_by(UseCaseStatusChange.id)
        ).all()
        assert history == [Status.IDEA, Status.PILOT, Status.DISCARDED]


def test_adoption_is_counted_once_and_list_shows_quality(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        owner, fan = member_of(uow, "U1"), member_of(uow, "U2")
        case = use_cases.create_use_case(uow, owner, DEPARTMENTS, "Dokumentation", None, 180)
        use_cases.adopt(uow, fan, case)
        use_cases.adopt(uow, fan, case)
        entry = UsageEntry(minutes=40, tool="chatgpt", use_case_slug=None, note="")
        log_usage(uow, fan, entry, used_on=TODAY, today=TODAY, use_case=case)
        log_usage(uow, owner, entry, used_on=TODAY, today=TODAY, use_case=case)
        assert count(uow, UseCaseAdoption) == 1
        listed = use_cases.list_use_cases(uow, fan, min_group_size=2)
        assert [(u.title, u.adopters, u.logged_minutes, u.adopted_by_me) for u in listed] == [
            ("Dokumentation", 1, 80, True)
        ]
        assert use_cases.list_use_cases(uow, owner, min_group_size=2)[0].adopted_by_me is False
        # Two people logged: below a minimum group of three, and without one, no figure at all.
        assert use_cases.list_use_cases(uow, fan, min_group_size=3)[0].logged_minutes is None
        assert use_cases.list_use_cases(uow, fan)[0].logged_minutes is None


def test_references_by_slug_prefix(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        owner = member_of(uow, "U1")
        for title in ("Angebotserstellung", "Dokumentation", "Doku-Review"):
            use_cases.create_use_case(uow, owner, DEPARTMENTS, title, None, 60)
        assert use_cases.find_use_case(uow, "#angebot").title == "Angebotserstellung"
        assert use_cases.find_use_case(uow, "dokumentation").title == "Dokumentation"
        with pytest.raises(UserError) as raised:
            use_cases.find_use_case(uow, "#doku")
        assert raised.value.key == "usecase.error.ambiguous"
        with pytest.raises(UserError, match="unknown"):
            use_cases.find_use_case(uow, "#zauberei")


def test_another_workspace_never_reaches_a_use_case(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        case_id = use_cases.create_use_case(uow, member_of(uow, "U1"), DEPARTMENTS, "Geheim", None, 60).id
    with database.unit_of_work("T2") as uow:
        with pytest.raises(UserError, match="unknown"):
            use_cases.get_use_case(uow, case_id)
        with pytest.raises(UserError, match="unknown"):
            use_cases.find_use_case(uow, "geheim")
        assert use_cases.list_use_cases(uow, member_of(uow, "U1")) == []


def test_seed_examples_once_and_repeated_submission_once(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        admin = member_of(uow, "U1")
        assert use_cases.seed_examples(uow, admin, DEPARTMENTS) == [
            "Angebotserstellung",
            "Kundenkommunikation",
            "Dokumentation",
        ]
        assert use_cases.seed_examples(uow, admin, DEPARTMENTS) == []
        estimates = {u.title: u.minutes_per_week for u in use_cases.list_use_cases(uow, admin)}
        assert estimates == {"Angebotserstellung": 360, "Kundenkommunikation": 240, "Dokumentation": 180}
        first = use_cases.create_use_case(uow, admin, DEPARTMENTS, "Neu", None, 60, source_key="view:V1")
        again = use_cases.create_use_case(uow, admin, DEPARTMENTS, "Neu", None, 60, source_key="view:V1")
        assert first.id == again.id


# -- tips ---------------------------------------------------------------------------------------------


def test_tip_rules(database: Database) -> None:
    assert tips.parse_tip("anonym Erst Rückfragen stellen lassen") == tips.TipDraft(
        "Erst Rückfragen stellen lassen", True
    )
    assert tips.parse_tip("Erst Rückfragen stellen lassen").anonymous is False
    for text, key in (
        ("", "tip.error.empty"),
        ("anonym   ", "tip.error.empty"),
        ("x" * 1501, "tip.error.too_long"),
        ("Schreib an ki@firma.de", "privacy.error.email"),
    ):
        with pytest.raises(UserError) as raised:
            tips.parse_tip(text)
        assert raised.value.key == key
    with database.unit_of_work("T1") as uow:
        member = member_of(uow, "U1")
        tips.record_tip(uow, member, tips.parse_tip("anonym Guter Tipp"), "C1", "1.2")
        assert tips.tips_shared(uow, member) == 1
        assert uow.session.scalar(select(Tip.anonymous)) is True


# -- self-check ---------------------------------------------------------------------------------------


def test_self_check_history_change_and_track(database: Database) -> None:
    matrix = CATALOGS.maturity
    with database.unit_of_work("T1") as uow:
        member = member_of(uow, "U1")
        with pytest.raises(UserError, match="incomplete"):
            maturity.record_assessment(uow, member, matrix, {"tools": 1}, "view:A")
        assert count(uow, Assessment) == 0
        first = maturity.record_assessment(uow, member, matrix, dict.fromkeys(LEVEL_2, 1), "view:A")
        assert (first.score.overall, first.previous, member.track) == (1, None, "basis")
        repeated = maturity.record_assessment(uow, member, matrix, dict.fromkeys(LEVEL_2, 1), "view:A")
        assert repeated.assessment.id == first.assessment.id
        second = maturity.record_assessment(uow, member, matrix, LEVEL_2, "view:B")
        assert second.previous is not None and second.previous.id == first.assessment.id
        assert second.assessment.levels == LEVEL_2
        assert member.track == "basis"  # a chosen or earlier track is kept; the result recommends "power"
        assert second.score.track == "power"
        assert count(uow, Assessment) == 2


# -- learning path and career stage ------------------------------------------------------------------


def test_path_progress_and_completion(database: Database) -> None:
    curriculum = CATALOGS.curriculum
    with database.unit_of_work("T1") as uow:
        member = member_of(uow, "U1")
        assert learning.path_progress(uow, member, curriculum).track is None
        with pytest.raises(UserError, match="unknown_track"):
            profile.set_track(member, curriculum, "raketen")
        profile.set_track(member, curriculum, "power")
        progress = learning.path_progress(uow, member, curriculum)
        assert (progress.completed, progress.total, progress.next_module.key) == (0, 3, "prompting-erweitert")
        learning.complete_module(uow, member, curriculum, "prompting-erweitert")
        learning.complete_module(uow, member, curriculum, "prompting-erweitert")
        assert count(uow, ModuleCompletion) == 1
        with pytest.raises(UserError, match="unknown_module"):
            learning.complete_module(uow, member, curriculum, "grundlagen")  # another track's module
        assert learning.path_progress(uow, member, curriculum).next_module.key == "tool-integration"


def test_career_stage_is_congratulated_once(database: Database) -> None:
    curriculum = CATALOGS.curriculum
    with database.unit_of_work("T1") as uow:
        member = member_of(uow, "U1")
        assert learning.update_career_stage(uow, member, curriculum) is None
        assert member.career_stage == "anwender"
        maturity.record_assessment(uow, member, CATALOGS.maturity, LEVEL_2, None)
        profile.set_track(member, curriculum, "power")
        for module in curriculum.track("power").modules:
            learning.complete_module(uow, member, curriculum, module.key)
        for n in range(2):
            tips.record_tip(uow, member, tips.TipDraft(f"Tipp {n}", False), "C1", None)
        assert learning.update_career_stage(uow, member, curriculum) is None
        tips.record_tip(uow, member, tips.TipDraft("Tipp 3", False), "C1", None)
        promoted = learning.update_career_stage(uow, member, curriculum)
        assert promoted is not None and promoted.key == "spezialist"
        assert learning.update_career_stage(uow, member, curriculum) is None
        assert member.career_stage == "spezialist"


def test_removing_a_member_removes_their_rows(database: Database) -> None:
    """Every personal row hangs off the member (ON DELETE CASCADE), on both databases."""
    with database.unit_of_work("T1") as uow:
        member = member_of(uow, "U1")
        log_usage(uow, member, UsageEntry(10, None, None, ""), used_on=TODAY, today=TODAY)
        tips.record_tip(uow, member, tips.TipDraft("Tipp", False), "C1", None)
        maturity.record_assessment(uow, member, CATALOGS.maturity, LEVEL_2, None)
    with database.unit_of_work("T1") as uow:
        uow.session.delete(member_of(uow, "U1"))
    with database.unit_of_work("T1") as uow:
        assert [count(uow, m) for m in (UsageLog, Tip, Assessment)] == [0, 0, 0]


def test_an_active_mentee_counts_for_the_second_stage(database: Database) -> None:
    from bot.models import BuddyPair

    curriculum = CATALOGS.curriculum
    with database.unit_of_work("T1") as uow:
        mentor, mentee = member_of(uow, "U1"), member_of(uow, "U2")
        maturity.record_assessment(uow, mentor, CATALOGS.maturity, LEVEL_2, None)
        profile.set_track(mentor, curriculum, "power")
        for module in curriculum.track("power").modules:
            learning.complete_module(uow, mentor, curriculum, module.key)
        assert learning.update_career_stage(uow, mentor, curriculum) is None
        uow.session.add(
            BuddyPair(
                team_id="T1", mentor_id=mentor.id, mentee_id=mentee.id, status="active", started_on=TODAY, ends_on=TODAY
            )
        )
        promoted = learning.update_career_stage(uow, mentor, curriculum)
        assert promoted is not None and promoted.key == "spezialist"
