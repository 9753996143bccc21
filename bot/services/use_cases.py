"""The use-case registry: add, list, change status (with learnings), adopt, reference from logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from bot.db import UnitOfWork
from bot.domain import fields
from bot.domain.errors import UserError
from bot.domain.use_cases import SEED_EXAMPLES, Status, check_learning, check_title, slug_for, title_key
from bot.models import PLACEHOLDER_PREFIX, Member, UsageLog, UseCase, UseCaseAdoption, UseCaseStatusChange
from bot.services.profile import resolve_department
from bot.services.records import already_submitted, insert_ignoring_duplicate, result_of

# Shown in lists and selects; Slack allows 100 options in a select and 50 blocks in a message.
STATUS_ORDER = {Status.ROLLED_OUT: 0, Status.PILOT: 1, Status.IDEA: 2, Status.DISCARDED: 3}


@dataclass(frozen=True)
class UseCaseSummary:
    id: int
    slug: str
    title: str
    department: str | None
    minutes_per_week: int
    status: Status
    learning: str | None
    owner_user_id: str | None
    adopters: int
    # Time logged against it by everyone; None unless at least the minimum group logged against it.
    logged_minutes: int | None
    adopted_by_me: bool


def list_use_cases(uow: UnitOfWork, member: Member, min_group_size: int | None = None) -> list[UseCaseSummary]:
    """All use cases of the workspace: rolled out first, then by adoption. Two grouped queries.

    The time logged against a use case sums people's logs, so it is given only with `min_group_size`
    and only where at least that many people logged against it: below, no figure at all, not even a
    rounded one, so that nobody's entry can be read off from one day to the next."""
    adopters = (
        select(UseCaseAdoption.use_case_id, func.count(UseCaseAdoption.id).label("n"))
        .where(UseCaseAdoption.team_id == uow.team_id)
        .group_by(UseCaseAdoption.use_case_id)
        .subquery()
    )
    logged = (
        select(
            UsageLog.use_case_id,
            func.sum(UsageLog.minutes).label("minutes"),
            # Placeholders are not counted as people: retention splits one person's history across several.
            func.count(
                func.distinct(case((Member.slack_user_id.like(PLACEHOLDER_PREFIX + "%"), None), else_=Member.id))
            ).label("people"),
        )
        .join(Member, Member.id == UsageLog.member_id)
        .where(UsageLog.team_id == uow.team_id, UsageLog.use_case_id.is_not(None))
        .group_by(UsageLog.use_case_id)
        .subquery()
    )
    rows = uow.session.execute(
        select(
            UseCase,
            Member.slack_user_id,
            func.coalesce(adopters.c.n, 0),
            func.coalesce(logged.c.minutes, 0),
            func.coalesce(logged.c.people, 0),
        )
        .outerjoin(Member, Member.id == UseCase.owner_id)
        .outerjoin(adopters, adopters.c.use_case_id == UseCase.id)
        .outerjoin(logged, logged.c.use_case_id == UseCase.id)
        .where(UseCase.team_id == uow.team_id)
    ).all()
    mine = set(
        uow.session.scalars(select(UseCaseAdoption.use_case_id).where(UseCaseAdoption.member_id == member.id)).all()
    )
    summaries = [
        result_of(
            use_case,
            UseCaseSummary,
            owner_user_id=owner,
            adopters=int(count),
            logged_minutes=int(minutes) if min_group_size is not None and people >= min_group_size else None,
            adopted_by_me=use_case.id in mine,
        )
        for use_case, owner, count, minutes, people in rows
    ]
    # Ordered by shown figures only: an order by hidden minutes would give them away.
    return sorted(summaries, key=lambda s: (STATUS_ORDER[s.status], -s.adopters, -(s.logged_minutes or 0), s.title))


def create_use_case(
    uow: UnitOfWork,
    owner: Member,
    departments: tuple[str, ...],
    title: str,
    department: str | None,
    minutes_per_week: int,
    status: Status = Status.IDEA,
    learning: str | None = None,
    source_key: str | None = None,
    now: datetime | None = None,
) -> UseCase:
    """Adds a use case owned by `owner`. A repeated submission (same `source_key`) returns the first."""
    existing = already_submitted(uow, UseCase, source_key)
    if existing is not None:
        return existing
    cleaned = check_title(title)
    learning = check_learning(status, learning)
    department = resolve_department(uow, departments, department) if department else None
    duplicate = uow.session.scalar(
        select(UseCase.slug).where(UseCase.team_id == uow.team_id, UseCase.title_key == title_key(cleaned))
    )
    if duplicate is not None:
        raise UserError("usecase.error.duplicate_title", field=fields.TITLE, title=cleaned, slug=duplicate)
    use_case = uow.add(
        UseCase,
        slug=_free_slug(uow, slug_for(cleaned)),
        title=cleaned,
        title_key=title_key(cleaned),
        department=department,
        minutes_per_week=minutes_per_week,
        status=status,
        learning=learning,
        owner_id=owner.id,
        source_key=source_key,
    )
    _record_status(uow, use_case, owner, now)
    return use_case


