"""The replies to `/ki`: help (members and admins), log confirmation, personal stats, language change and errors."""

from __future__ import annotations

from bot.domain.commands import ADMIN_ACTIONS, MEMBER_SUBCOMMANDS, Subcommand, distinct_actions
from bot.domain.errors import UserError
from bot.domain.tools import OTHER_TOOL, ToolCatalog
from bot.domain.usage import MAX_MINUTES_PER_ENTRY
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.services.usage import LoggedUsage, MemberStats


def tool_label(tr: Translator, tools: ToolCatalog, key: str | None) -> str:
    tool = tools.get(key)
    if tool is None or tool.key == OTHER_TOOL:
        return tr.t("tool.other")
    return tool.name


def help_message(tr: Translator, command: str, community_channel: str, is_admin: bool = False) -> kit.Message:
    """One line per member subcommand, from the subcommands themselves: a new one shows up here by itself."""
    order = sorted(MEMBER_SUBCOMMANDS, key=lambda sub: sub is Subcommand.HELP)
    channel = community_channel.lstrip("#")
    blocks = [kit.header(tr.t("help.title")), kit.section(tr.t("help.intro"))]
    blocks += [kit.section(tr.t(f"help.{sub.value}", command=command, channel=channel)) for sub in order]
    if is_admin:
        blocks.append(kit.section(tr.t("help.admin_hint", command=command)))
    blocks.append(kit.context(tr.t("help.durations", max_hours=MAX_MINUTES_PER_ENTRY // 60)))
    return kit.Message(text=tr.t("help.title"), blocks=blocks)


def admin_help_message(tr: Translator, command: str) -> kit.Message:
    """One line per admin action, from the admin actions themselves."""
    lines = [tr.t(f"help.admin.{action}", command=command) for action in distinct_actions(ADMIN_ACTIONS)]
    blocks = [
        kit.header(tr.t("help.admin_title")),
        kit.section(tr.t("help.admin_intro", command=command)),
        *(kit.section(line) for line in lines),
    ]
    return kit.Message(text=tr.t("help.admin_title"), blocks=blocks)


def logged_message(
    tr: Translator,
    tools: ToolCatalog,
    logged: LoggedUsage,
    command: str,
    changed: bool = False,
    unknown_tag: str | None = None,
) -> kit.Message:
    """The confirmation of a new entry (with "Rückgängig") or, with `changed`, of a changed one.
    `unknown_tag` is a `#stichwort` that named no use case: the entry was stored without one."""
    entry = logged.entry
    if entry.tool is None:
        key = "log.changed_without_tool" if changed else "log.saved_without_tool"
        saved = tr.t(key, duration=tr.duration(entry.minutes), date=tr.date(logged.used_on))
    else:
        saved = tr.t(
            "log.changed" if changed else "log.saved",
            duration=tr.duration(entry.minutes),
            tool=tool_label(tr, tools, entry.tool),
            date=tr.date(logged.used_on),
        )
    details = [tr.t("log.week_total", duration=tr.duration(logged.week_minutes))]
    if logged.use_case is not None:
        details.append(tr.t("log.use_case", title=kit.escape(logged.use_case.title), slug=logged.use_case.slug))
    blocks = [kit.section(saved + "\n" + "\n".join(details))]
    if unknown_tag is not None:
        blocks.append(
            kit.section(":warning: " + tr.t("log.unknown_use_case", tag=kit.escape(unknown_tag), command=command))
        )
    if entry.note:
        blocks.append(kit.context(tr.t("log.note", note=kit.escape(entry.note))))
    if entry.tool is None:
        blocks.append(kit.context(tr.t("log.tool_hint")))
    if not changed:
        blocks.append(kit.actions(kit.button(tr.t("log.undo"), ids.UNDO_LOG, str(logged.log_id))))
    return kit.Message(text=saved, blocks=blocks)


def stats_blocks(tr: Translator, tools: ToolCatalog, stats: MemberStats) -> list[kit.Block]:
    """The personal numbers, shared by `/ki stats` and App Home."""
    blocks = [
        kit.fields(
            tr.t("stats.week", duration=tr.duration(stats.week_minutes)),
            tr.t("stats.month", duration=tr.duration(stats.month_minutes)),
            tr.t(
                "stats.total",
                duration=tr.duration(stats.total_minutes),
                entries=tr.tn("stats.entries", stats.total_entries),
            ),
            tr.t("stats.streak", weeks=tr.tn("stats.weeks_in_a_row", stats.streak_weeks)),
        ),
    ]
    if stats.top_tools:
        ranked = ", ".join(f"{tool_label(tr, tools, key)} ({tr.duration(minutes)})" for key, minutes in stats.top_tools)
        blocks.append(kit.section(tr.t("stats.top_tools", tools=ranked)))
    if stats.top_use_cases:
        ranked = ", ".join(f"{kit.escape(title)} ({tr.duration(minutes)})" for _, title, minutes in stats.top_use_cases)
        blocks.append(kit.section(tr.t("stats.top_use_cases", use_cases=ranked)))
    return blocks


def stats_message(
    tr: Translator, tools: ToolCatalog, stats: MemberStats, command: str, progress: list[kit.Block] | None = None
) -> kit.Message:
    """The personal numbers; `progress` adds maturity, career stage and learning path."""
    title = tr.t("stats.title")
    numbers = (
        stats_blocks(tr, tools, stats) if stats.total_entries else [kit.section(tr.t("stats.empty", command=command))]
    )
    blocks = [kit.header(title), *numbers, *(progress or []), kit.divider(), kit.context(tr.t("stats.private"))]
    return kit.Message(text=title, blocks=blocks)


def language_set_message(tr: Translator) -> kit.Message:
    text = tr.t("language.set")
    return kit.Message(text=text, blocks=[kit.section(text)])


def error_message(tr: Translator, error: UserError, command: str) -> kit.Message:
    text = kit.warning(tr.t(error.key, command=command, **error_params(tr, error)))
    blocks = [kit.section(text)]
    if error.example:
        blocks.append(kit.context(tr.t("error.example", example=tr.t(error.example, command=command))))
    return kit.Message(text=text, blocks=blocks)


def error_params(tr: Translator, error: UserError) -> dict[str, object]:
    """Parameters named `*_minutes` are durations, lists are joined; text from the user is escaped."""

    def formatted(key: str, value: object) -> object:
        if key.endswith("_minutes") and isinstance(value, int):
            return tr.duration(value)
        if isinstance(value, int):
            return tr.number(value)
        if isinstance(value, list | tuple):
            return ", ".join(kit.escape(str(item)) for item in value)
        return kit.escape(str(value))

    return {key: formatted(key, value) for key, value in error.params.items()}


def failure_message(tr: Translator) -> kit.Message:
    text = kit.warning(tr.t("error.internal"))
    return kit.Message(text=text, blocks=[kit.section(text)])


def not_saved_message(tr: Translator) -> kit.Message:
    """The database did not answer in time: the unit of work was rolled back."""
    text = kit.warning(tr.t("error.not_saved"))
    return kit.Message(text=text, blocks=[kit.section(text)])
