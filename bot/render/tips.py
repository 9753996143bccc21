"""A tip as posted to the community channel, and the form that shares one (the prompt coach's "Als Tipp teilen")."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.services.tips import MAX_TIP_LENGTH, TipDraft

SHARE_WITH_NAME = "named"
SHARE_ANONYMOUSLY = "anonymous"


def tip_post(tr: Translator, draft: TipDraft, author_user_id: str, command: str) -> kit.Message:
    heading = tr.t("tip.anonymous_heading") if draft.anonymous else tr.t("tip.heading", user=f"<@{author_user_id}>")
    return kit.Message(
        text=heading,
        blocks=[
            kit.section(f":bulb: {heading}\n{kit.escape(draft.text)}"),
            kit.context(tr.t("tip.footer", command=command)),
        ],
    )


def tip_modal(tr: Translator, text: str) -> dict[str, Any]:
    """The tip form, filled with `text` (the improved prompt) for the person to edit before it is posted."""
    field = kit.text_input(ids.TIP_TEXT, initial=text[:MAX_TIP_LENGTH], multiline=True, max_length=MAX_TIP_LENGTH)
    # Named unless the person chooses otherwise, as `/ki tip` is.
    choices = [
        kit.option(tr.t("coach.tip_named"), SHARE_WITH_NAME),
        kit.option(tr.t("coach.tip_anonymous"), SHARE_ANONYMOUSLY),
    ]
    blocks = [
        kit.section(tr.t("coach.tip_intro")),
        kit.input_block(ids.TIP_TEXT, tr.t("coach.tip_text"), field, hint=tr.t("coach.tip_hint")),
        kit.input_block(
            ids.TIP_ANONYMOUS, tr.t("coach.tip_author"), kit.radio_buttons(ids.TIP_ANONYMOUS, choices, SHARE_WITH_NAME)
        ),
    ]
    return kit.modal(ids.TIP_VIEW, tr.t("coach.tip_title"), blocks, tr.t("coach.tip_submit"), tr.t("modal.cancel"))
