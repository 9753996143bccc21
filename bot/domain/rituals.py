"""The recurring events of the programme."""

from __future__ import annotations

from enum import StrEnum


class RitualKind(StrEnum):
    OFFICE_HOURS = "office_hours"  # the weekly KI-Sprechstunde
    MONTHLY_UPDATE = "monthly_update"  # the monthly AI update, presented by a department
