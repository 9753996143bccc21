"""Slack glue only: each module registers the listeners of one Slack surface (commands, actions, views,
events, shortcuts). A listener parses the payload and hands its work (service calls, then rendering) to
`take_turn` (handlers/context.py), which runs it in the member's unit of work and answers as its surface does
(handlers/surfaces.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from handlers import actions, commands, events, shortcuts, views

if TYPE_CHECKING:
    from bot.deps import Deps


def register_all(app: App, deps: Deps) -> None:
    for surface in (commands, actions, views, events, shortcuts):
        surface.register(app, deps)
