"""Tips shared with the community channel; each counts as knowledge sharing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from bot.db import UnitOfWork
from bot.domain.errors import UserError
from bot.domain.privacy import check_no_personal_data, clean_text
from bot.models import Member, Tip

MAX_TIP_LENGTH = 1500
ANONYMOUS_WORDS = {"anonym", "anonymous", "anon"}


@dataclass(frozen=True)
class TipDraft:
    text: str
    anonymous: bool


def parse_tip(args: str) -> TipDraft:
    """`/ki tip [anonym] <text>`."""
    args = clean_text(args)
    first, _, rest = args.strip().partition(" ")
    anonymous = first.lower() in ANONYMOUS_WORDS
    return check_tip((rest if anonymous else args).strip(), anonymous)


def check_tip(text: str, anonymous: bool, field: str | None = None) -> TipDraft:
    """A tip as typed (in `/ki tip` or the tip form's `field`): not empty, not too long, no personal data."""
    if not text:
        raise UserError("tip.error.empty", example="example.tip", field=field)
    if len(text) > MAX_TIP_LENGTH:
        raise UserError("tip.error.too_long", example="example.tip", max=MAX_TIP_LENGTH, length=len(text), field=field)
    check_no_personal_data(text, field)
    return TipDraft(text, anonymous)


def record_tip(uow: UnitOfWork, member: Member, draft: TipDraft, channel: str, message_ts: str | None = None) -> Tip:
    """Stored (and given its id) before it is posted; `note_post` adds where it was posted, `withdraw_tip`
    takes it back."""
    return uow.add(
        Tip, member_id=member.id, text=draft.text, anonymous=draft.anonymous, channel=channel, message_ts=message_ts
    )


@dataclass(frozen=True)
class PostedTip:
    """A tip as it stands in the channel, for the weekly post to feature."""

    id: int
    text: str
    anonymous: bool
    author_user_id: str
    channel: str
    message_ts: str


# The weekly post asks Slack for the reactions of at most this many of the week's tips (one call each).
MAX_TIPS_WEIGHED = 50


def posted_between(uow: UnitOfWork, begin: datetime, until: datetime) -> list[PostedTip]:
    """Tips that reached the channel in [begin, until), newest first, at most MAX_TIPS_WEIGHED."""
    rows = uow.session.execute(
        select(Tip, Member.slack_user_id)
        .join(Member, Member.id == Tip.member_id)
        .where(Tip.team_id == uow.team_id, Tip.created_at >= begin, Tip.created_at < until, Tip.message_ts.is_not(None))
        .order_by(Tip.created_at.desc(), Tip.id.desc())
        .limit(MAX_TIPS_WEIGHED)
    ).all()
    return [PostedTip(t.id, t.text, t.anonymous, user, t.channel, t.message_ts or "") for t, user in rows]


def most_helpful(tips: list[PostedTip], reactions: dict[int, int]) -> PostedTip | None:
    """The tip the community reacted to most (the earlier one on a tie); None when nobody reacted at all."""
    best = max(reversed(tips), key=lambda tip: reactions.get(tip.id, 0), default=None)
    return best if best is not None and reactions.get(best.id, 0) > 0 else None


def tips_shared(uow: UnitOfWork, member: Member) -> int:
    return int(uow.session.scalar(select(func.count(Tip.id)).where(Tip.member_id == member.id)) or 0)


def note_post(uow: UnitOfWork, tip_id: int, channel: str, message_ts: str | None) -> None:
    values = {"channel": channel, "message_ts": message_ts} if channel else {"message_ts": message_ts}
    uow.session.execute(update(Tip).where(Tip.team_id == uow.team_id, Tip.id == tip_id).values(**values))


def withdraw_tip(uow: UnitOfWork, tip_id: int) -> None:
    """A tip that could not be posted does not count as shared."""
    uow.session.execute(delete(Tip).where(Tip.team_id == uow.team_id, Tip.id == tip_id))
