"""A tip as posted to the community channel, and the form that shares one (the prompt coach's "Als Tipp teilen")."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator
from bot.render import ids
from bot.render.blocks import Message, context, escape, input_block, modal, option, radio_buttons, section, text_input
from bot.services.tips import MAX_TIP_LENGTH, TipDraft

SHARE_WITH_NAME = "named"
SHARE_ANONYMOUSLY = "anonymous"


def tip_post(tr: Translator, draft: TipDraft, author_user_id: str, command: str) -> Message:
    heading = tr.t("tip.anonymous_heading") if draft.anonymous else tr.t("tip.heading", user=f"<@{author_user_id}>")
    return Message(
        text=heading,
        blocks=[section(f":bulb: {heading}\n{escape(draft.text)}"), context(tr.t("tip.footer", command=command))],
    )


def tip_modal(tr: Translator, text: str) -> dict[str, Any]:
    """The tip form, filled with `text` (the improved prompt) for the person to edit before it is posted."""
    field = text_input(ids.TIP_TEXT, initial=text[:MAX_TIP_LENGTH], multiline=True, max_length=MAX_TIP_LENGTH)
    # Named unless the person chooses otherwise, as `/ki tip` is.
    choices = [option(tr.t("coach.tip_named"), SHARE_WITH_NAME), option(tr.t("coach.tip_anonymous"), SHARE_ANONYMOUSLY)]
    blocks = [
        section(tr.t("coach.tip_intro")),
        input_block(ids.TIP_TEXT, tr.t("coach.tip_text"), field, hint=tr.t("coach.tip_hint")),
        input_block(
            ids.TIP_ANONYMOUS, tr.t("coach.tip_author"), radio_buttons(ids.TIP_ANONYMOUS, choices, SHARE_WITH_NAME)
        ),
    ]
    return modal(ids.TIP_VIEW, tr.t("coach.tip_title"), blocks, tr.t("coach.tip_submit"), tr.t("modal.cancel"))
