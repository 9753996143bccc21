"""The stored data. Every row belongs to a workspace (`team_id`); nothing is shared across workspaces."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from bot.domain.buddies import Answer, FeedbackChoice, PairKind, PairStatus, Role
from bot.domain.deliveries import DeliveryStatus
from bot.domain.rituals import RitualKind
from bot.domain.use_cases import Status

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware point in time, stored in UTC. SQLite keeps no offset: without this, 16:00 in Berlin would be
    stored as "16:00" and read back as 16:00 UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def stored_enum(enum: type[StrEnum], length: int) -> Enum:
    """A column of one of the fixed values of `enum`, stored as their (English) values in a VARCHAR: not a
    native PostgreSQL ENUM type, so that SQLite and PostgreSQL hold the same and a new value needs no ALTER
    TYPE. A value outside `enum` is refused when written and fails when read."""
    return Enum(
        enum,
        native_enum=False,
        values_callable=lambda members: [member.value for member in members],
        length=length,
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@cache
@cache
def stamped_columns(model: type[Base]) -> tuple[str, ...]:
    """The attributes of `model` that default to the moment the row is written (`created_at` …)."""
    return tuple(
        column.key
        for column in model.__table__.columns
        if isinstance(column.type, UtcDateTime) and column.default is not None
    )


class Workspace(Base):
    """A Slack workspace (team) that installed the bot."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    default_language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # What the workspace's admins set in the setup form, where it differs from the deployment's defaults
    # (bot/services/workspace_settings.py); None: all defaults.
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


# The Slack id of an anonymous placeholder that keeps an erased or expired person's share of the totals
# (see bot/services/privacy.py). Slack ids never contain "-", so nothing can reach a placeholder.
PLACEHOLDER_PREFIX = "erased-"


