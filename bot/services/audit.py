"""The audit log: what admins took out of the bot (PRODUCT §2.8)."""

from __future__ import annotations

from bot.db import UnitOfWork
from bot.models import AuditEntry


def record(uow: UnitOfWork, actor_user_id: str, action: str, detail: str = "") -> None:
    uow.add(AuditEntry, actor_user_id=actor_user_id, action=action, detail=detail[:200])
