"""Recipient keys are stored in `deliveries.recipient`: a key written before must still read the same, and
a key read back must be written byte for byte as it was."""

import pytest

from bot.domain.deliveries import RecipientKey

STORED = [
    ("checkin:12:2026-11-30", RecipientKey("checkin", "12", "2026-11-30")),
    ("feedback:12", RecipientKey("feedback", "12")),
    ("intro:7", RecipientKey("intro", "7")),
    ("waiting:3", RecipientKey("waiting", "3")),
    ("report:2026-11-01", RecipientKey("report", "2026-11-01")),
    ("channel:2026-11-23", RecipientKey("channel", "2026-11-23")),
    ("channel::2026-12-01", RecipientKey("channel", "", "2026-12-01")),
    ("remind:U0ANNA:2026-12-01", RecipientKey("remind", "U0ANNA", "2026-12-01")),
    ("dm:U0ANNA:2026-Q4", RecipientKey("dm", "U0ANNA", "2026-Q4")),
]


@pytest.mark.parametrize(("stored", "key"), STORED)
def test_a_stored_key_reads_and_writes_the_same(stored: str, key: RecipientKey) -> None:
    assert RecipientKey.decode(stored) == key
    assert key.encode() == stored
