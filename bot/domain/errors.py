"""Errors a member can fix themselves. They carry message keys, never text: the handler translates them."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Input that KI-Lotse refuses. Nothing is stored when one is raised.

    `key` names the message in the catalogs; `example` names an optional example line shown below it;
    `field` names the form field the refusal belongs to (bot/domain/fields.py), where a form shows it;
    `params` fill the message's placeholders.
    """

    def __init__(self, key: str, *, example: str | None = None, field: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.example = example
        self.field = field
        self.params = params

    def __repr__(self) -> str:
        return f"UserError({self.key!r}, example={self.example!r}, field={self.field!r}, params={self.params!r})"
