"""Writing rows safely when the same request can arrive twice (two first requests at once, a modal
submitted twice)."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.db import UnitOfWork
from bot.models import Assessment, Base, UsageLog, UseCase, stamped_columns

Submitted = TypeVar("Submitted", Assessment, UsageLog, UseCase)
Result = TypeVar("Result")


def insert_ignoring_duplicate(uow: UnitOfWork, model: type[Base], values: dict[str, Any]) -> None:
    """INSERT that does nothing if the row exists: safe when two first requests arrive at once. Creation
    times come from the unit of work's clock."""
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stamps = dict.fromkeys(stamped_columns(model), uow.now())
    uow.session.execute(insert(model).values(**{**stamps, **values}).on_conflict_do_nothing())


def already_submitted(uow: UnitOfWork, model: type[Submitted], source_key: str | None) -> Submitted | None:
    """The row a submission with this key stored before, if any (keys are unique per workspace)."""
    if source_key is None:
        return None
    return uow.session.scalar(select(model).where(model.team_id == uow.team_id, model.source_key == source_key))


def result_of(row: object, result: type[Result], **computed: Any) -> Result:
    """`result` (a plain result object for render, a dataclass) filled from the row's attributes of the same
    names, and from `computed` for what the row does not hold: render gets the values, never the row."""
    names = [field.name for field in dataclasses.fields(result) if field.name not in computed]  # type: ignore[arg-type]
    return result(**{name: getattr(row, name) for name in names}, **computed)