class Member(Base):
    """A person in a workspace who has used the bot."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id", name="uq_members_team_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    # Chosen with `/ki sprache`; None means "follow Slack's locale, else the workspace default".
    language: Mapped[str | None] = mapped_column(String(8))
    # Cached from users.info so that scheduled jobs know language and local time without asking Slack.
    slack_locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(80))
    # Learning track chosen or recommended; None until the person picks one or takes the self-check.
    track: Mapped[str | None] = mapped_column(String(40))
    career_stage: Mapped[str | None] = mapped_column(String(40))
    # When the privacy notice was shown (first contact); it is shown once.
    privacy_notice_shown_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set when Slack reports the account deleted: no reminders, not counted as a member.
    deactivated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Paused (vacation, `/ki buddy pause 2w`): no reminders and no matching until this day.
    paused_until: Mapped[date | None] = mapped_column(Date)
    # Appears by name in rankings only after opting in (`/ki top optin`).
    ranking_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A new career stage is announced in the community channel only after opting in (`/ki profil`).
    announce_stage: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the person was last invited to repeat the self-check (at most once a quarter).
    reassess_invited_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UsageLog(Base):
    """One "AI saved me time" entry."""

    __tablename__ = "usage_logs"
    __table_args__ = (
        Index("ix_usage_logs_member_day", "member_id", "used_on"),
        Index("ix_usage_logs_team_day", "team_id", "used_on"),
        Index("ix_usage_logs_use_case", "use_case_id"),
        UniqueConstraint("team_id", "source_key", name="uq_usage_logs_team_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    minutes: Mapped[int] = mapped_column(Integer)
    tool: Mapped[str | None] = mapped_column(String(40))
    use_case_id: Mapped[int | None] = mapped_column(ForeignKey("use_cases.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(280), default="")
    # Identifies the submission (e.g. a modal's view id), so that a double submit stores one entry.
    source_key: Mapped[str | None] = mapped_column(String(64))
    # The member's local calendar day the time was saved on.
    used_on: Mapped[date] = mapped_column(Date)
    # The author's department when the entry was made (None: no department). Figures group by this, never by
    # the author's department of today: a later move must not shift past figures, and an entry keeps its
    # department when its author's data is erased and the entry passes to the anonymous placeholder.
    department: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UsageDayTotal(Base):
    """The minutes and the number of one member's usage logs of one day, per department stored on them: what
    the figures of a period sum instead of the logs, so that their cost follows people × days, not the number
    of entries ever made.

    The database keeps these rows in step: triggers on `usage_logs` (migration 0011) add and take away every
    entry as it is inserted, changed, moved to a placeholder or deleted, by whatever statement or cascade. A
    migration that rebuilds `usage_logs` (SQLite's batch mode copies the table) must create them again. A row
    exists exactly while its day has entries, so it goes with its member's logs and needs no foreign key to
    the member; it holds nothing the logs do not, so the export and erasure follow the logs."""

    __tablename__ = "usage_day_totals"
    __table_args__ = (
        # Cover the period figures (departments, authors, minutes) and the weekly series without the table.
        Index("ix_usage_day_totals_team_day", "team_id", "used_on", "department", "member_id", "minutes"),
        Index("ix_usage_day_totals_team_week", "team_id", "week_start", "member_id", "minutes"),
    )

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    used_on: Mapped[date] = mapped_column(Date, primary_key=True)
    # The department stored on the entries, "" for none (part of the key, so never NULL).
    department: Mapped[str] = mapped_column(String(80), primary_key=True)
    # The Monday of `used_on`'s week: a series of weeks is one grouped query.
    week_start: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    entries: Mapped[int] = mapped_column(Integer)


class DepartmentMembership(Base):
    """From `valid_from` on, the member belongs to `department` (None: no department), until their next row.
    Written whenever a department is set, so that a period's members per department are those who were in
    it during the period, whatever they chose later."""

    __tablename__ = "department_memberships"
    __table_args__ = (Index("ix_department_memberships_team_time", "team_id", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    department: Mapped[str | None] = mapped_column(String(80))
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Department(Base):
    """A department an admin added in Slack, beyond those in config/departments.yaml."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("team_id", "name_key", name="uq_departments_team_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UseCase(Base):
    """A way of using AI at work, with the time it is expected to save and where it stands."""

    __tablename__ = "use_cases"
    __table_args__ = (
        UniqueConstraint("team_id", "slug", name="uq_use_cases_team_slug"),
        UniqueConstraint("team_id", "title_key", name="uq_use_cases_team_title"),
        UniqueConstraint("team_id", "source_key", name="uq_use_cases_team_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(80))
    title_key: Mapped[str] = mapped_column(String(80))
    department: Mapped[str | None] = mapped_column(String(80))
    minutes_per_week: Mapped[int] = mapped_column(Integer)
    status: Mapped[Status] = mapped_column(stored_enum(Status, 16))
    learning: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    source_key: Mapped[str | None] = mapped_column(String(64))


class UseCaseStatusChange(Base):
    """The history of a use case's status, for the weekly post and the innovation rate."""

    __tablename__ = "use_case_status_changes"
    __table_args__ = (Index("ix_use_case_status_changes_team_time", "team_id", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_cases.id", ondelete="CASCADE"))
    status: Mapped[Status] = mapped_column(stored_enum(Status, 16))
    learning: Mapped[str | None] = mapped_column(String(200))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UseCaseAdoption(Base):
    """ "Nutze ich auch": a person uses this use case too."""

    __tablename__ = "use_case_adoptions"
    __table_args__ = (UniqueConstraint("use_case_id", "member_id", name="uq_use_case_adoptions_case_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_cases.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Tip(Base):
    """A tip shared to the community channel. The author is kept even for anonymous tips, visible only
    to the author (own numbers, career stage, data export)."""

    __tablename__ = "tips"
    __table_args__ = (Index("ix_tips_team_time", "team_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(80))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Assessment(Base):
    """One completed maturity self-check; the history is kept."""

    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_member_time", "member_id", "created_at"),
        UniqueConstraint("team_id", "source_key", name="uq_assessments_team_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    levels: Mapped[dict[str, int]] = mapped_column(JSON)
    overall_level: Mapped[int] = mapped_column(Integer)
    recommended_track: Mapped[str] = mapped_column(String(40))
    # The person's department when they took the check: the maturity distribution groups by it.
    department: Mapped[str | None] = mapped_column(String(80))
    source_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ModuleCompletion(Base):
    """A learning module a person marked done."""

    __tablename__ = "module_completions"
    __table_args__ = (UniqueConstraint("member_id", "module_key", name="uq_module_completions_member_module"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(60))
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class CoachUsage(Base):
    """How often a person used the prompt coach on a day: `requests` sent to the model (the daily limit counts
    them), `improved` answered (the learning path counts them). Prompts and answers are never stored."""

    __tablename__ = "coach_usage"
    __table_args__ = (UniqueConstraint("member_id", "day", name="uq_coach_usage_member_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    improved: Mapped[int] = mapped_column(Integer, default=0)


class CoachVerdict(Base):
    """ "Hat geholfen" / "Nicht hilfreich" on one coach answer, anonymous: the answer's random token (so that
    it is judged once), the month, and the verdict; no person."""

    __tablename__ = "coach_verdicts"
    __table_args__ = (UniqueConstraint("team_id", "answer_token", name="uq_coach_verdicts_answer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    answer_token: Mapped[str] = mapped_column(String(32))
    month: Mapped[date] = mapped_column(Date)
    helpful: Mapped[bool] = mapped_column(Boolean)


class JobRun(Base):
    """One occurrence of a scheduled job in one workspace, claimed before anything is done, so that two
    schedulers or a restart never run it twice."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "team_id", "occurrence", name="uq_job_runs_occurrence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(40))
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Why nothing was sent (e.g. a public holiday), for the admins' schedule view.
    outcome: Mapped[str | None] = mapped_column(String(80))


class Delivery(Base):
    """One message of a job's fan-out: written for every recipient before the first is sent."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("job_run_id", "recipient", name="uq_deliveries_run_recipient"),
        Index("ix_deliveries_run_status", "job_run_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_run_id: Mapped[int] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"))
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(80))
    status: Mapped[DeliveryStatus] = mapped_column(stored_enum(DeliveryStatus, 16), default=DeliveryStatus.PENDING)
    error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class BuddyEnrollment(Base):
    """Someone who opted in to the buddy programme, as mentee or mentor."""

    __tablename__ = "buddy_enrollments"
    __table_args__ = (UniqueConstraint("member_id", name="uq_buddy_enrollments_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(stored_enum(Role, 10))
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # A mentee without a free mentor waits; told once when they start waiting.
    waiting_told_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The scheduled matching round at which the mentee first stayed without a mentor; from the next round
    # on they may get learning partners while they keep waiting for a mentor.
    waiting_since_round: Mapped[date | None] = mapped_column(Date)


class BuddyPair(Base):
    """A mentor and a mentee for a programme of (by default) 12 weeks, or (kind "peer") two or three
    mentees who learn together while they wait for a mentor: then `mentor_id`, `mentee_id` and `third_id`
    are simply the learning partners. Pairs are kept after they end: the same people are never matched
    again."""

    __tablename__ = "buddy_pairs"
    __table_args__ = (
        Index("ix_buddy_pairs_team_status", "team_id", "status"),
        Index("ix_buddy_pairs_people", "mentor_id", "mentee_id"),
        # A mentee has at most one running mentor (learning partners are apart).
        Index(
            "uq_buddy_pairs_active_mentee",
            "team_id",
            "mentee_id",
            unique=True,
            postgresql_where=text("status = 'active' AND kind = 'mentor'"),
            sqlite_where=text("status = 'active' AND kind = 'mentor'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    third_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[PairKind] = mapped_column(
        stored_enum(PairKind, 10), default=PairKind.MENTOR, server_default=PairKind.MENTOR.value
    )
    status: Mapped[PairStatus] = mapped_column(stored_enum(PairStatus, 10), default=PairStatus.ACTIVE)
    started_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # The group DM of both and the bot, once the intro was sent.
    channel_id: Mapped[str | None] = mapped_column(String(32))
    paused_until: Mapped[date | None] = mapped_column(Date)
    feedback_asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class BuddyCheckIn(Base):
    """The weekly question to a pair and its answer; one per pair and week."""

    __tablename__ = "buddy_checkins"
    __table_args__ = (UniqueConstraint("pair_id", "week", name="uq_buddy_checkins_pair_week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    pair_id: Mapped[int] = mapped_column(ForeignKey("buddy_pairs.id", ondelete="CASCADE"))
    # Monday of the check-in's week.
    week: Mapped[date] = mapped_column(Date)
    asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answer: Mapped[Answer | None] = mapped_column(stored_enum(Answer, 10))
    note: Mapped[str | None] = mapped_column(String(280))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class BuddyFeedback(Base):
    """What each of a pair said at the end of the programme."""

    __tablename__ = "buddy_feedback"
    __table_args__ = (UniqueConstraint("pair_id", "member_id", name="uq_buddy_feedback_pair_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    pair_id: Mapped[int] = mapped_column(ForeignKey("buddy_pairs.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    decision: Mapped[FeedbackChoice] = mapped_column(stored_enum(FeedbackChoice, 10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class BuddyRating(Base):
    """What one person thought of a programme that ended: 1-5 and an optional line. Reports show only
    aggregates of enough people."""

    __tablename__ = "buddy_ratings"
    __table_args__ = (
        UniqueConstraint("pair_id", "member_id", name="uq_buddy_ratings_pair_member"),
        Index("ix_buddy_ratings_team_time", "team_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    pair_id: Mapped[int] = mapped_column(ForeignKey("buddy_pairs.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(280))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class AuditEntry(Base):
    """What admins took out of the bot (reports, exports): who, what, when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_team_time", "team_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    actor_user_id: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Programme(Base):
    """The workspace's 90-day roadmap: its day 1 (bot/domain/roadmap.py)."""

    __tablename__ = "programmes"

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RoadmapTick(Base):
    """A point of the roadmap's checklist an admin ticked by hand, with an optional note (no person)."""

    __tablename__ = "roadmap_ticks"
    __table_args__ = (UniqueConstraint("team_id", "item", name="uq_roadmap_ticks_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(40))
    done_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")


class InventoryAnswer(Base):
    """A person's answer to the roadmap's Bestandsaufnahme (one per programme): the AI tools they use, where
    they see potential (free text), how much time they would invest, whether they could be a champion. Shown
    to admins only in aggregate, the texts without names."""

    __tablename__ = "inventory_answers"
    __table_args__ = (UniqueConstraint("member_id", "programme_start", name="uq_inventory_answers_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    programme_start: Mapped[date] = mapped_column(Date)
    tools: Mapped[list[str]] = mapped_column(JSON)
    potential: Mapped[str | None] = mapped_column(Text)
    hours: Mapped[str] = mapped_column(String(8))
    champion: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class TalentProfile(Base):
    """A person's entry in the talent matrix, only while they opted in: the new roles they are interested in,
    their strengths, and a role an admin assigned them (shown on their App Home)."""

    __tablename__ = "talent_profiles"
    __table_args__ = (UniqueConstraint("member_id", name="uq_talent_profiles_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    roles: Mapped[list[str]] = mapped_column(JSON)
    strengths: Mapped[list[str]] = mapped_column(JSON)
    assigned_role: Mapped[str | None] = mapped_column(String(40))
    assigned_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PilotCard(Base):
    """A pilot project's card (a use case in status pilot): its team of at most five, goal, metric, baseline and
    deadline; when its owner was reminded a week before the deadline."""

    __tablename__ = "pilot_cards"
    __table_args__ = (UniqueConstraint("use_case_id", name="uq_pilot_cards_use_case"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_cases.id", ondelete="CASCADE"))
    # Slack ids of the pilot team (at most five); an erased person is taken out.
    members: Mapped[list[str]] = mapped_column(JSON)
    goal: Mapped[str] = mapped_column(String(300))
    metric: Mapped[str] = mapped_column(String(200))
    baseline: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[date] = mapped_column(Date)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RitualEvent(Base):
    """One weekly KI-Sprechstunde or monthly AI update: when, topic, presenting department, its post."""

    __tablename__ = "ritual_events"
    __table_args__ = (UniqueConstraint("team_id", "kind", "starts_at", name="uq_ritual_events_occurrence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    kind: Mapped[RitualKind] = mapped_column(stored_enum(RitualKind, 20))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    minutes: Mapped[int] = mapped_column(Integer, default=30)
    topic: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(80))
    channel: Mapped[str | None] = mapped_column(String(80))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(String(300))
    summary_link: Mapped[str | None] = mapped_column(String(300))
    # Who was told to present when the notice went out: only they may post the summary, whatever
    # department someone chooses later.
    presenter_user_ids: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Rsvp(Base):
    """ "Ich bin dabei" for an event; clicking again takes it back."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("event_id", "member_id", name="uq_rsvps_event_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("ritual_events.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RetroResponse(Base):
    """One person's answer to a quarterly retrospective; shown to admins only aggregated, without names."""

    __tablename__ = "retro_responses"
    __table_args__ = (UniqueConstraint("team_id", "quarter", "member_id", name="uq_retro_responses_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    quarter: Mapped[str] = mapped_column(String(8))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    works: Mapped[str | None] = mapped_column(String(500))
    blocks: Mapped[str | None] = mapped_column(String(500))
    needs: Mapped[str | None] = mapped_column(String(500))
    rating: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RetroSummary(Base):
    """A quarter's retrospective as admins see it, computed once after the survey closed and never again:
    a later answer, a correction or an erased person cannot change what was shown."""

    __tablename__ = "retro_summaries"
    __table_args__ = (UniqueConstraint("team_id", "quarter", name="uq_retro_summaries_quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    quarter: Mapped[str] = mapped_column(String(8))
    responses: Mapped[int] = mapped_column(Integer)
    # None when fewer than the minimum group answered: then nothing but the count is ever shown.
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class HandledRequest(Base):
    """A Slack request already handled, by its trigger id or event id: a signed request replayed, or an event
    Slack delivers again, is acknowledged without doing the work twice. Old rows are pruned."""

    __tablename__ = "handled_requests"
    __table_args__ = (
        UniqueConstraint("request_key", name="uq_handled_requests_request_key"),
        Index("ix_handled_requests_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
