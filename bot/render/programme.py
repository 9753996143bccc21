"""The 90-day roadmap as admins see it: on their App Home and with `/ki admin programm`, the posts at each
phase change, and the closing summary at day 90."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.domain import roadmap
from bot.domain.roadmap import Phase
from bot.domain.tools import ToolCatalog
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.render.replies import tool_label
from bot.services.kpis import WorkspaceKpis
from bot.services.programme import InventoryResults, ItemState, ProgrammeSummary, RoadmapStatus

# The figures the day-90 summary sets side by side (a "–" where the workspace was below the minimum group).
SUMMARY_ROWS = ("active", "hours", "use_cases", "tips", "checkins")


def roadmap_blocks(tr: Translator, status: RoadmapStatus, with_buttons: bool = True) -> list[kit.Block]:
    """Where the programme stands, and each phase's checklist; `with_buttons`: a point to tick by hand of the
    current or an earlier phase gets a button (App Home)."""
    blocks: list[kit.Block] = [kit.header(tr.t("programme.title")), kit.context(_where(tr, status))]
    for phase in Phase:
        lines = [f"*{tr.t(f'programme.phase.{phase.value}')}*"]
        lines += [_item_line(tr, item) for item in status.of_phase(phase)]
        blocks.append(kit.section("\n".join(lines)))
    open_by_hand = [
        item
        for item in status.items
        if not item.automatic and not item.done and status.phase is not None and item.phase <= status.phase
    ]
    if with_buttons and open_by_hand:
        buttons = [
            kit.button(tr.t("programme.tick", item=tr.t(f"programme.item.{item.key}")), ids.ROADMAP_TICK, item.key)
            for item in open_by_hand[:5]
        ]
        blocks.append(kit.actions(*buttons))
    return blocks


def _where(tr: Translator, status: RoadmapStatus) -> str:
    if status.day < 1:
        return tr.t("programme.before_start", date=tr.date(status.starts_on))
    if status.phase is None:
        return tr.t("programme.finished", date=tr.date(status.starts_on))
    return tr.t(
        "programme.day",
        day=status.day,
        days=roadmap.DAYS,
        phase=tr.t(f"programme.phase.{status.phase.value}"),
        date=tr.date(status.starts_on),
    )


def _item_line(tr: Translator, item: ItemState) -> str:
    mark = ":white_check_mark:" if item.done else ":white_large_square:"
    line = f"{mark} {tr.t(f'programme.item.{item.key}')}"
    if item.automatic:
        line += " – " + _counted(tr, item)
    elif item.done and item.done_on is not None:
        line += " – " + tr.t("programme.ticked_on", date=tr.date(item.done_on))
        if item.note:
            line += " · " + kit.escape(item.note)
    return line


def _counted(tr: Translator, item: ItemState) -> str:
    if item.count is None:
        return tr.t("programme.below_minimum")
    if item.of is None:
        return tr.t(f"programme.count.{item.key}", count=item.count)
    return tr.t(f"programme.count.{item.key}", count=item.count, of=item.of)


def phase_post(tr: Translator, status: RoadmapStatus, phase: Phase) -> kit.Message:
    """To the admins' channel when `phase` begins: its checklist, and what is still open from before."""
    title = tr.t("programme.phase_started", phase=tr.t(f"programme.phase.{phase.value}"))
    blocks: list[kit.Block] = [kit.header(title)]
    overdue = status.open_until(Phase(phase - 1))
    if overdue:
        lines = [kit.warning(tr.t("programme.overdue"))] + [_item_line(tr, item) for item in overdue]
        blocks.append(kit.section("\n".join(lines)))
    lines = [tr.t("programme.now_due")] + [_item_line(tr, item) for item in status.of_phase(phase)]
    blocks.append(kit.section("\n".join(lines)))
    return kit.Message(text=title, blocks=blocks)


def summary_post(tr: Translator, summary: ProgrammeSummary) -> kit.Message:
    """Day 90: the figures at day 0, 30, 60 and 90 side by side, the pilots, and the open decisions."""
    title = tr.t("programme.summary_title")
    columns = " · ".join(tr.t("programme.summary.day", day=m.day) for m in summary.milestones)
    rows = [f"*{tr.t('programme.summary.figure')}* – {columns}"]
    shown: dict[str, Callable[[WorkspaceKpis], str]] = {
        "active": lambda k: tr.percent(k.adoption_rate),
        "hours": lambda k: tr.number(k.hours),
        "use_cases": lambda k: str(sum(k.new_use_cases.values())),
        "tips": lambda k: str(k.tips),
        "checkins": lambda k: f"{k.checkins_held}/{k.checkins_due}",
    }
    for key in SUMMARY_ROWS:
        cells = " · ".join(shown[key](m.figures) if m.figures.shown else "–" for m in summary.milestones)
        rows.append(f"{tr.t(f'programme.summary.{key}')}: {cells}")
    blocks: list[kit.Block] = [kit.header(title), kit.section("\n".join(rows))]
    if any(not m.figures.shown for m in summary.milestones):
        blocks.append(kit.context(tr.t("programme.below_minimum_figures")))
    if summary.pilots:
        lines = [tr.t("programme.summary.pilots")]
        for pilot in summary.pilots:
            logged = (
                tr.duration(pilot.logged_minutes)
                if pilot.logged_minutes is not None
                else tr.t("programme.below_minimum")
            )
            line = tr.t(
                "programme.summary.pilot",
                title=kit.escape(pilot.title),
                status=tr.t(f"usecase.status.{pilot.status.value}"),
                estimate=tr.duration(pilot.estimate_minutes_per_week),
                logged=logged,
            )
            if pilot.card is not None:
                goal = tr.t(
                    "programme.summary.goal", goal=kit.escape(pilot.card.goal), metric=kit.escape(pilot.card.metric)
                )
                line += "\n    " + goal
            if pilot.learning:
                line += "\n    " + tr.t("programme.summary.learning", learning=kit.escape(pilot.learning))
            lines.append(line)
        blocks.append(kit.section("\n".join(lines)))
    else:
        blocks.append(kit.section(tr.t("programme.summary.no_pilots")))
    still_open = [item for item in summary.status.items if not item.done]
    if still_open:
        lines = [tr.t("programme.summary.open")] + [_item_line(tr, item) for item in still_open]
    else:
        lines = [tr.t("programme.summary.none_open")]
    blocks.append(kit.section("\n".join(lines)))
    return kit.Message(text=title, blocks=blocks)


