"""When a pair is asked next, as `/ki buddy` says it."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.buddies import next_checkin

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY = 3
TEN = time(10)


def ask(now: datetime, paused_until: tuple[date | None, ...] = (None,), ends_on: date = date(2027, 6, 1)) -> object:
    return next_checkin(now, BERLIN, THURSDAY, TEN, "BY", paused_until, ends_on)


def test_the_next_thursday_at_the_check_in_time() -> None:
    wednesday = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert ask(wednesday) == datetime(2026, 12, 3, 10, 0, tzinfo=BERLIN)
    after_the_question = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    assert ask(after_the_question) == datetime(2026, 12, 10, 10, 0, tzinfo=BERLIN)


def test_holidays_pauses_and_the_end_of_the_programme_are_skipped() -> None:
    before_christmas = datetime(2026, 12, 21, 12, 0, tzinfo=UTC)
    # 24 December is no holiday in Bavaria; paused until then, and 31 December is the next Thursday.
    assert ask(before_christmas, paused_until=(date(2026, 12, 24),)) == datetime(2026, 12, 31, 10, 0, tzinfo=BERLIN)
    assert ask(before_christmas, ends_on=date(2026, 12, 24)) is None
