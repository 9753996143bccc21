"""Pieces shared by the buddy jobs: the language and the group DM of a pair."""

from __future__ import annotations

from sqlalchemy import update

from bot.models import BuddyPair, Member
from bot.services import buddies
from jobs.runtime import JobContext


def open_pair_conversation(ctx: JobContext, team_id: str, pair_id: int) -> tuple[str, str, tuple[str, ...], BuddyPair]:
    """The pair's group DM (opened once with conversations.open and kept), its language, and the Slack ids
    of everyone in it (mentor first, then mentee; or the learning partners)."""
    database = ctx.deps.database
    with database.unit_of_work(team_id) as uow:
        pair = buddies.get_pair(uow, pair_id)
        language = buddies.pair_language(uow, pair)
        users = tuple(uow.session.get_one(Member, member_id).slack_user_id for member_id in buddies.members_of(pair))
        channel = pair.channel_id
    if channel is None:
        opened = ctx.client.conversations_open(users=",".join(users))
        channel = str(opened["channel"]["id"])
        with database.unit_of_work(team_id) as uow:
            uow.session.execute(update(BuddyPair).where(BuddyPair.id == pair_id).values(channel_id=channel))
    return channel, language, users, pair