# -- the Bestandsaufnahme ----------------------------------------------------------------------------


def inventory_invitation(tr: Translator) -> kit.Message:
    """The DM that asks everyone for the Bestandsaufnahme at the start of the roadmap."""
    text = tr.t("inventory.invitation")
    return kit.Message(
        text=text,
        blocks=[
            kit.section(text),
            kit.context(tr.t("inventory.anonymous")),
            kit.actions(kit.button(tr.t("inventory.open"), ids.INVENTORY_OPEN, style="primary")),
        ],
    )


def inventory_modal(tr: Translator, tools: ToolCatalog) -> dict[str, Any]:
    tool_options = [kit.option(tool_label(tr, tools, tool.key), tool.key) for tool in tools.tools]
    hours = [kit.option(tr.t(f"inventory.hours.{key}"), key) for key in roadmap.INVESTMENT]
    champion = [kit.option(tr.t(f"inventory.champion.{key}"), key) for key in roadmap.CHAMPION_ANSWERS]
    blocks = [
        kit.context(tr.t("inventory.anonymous")),
        kit.input_block(
            ids.INVENTORY_TOOLS,
            tr.t("inventory.tools"),
            {
                "type": "multi_static_select",
                "action_id": ids.INVENTORY_TOOLS,
                "placeholder": kit.plain(tr.t("inventory.tools_placeholder"), 150),
                "options": tool_options[:100],
            },
            optional=True,
        ),
        kit.input_block(
            ids.INVENTORY_POTENTIAL,
            tr.t("inventory.potential"),
            kit.text_input(ids.INVENTORY_POTENTIAL, multiline=True, max_length=roadmap.POTENTIAL_LIMIT),
            optional=True,
            hint=tr.t("inventory.potential_hint"),
        ),
        kit.input_block(ids.INVENTORY_HOURS, tr.t("inventory.hours"), kit.radio_buttons(ids.INVENTORY_HOURS, hours)),
        kit.input_block(
            ids.INVENTORY_CHAMPION, tr.t("inventory.champion"), kit.radio_buttons(ids.INVENTORY_CHAMPION, champion)
        ),
    ]
    return kit.modal(ids.INVENTORY_VIEW, tr.t("inventory.title"), blocks, *kit.save_or_cancel(tr, "inventory.submit"))


def inventory_results_message(
    tr: Translator, results: InventoryResults, minimum: int, tools: ToolCatalog
) -> kit.Message:
    """For admins: the answers in aggregate, each potential text without a name and with a button that makes
    it a use-case idea; nothing but the count while fewer than the minimum group answered."""
    title = tr.t("inventory.results_title")
    blocks: list[kit.Block] = [kit.header(title)]
    if not results.shown:
        blocks.append(kit.section(tr.t("inventory.too_few", minimum=minimum)))
        return kit.Message(text=title, blocks=blocks)
    tool_lines = [f"• {kit.escape(tool_label(tr, tools, key))}: {count}" for key, count in results.tools.items()]
    blocks += [
        kit.section(tr.t("inventory.answered", count=results.answered)),
        kit.section("\n".join([f"*{tr.t('inventory.tools')}*", *(tool_lines or ["–"])])),
        kit.fields(
            *(f"*{tr.t(f'inventory.hours.{key}')}*\n{count}" for key, count in results.hours.items()),
            *(f"*{tr.t(f'inventory.champion.{key}')}*\n{count}" for key, count in results.champions.items()),
        ),
    ]
    if results.potentials:
        blocks.append(kit.section(f"*{tr.t('inventory.potential')}*"))
        for answer_id, text in results.potentials[:40]:
            block = kit.section("> " + kit.escape(text).replace("\n", "\n> "))
            block["accessory"] = kit.button(tr.t("inventory.make_idea"), ids.INVENTORY_IDEA, str(answer_id))
            blocks.append(block)
    return kit.Message(text=title, blocks=blocks)