def _free_slug(uow: UnitOfWork, base: str) -> str:
    taken = set(
        uow.session.scalars(
            select(UseCase.slug).where(UseCase.team_id == uow.team_id, UseCase.slug.like(f"{base[:36]}%"))
        ).all()
    )
    if base not in taken:
        return base
    return next(f"{base[:36]}-{n}" for n in range(2, 10_000) if f"{base[:36]}-{n}" not in taken)


def _record_status(uow: UnitOfWork, use_case: UseCase, by: Member, now: datetime | None) -> None:
    # Without `now` the row takes the moment it is stored.
    at = {"changed_at": now} if now is not None else {}
    uow.add(
        UseCaseStatusChange,
        use_case_id=use_case.id,
        status=use_case.status,
        learning=use_case.learning,
        changed_by_id=by.id,
        **at,
    )


def get_use_case(uow: UnitOfWork, use_case_id: int) -> UseCase:
    """By id, only within this workspace: ids from a button never reach another workspace's data."""
    use_case = uow.session.scalar(select(UseCase).where(UseCase.team_id == uow.team_id, UseCase.id == use_case_id))
    if use_case is None:
        raise UserError("usecase.error.unknown", word=str(use_case_id))
    return use_case


def find_use_case(uow: UnitOfWork, reference: str) -> UseCase:
    """`#angebot` or `angebot`: the use case with that slug, else the only one whose slug starts so."""
    use_case = match_use_case(uow, reference)
    if use_case is None:
        raise UserError("usecase.error.unknown", example="example.use_case_list", word=_slug_of(reference)[:40])
    return use_case


def match_use_case(uow: UnitOfWork, reference: str) -> UseCase | None:
    """Like `find_use_case`, but None where no use case is called so; a reference to several is refused."""
    slug = _slug_of(reference)
    candidates = uow.session.scalars(
        select(UseCase).where(UseCase.team_id == uow.team_id, UseCase.slug.like(f"{slug}%")).order_by(UseCase.slug)
    ).all()
    exact = [use_case for use_case in candidates if use_case.slug == slug]
    if exact:
        return exact[0]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    raise UserError("usecase.error.ambiguous", word=slug[:40], choices=", ".join(f"#{c.slug}" for c in candidates[:8]))


def _slug_of(reference: str) -> str:
    return reference.strip().lstrip("#").lower()


def change_status(
    uow: UnitOfWork,
    member: Member,
    use_case: UseCase,
    status: Status,
    learning: str | None,
    is_admin: bool,
    now: datetime | None = None,
) -> UseCase:
    if use_case.owner_id != member.id and not is_admin:
        raise UserError("usecase.error.not_allowed", field=fields.STATUS, title=use_case.title)
    use_case.learning = check_learning(status, learning)
    if use_case.status == status and status is not Status.DISCARDED:
        return use_case
    use_case.status = status
    uow.session.flush()
    _record_status(uow, use_case, member, now)
    return use_case


def adopt(uow: UnitOfWork, member: Member, use_case: UseCase) -> None:
    """Idempotent: clicking twice keeps one adoption. A discarded use case is a learning, not something
    to take up."""
    if use_case.status == Status.DISCARDED:
        raise UserError("usecase.error.adopt_discarded", title=use_case.title)
    insert_ignoring_duplicate(
        uow, UseCaseAdoption, {"team_id": uow.team_id, "use_case_id": use_case.id, "member_id": member.id}
    )


def seed_examples(uow: UnitOfWork, admin: Member, departments: tuple[str, ...]) -> list[str]:
    """Loads the starter use cases that do not exist yet; returns the titles added."""
    added = []
    existing = set(uow.session.scalars(select(UseCase.title_key).where(UseCase.team_id == uow.team_id)).all())
    for title, department, minutes in SEED_EXAMPLES:
        if title_key(title) in existing:
            continue
        known = department if department and department.casefold() in {d.casefold() for d in departments} else None
        create_use_case(uow, admin, departments, title, known, minutes, Status.IDEA)
        added.append(title)
    return added


def rolled_out_owned(uow: UnitOfWork, member: Member) -> int:
    return int(
        uow.session.scalar(
            select(func.count(UseCase.id)).where(UseCase.owner_id == member.id, UseCase.status == Status.ROLLED_OUT)
        )
        or 0
    )
