"""A pair's group DM, as the buddy jobs post to it: opened with conversations.open the first time and kept."""

from __future__ import annotations

from bot.services import buddies
from jobs.runtime import JobContext


def open_pair_conversation(ctx: JobContext, team_id: str, pair_id: int) -> tuple[str, buddies.PairChat]:
    """The pair's group DM, and who is in it in which language."""
    database = ctx.deps.database
    with database.unit_of_work(team_id) as uow:
        chat = buddies.pair_chat(uow, pair_id)
    if chat.channel is not None:
        return chat.channel, chat
    opened = ctx.client.conversations_open(users=",".join(chat.users))
    channel = str(opened["channel"]["id"])
    with database.unit_of_work(team_id) as uow:
        buddies.remember_pair_channel(uow, pair_id, channel)
    return channel, chat
