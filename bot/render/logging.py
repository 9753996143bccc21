"""The logging modal and what a log looks like once saved."""

from __future__ import annotations

from datetime import date

from bot.domain.tools import OTHER_TOOL, ToolCatalog
from bot.domain.usage import MAX_NOTE_LENGTH
from bot.domain.use_cases import Status
from bot.i18n import Translator
from bot.render import ids
from bot.render.blocks import (
    context,
    datepicker,
    input_block,
    modal,
    option,
    static_select,
    text_input,
)
from bot.services.use_cases import UseCaseSummary


def tool_options(tr: Translator, tools: ToolCatalog) -> list[dict]:
    return [option(tr.t("tool.other") if t.key == OTHER_TOOL else t.name, t.key) for t in tools.tools]


def log_modal(tr: Translator, tools: ToolCatalog, use_cases: list[UseCaseSummary], today: date) -> dict:
    blocks = [
        input_block(
            ids.MINUTES,
            tr.t("logmodal.minutes"),
            text_input(ids.MINUTES, placeholder=tr.t("logmodal.minutes_placeholder")),
            hint=tr.t("logmodal.minutes_hint"),
        ),
        input_block(
            ids.TOOL,
            tr.t("logmodal.tool"),
            static_select(ids.TOOL, tool_options(tr, tools), tr.t("logmodal.tool_placeholder")),
        ),
    ]
    active = [uc for uc in use_cases if uc.status is not Status.DISCARDED]
    if active:
        blocks.append(
            input_block(
                ids.USE_CASE,
                tr.t("logmodal.use_case"),
                static_select(
                    ids.USE_CASE, [option(uc.title, str(uc.id)) for uc in active], tr.t("logmodal.use_case_placeholder")
                ),
                optional=True,
            )
        )
    blocks += [
        input_block(
            ids.NOTE,
            tr.t("logmodal.note"),
            text_input(
                ids.NOTE, multiline=True, max_length=MAX_NOTE_LENGTH, placeholder=tr.t("logmodal.note_placeholder")
            ),
            optional=True,
            hint=tr.t("logmodal.note_hint"),
        ),
        input_block(
            ids.DATE, tr.t("logmodal.date"), datepicker(ids.DATE, today.isoformat()), hint=tr.t("logmodal.date_hint")
        ),
    ]
    return modal(ids.LOG_VIEW, tr.t("logmodal.title"), blocks, submit=tr.t("modal.save"), close=tr.t("modal.cancel"))


def info_modal(tr: Translator, title: str, blocks: list[dict]) -> dict:
    """A read-only modal, e.g. the confirmation that replaces a submitted form."""
    return modal(ids.INFO_VIEW, title, blocks, close=tr.t("modal.close"))


def saved_view(tr: Translator, message_blocks: list[dict]) -> dict:
    return info_modal(tr, tr.t("logmodal.title"), [*message_blocks, context(tr.t("logmodal.saved_hint"))])
