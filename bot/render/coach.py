"""How the prompt coach looks: its answer with the buttons to share and to judge it, what it says while the
model thinks, when it is off or unavailable, and what admins see of it."""

from __future__ import annotations

from bot.domain.coach import Advice, Unavailable
from bot.domain.curriculum import Module
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.render.kpis import period_label
from bot.services.coach import CoachFigures
from bot.services.kpis import Period
from bot.services.tips import MAX_TIP_LENGTH
from config.settings import Settings


def coach_off_message(tr: Translator, command: str) -> kit.Message:
    text = tr.t("coach.off", command=command)
    return kit.Message(text=text, blocks=[kit.section(text)])


def coach_waiting_message(tr: Translator) -> kit.Message:
    text = tr.t("coach.waiting")
    return kit.Message(
        text=text, blocks=[kit.section(":hourglass_flowing_sand: " + text), kit.context(tr.t("coach.not_stored"))]
    )


def coach_unavailable_message(tr: Translator, reason: Unavailable | str) -> kit.Message:
    """`reason`: why the model gave no answer, or `names` when Slack could not say who works here."""
    text = kit.warning(tr.t(f"coach.unavailable.{reason}"))
    return kit.Message(text=text, blocks=[kit.section(text), kit.context(tr.t("coach.nothing_counted"))])


def advice_message(tr: Translator, advice: Advice, answer_token: str, completed: list[Module]) -> kit.Message:
    """What is good, the named improvements, the improved prompt to copy; buttons to share it as a tip and
    to say whether it helped. `completed`: learning modules this answer completed."""
    blocks = [kit.header(tr.t("coach.title")), kit.section(f"*{tr.t('coach.good')}*\n{kit.escape(advice.good)}")]
    if advice.improvements:
        lines = [
            f"{number}. *{tr.t(f'coach.technique.{item.technique}')}:* {kit.escape(item.text)}"
            for number, item in enumerate(advice.improvements, start=1)
        ]
        blocks.append(kit.section(f"*{tr.t('coach.improvements')}*\n" + "\n".join(lines)))
    blocks.append(kit.section(f"*{tr.t('coach.improved_prompt')}*\n```{_in_code(advice.improved_prompt)}```"))
    for module in completed:
        blocks.append(
            kit.section(":white_check_mark: " + tr.t("coach.module_done", module=module.title.in_(tr.language)))
        )
    blocks.append(
        kit.actions(
            kit.button(tr.t("coach.share"), ids.COACH_SHARE, advice.improved_prompt[:MAX_TIP_LENGTH]),
            kit.button(tr.t("coach.helpful"), ids.COACH_HELPFUL, answer_token, style="primary"),
            kit.button(tr.t("coach.not_helpful"), ids.COACH_NOT_HELPFUL, answer_token),
        )
    )
    blocks.append(kit.context(tr.t("coach.not_stored")))
    return kit.Message(text=tr.t("coach.title"), blocks=blocks)


def _in_code(text: str) -> str:
    """Text inside a code block: escaped, and without a fence of its own that would end the block early."""
    return kit.escape(text).replace("```", "'''")


def verdict_text(tr: Translator, counted: bool) -> str:
    return tr.t("coach.verdict_thanks") if counted else tr.t("coach.verdict_already")


def coach_admin_message(tr: Translator, settings: Settings, figures: CoachFigures, month: Period) -> kit.Message:
    """`/ki admin coach`: whether the coach is on and where prompts go, and this month's figures (only when
    at least the minimum group used it)."""
    if not settings.coach_enabled:
        lines = [tr.t("coach.admin.off")]
    else:
        lines = [
            tr.t(
                "coach.admin.on",
                host=settings.coach_host,
                model=settings.coach_model or "",
                per_day=settings.coach_per_day,
            )
        ]
    period = period_label(tr, month)
    if figures.below_minimum:
        lines.append(tr.t("coach.admin.below_minimum", period=period, min=settings.min_group_size))
    else:
        lines.append(
            tr.t(
                "coach.admin.figures",
                period=period,
                people=figures.people,
                improved=figures.improved,
                helpful=figures.helpful,
                not_helpful=figures.not_helpful,
            )
        )
    text = "\n".join(lines)
    return kit.Message(
        text=text,
        blocks=[kit.header(tr.t("coach.admin.title")), kit.section(text), kit.context(tr.t("coach.not_stored"))],
    )
