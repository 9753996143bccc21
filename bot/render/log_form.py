"""The logging modal, a person's own entries with their buttons, and what a log looks like once saved."""

from __future__ import annotations

from datetime import date

from bot.domain.tools import OTHER_TOOL, ToolCatalog
from bot.domain.usage import MAX_NOTE_LENGTH
from bot.domain.use_cases import MAX_TITLE_LENGTH, Status
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.render.replies import tool_label
from bot.services.usage import LogLine, RemovedUsage
from bot.services.use_cases import UseCaseSummary


def tool_options(tr: Translator, tools: ToolCatalog) -> list[dict]:
    return [kit.option(tr.t("tool.other") if t.key == OTHER_TOOL else t.name, t.key) for t in tools.tools]


def log_modal(
    tr: Translator,
    tools: ToolCatalog,
    use_cases: list[UseCaseSummary],
    today: date,
    editing: LogLine | None = None,
) -> dict:
    """A new entry, or with `editing` the form for changing that entry, filled with what it holds."""
    blocks = [
        kit.input_block(
            ids.MINUTES,
            tr.t("logmodal.minutes"),
            kit.text_input(
                ids.MINUTES,
                placeholder=tr.t("logmodal.minutes_placeholder"),
                initial=duration_input(editing.minutes) if editing else None,
            ),
            hint=tr.t("logmodal.minutes_hint"),
        ),
        kit.input_block(
            ids.TOOL,
            tr.t("logmodal.tool"),
            kit.static_select(
                ids.TOOL,
                tool_options(tr, tools),
                tr.t("logmodal.tool_placeholder"),
                initial=editing.tool if editing else None,
            ),
        ),
    ]
    # A discarded use case is not offered, unless the entry being changed already belongs to it.
    current = editing.use_case.id if editing and editing.use_case else None
    choices = [uc for uc in use_cases if uc.status is not Status.DISCARDED or uc.id == current]
    if choices:
        blocks.append(
            kit.input_block(
                ids.USE_CASE,
                tr.t("logmodal.use_case"),
                kit.static_select(
                    ids.USE_CASE,
                    [kit.option(uc.title, str(uc.id)) for uc in choices],
                    tr.t("logmodal.use_case_placeholder"),
                    initial=str(current) if current else None,
                ),
                optional=True,
            )
        )
    blocks += [
        kit.input_block(
            ids.NEW_USE_CASE,
            tr.t("logmodal.new_use_case") if choices else tr.t("usecase.new_title"),
            kit.text_input(
                ids.NEW_USE_CASE, max_length=MAX_TITLE_LENGTH, placeholder=tr.t("usecase.field_title_placeholder")
            ),
            optional=True,
            hint=tr.t("logmodal.new_use_case_hint"),
        ),
        kit.input_block(
            ids.NOTE,
            tr.t("logmodal.note"),
            kit.text_input(
                ids.NOTE,
                multiline=True,
                max_length=MAX_NOTE_LENGTH,
                placeholder=tr.t("logmodal.note_placeholder"),
                initial=editing.note if editing else None,
            ),
            optional=True,
            hint=tr.t("logmodal.note_hint"),
        ),
        kit.input_block(
            ids.DATE,
            tr.t("logmodal.date"),
            kit.datepicker(ids.DATE, (editing.used_on if editing else today).isoformat()),
            hint=tr.t("logmodal.date_hint"),
        ),
    ]
    return kit.modal(
        ids.LOG_VIEW,
        tr.t("logmodal.edit_title") if editing else tr.t("logmodal.title"),
        blocks,
        submit=tr.t("modal.save"),
        close=tr.t("modal.cancel"),
        private_metadata=str(editing.id) if editing else "",
    )


def duration_input(minutes: int) -> str:
    """Minutes as a person would type them: `45`, `2h`, `1h30`."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return str(rest)
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def info_modal(tr: Translator, title: str, blocks: list[dict]) -> dict:
    """A read-only modal, e.g. the confirmation that replaces a submitted form."""
    return kit.modal(ids.INFO_VIEW, title, blocks, close=tr.t("modal.close"))


def saved_view(tr: Translator, message_blocks: list[dict]) -> dict:
    return info_modal(tr, tr.t("logmodal.title"), [*message_blocks, kit.context(tr.t("logmodal.saved_hint"))])


def log_line_text(tr: Translator, tools: ToolCatalog, line: LogLine) -> str:
    """`*26.11.2026* · 45 Minuten · ChatGPT · Angebotserstellung`, and the note below."""
    parts = [f"*{tr.date(line.used_on)}*", tr.duration(line.minutes)]
    if line.tool is not None:
        parts.append(tool_label(tr, tools, line.tool))
    if line.use_case is not None:
        parts.append(kit.escape(line.use_case.title))
    text = " · ".join(parts)
    if line.note:
        text += "\n" + tr.t("log.note", note=kit.escape(line.note))
    return text


def log_line_blocks(tr: Translator, tools: ToolCatalog, line: LogLine) -> list[kit.Block]:
    delete = kit.button(tr.t("log.delete"), ids.DELETE_LOG, str(line.id), style="danger")
    delete["confirm"] = {
        "title": kit.plain(tr.t("log.delete_confirm_title"), 100),
        "text": kit.plain(tr.t("log.delete_confirm_text", entry=_entry_summary(tr, tools, line)), 300),
        "confirm": kit.plain(tr.t("log.delete"), 30),
        "deny": kit.plain(tr.t("modal.cancel"), 30),
        "style": "danger",
    }
    return [
        kit.section(log_line_text(tr, tools, line)),
        kit.actions(kit.button(tr.t("log.edit"), ids.EDIT_LOG, str(line.id)), delete, block_id=f"log_entry:{line.id}"),
    ]


def _entry_summary(tr: Translator, tools: ToolCatalog, line: LogLine) -> str:
    if line.tool is None:
        return tr.t("log.entry_without_tool", duration=tr.duration(line.minutes), date=tr.date(line.used_on))
    return tr.t(
        "log.entry",
        duration=tr.duration(line.minutes),
        tool=tool_label(tr, tools, line.tool),
        date=tr.date(line.used_on),
    )


def log_list_message(
    tr: Translator, tools: ToolCatalog, lines: list[LogLine], command: str, notice: str | None = None
) -> kit.Message:
    """`/ki log liste`: the latest entries, each with "Ändern" and "Löschen"; `notice` says what just changed."""
    title = tr.t("log.list_title")
    blocks: list[kit.Block] = [kit.header(title)]
    if notice:
        blocks.append(kit.section(notice))
    if not lines:
        blocks.append(kit.section(tr.t("log.list_empty", command=command)))
    for line in lines:
        blocks += log_line_blocks(tr, tools, line)
    blocks.append(kit.context(tr.t("log.list_footer", command=command)))
    return kit.Message(text=title, blocks=blocks)


def removed_text(tr: Translator, tools: ToolCatalog, removed: RemovedUsage) -> str:
    return (
        tr.t("log.removed", entry=_entry_summary(tr, tools, removed.line))
        + "\n"
        + tr.t("log.week_total", duration=tr.duration(removed.week_minutes))
    )
