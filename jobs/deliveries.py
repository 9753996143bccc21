"""Pieces shared by the buddy jobs: the language and the group DM of a pair."""

from __future__ import annotations

from sqlalchemy import update

from bot.db import UnitOfWork
from bot.models import BuddyPair, Member
from bot.services import buddies
from bot.services.members import language_of, workspace_of
from jobs.runtime import JobContext


def pair_language(uow: UnitOfWork, mentor: Member, mentee: Member) -> str:
    """Both read the pair's messages: their common language, else the workspace default."""
    mentor_language, mentee_language = language_of(uow, mentor), language_of(uow, mentee)
    return mentor_language if mentor_language == mentee_language else workspace_of(uow).default_language


def open_pair_conversation(ctx: JobContext, team_id: str, pair_id: int) -> tuple[str, str, tuple[str, str], BuddyPair]:
    """The pair's group DM (opened once with conversations.open and kept), its language, and the Slack ids
    of mentor and mentee."""
    database = ctx.deps.database
    with database.unit_of_work(team_id) as uow:
        pair = buddies.get_pair(uow, pair_id)
        mentor, mentee = uow.session.get_one(Member, pair.mentor_id), uow.session.get_one(Member, pair.mentee_id)
        language = pair_language(uow, mentor, mentee)
        users = (mentor.slack_user_id, mentee.slack_user_id)
        channel = pair.channel_id
    if channel is None:
        opened = ctx.client.conversations_open(users=",".join(users))
        channel = str(opened["channel"]["id"])
        with database.unit_of_work(team_id) as uow:
            uow.session.execute(update(BuddyPair).where(BuddyPair.id == pair_id).values(channel_id=channel))
    return channel, language, users, pair
