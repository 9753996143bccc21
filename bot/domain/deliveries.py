"""One message of a scheduled job's fan-out: whom it is for, as its row stores it, and its states."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DeliveryStatus(StrEnum):
    """pending → sending → sent | failed | uncertain | skipped"""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    # Slack answered with an error (after the retries): not delivered.
    FAILED = "failed"
    # No answer from Slack (connection dropped, timed out, the process died mid-send): it may or may not
    # have arrived, and it is never sent again.
    UNCERTAIN = "uncertain"
    # Someone else delivered it already (e.g. an admin's run and the scheduled one).
    SKIPPED = "skipped"


@dataclass(frozen=True)
class RecipientKey:
    """Whom a delivery is for, as its row stores it: `kind:subject`, or `kind:subject:when` (e.g.
    "feedback:12", "checkin:12:2026-11-30", "remind:U0ANNA:2026-12-01"; the subject may be empty, as in
    "channel::2026-12-01"). A key is unique within its run, so it names what is sent as well as to whom."""

    kind: str
    subject: str = ""
    when: str | None = None

    def encode(self) -> str:
        return ":".join((self.kind, self.subject) if self.when is None else (self.kind, self.subject, self.when))

    @classmethod
    def decode(cls, key: str) -> RecipientKey:
        kind, _, rest = key.partition(":")
        subject, separated, when = rest.partition(":")
        return cls(kind, subject, when if separated else None)
