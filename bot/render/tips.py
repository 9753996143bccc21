"""A tip as posted to the community channel."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render.blocks import Message, context, escape, section
from bot.services.tips import TipDraft


def tip_post(tr: Translator, draft: TipDraft, author_user_id: str, command: str) -> Message:
    heading = tr.t("tip.anonymous_heading") if draft.anonymous else tr.t("tip.heading", user=f"<@{author_user_id}>")
    return Message(
        text=heading,
        blocks=[section(f":bulb: {heading}\n{escape(draft.text)}"), context(tr.t("tip.footer", command=command))],
    )
