"""The states of one message of a scheduled job's fan-out."""

from __future__ import annotations

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
