"""Rows are stamped by the application's clock, not the machine's: a test or the console's `:now` that
moves "now" moves what is stored with it."""

from datetime import UTC, datetime

from sqlalchemy import select

from bot.catalogs import load_catalogs
from bot.db import Database
from bot.deps import Deps
from bot.models import Member, Tip
from bot.services.members import SlackProfile, ensure_member
from bot.services.tips import TipDraft, record_tip
from tests.conftest import TEAM, make_settings

FAKED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_new_rows_and_deactivation_take_the_injected_clock(database: Database) -> None:
    deps = Deps(settings=make_settings(), database=database, catalogs=load_catalogs(), clock=lambda: FAKED)
    with deps.database.unit_of_work(TEAM) as uow:
        member = ensure_member(uow, "U0ANNA", "de")  # an INSERT … ON CONFLICT DO NOTHING
        record_tip(uow, member, TipDraft("Erst Stichpunkte, dann ausformulieren", anonymous=False), "#ki", None)
    later = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    deps.clock = lambda: later  # as the console's `:now` does
    with deps.database.unit_of_work(TEAM) as uow:
        ensure_member(uow, "U0ANNA", "de", SlackProfile(locale=None, timezone=None, deleted=True))
    with deps.database.unit_of_work(TEAM) as uow:
        member = uow.session.scalars(select(Member)).one()
        assert member.created_at == FAKED
        assert member.deactivated_at == later
        assert uow.session.scalars(select(Tip.created_at)).one() == FAKED
