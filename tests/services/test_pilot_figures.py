"""Time logged against a pilot's use case counts people, never a person's retention placeholder as a second one."""

from __future__ import annotations

from datetime import date

from bot.db import Database
from bot.domain.usage import UsageEntry
from bot.models import PLACEHOLDER_PREFIX, UseCase
from bot.services.members import ensure_member
from bot.services.pilots import logged_against
from bot.services.usage import log_usage

TODAY = date(2026, 11, 26)


def test_a_placeholder_is_no_second_person(database: Database) -> None:
    with database.unit_of_work("T1") as uow:
        anna = ensure_member(uow, "U1", "de")
        # What retention leaves of Anna's older entries: a placeholder member holding them.
        placeholder = ensure_member(uow, f"{PLACEHOLDER_PREFIX}1", "de")
        use_case = uow.add(
            UseCase,
            slug="angebot",
            title="Angebote",
            title_key="angebote",
            status="pilot",
            minutes_per_week=0,
            owner_id=anna.id,
        )
        for member in (anna, placeholder):
            log_usage(uow, member, UsageEntry(30, None, None, ""), TODAY, TODAY, use_case=use_case)
        assert logged_against(uow, use_case.id, TODAY) == (60, 1)
        assert logged_against(uow, use_case.id, date(2026, 11, 27)) == (0, 0)
