"""A pilot project's card: its form (`/ki usecase pilot #slug`), the card itself, and the owner's reminder."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.services.pilots import TEAM_LIMIT, PilotCardInfo


def pilot_modal(
    tr: Translator, use_case_id: int, title: str, card: PilotCardInfo | None, today: date
) -> dict[str, Any]:
    team: dict[str, Any] = {"type": "multi_users_select", "action_id": ids.PILOT_TEAM, "max_selected_items": TEAM_LIMIT}
    if card is not None and card.members:
        team["initial_users"] = card.members
    blocks = [
        kit.section(tr.t("pilot.intro", title=kit.escape(title))),
        kit.input_block(ids.PILOT_TEAM, tr.t("pilot.team"), team, hint=tr.t("pilot.team_hint", limit=TEAM_LIMIT)),
        kit.input_block(
            ids.PILOT_GOAL,
            tr.t("pilot.goal"),
            kit.text_input(ids.PILOT_GOAL, initial=card.goal if card else None, max_length=300),
        ),
        kit.input_block(
            ids.PILOT_METRIC,
            tr.t("pilot.metric"),
            kit.text_input(
                ids.PILOT_METRIC, tr.t("pilot.metric_placeholder"), card.metric if card else None, max_length=200
            ),
        ),
        kit.input_block(
            ids.PILOT_BASELINE,
            tr.t("pilot.baseline"),
            kit.text_input(ids.PILOT_BASELINE, initial=card.baseline if card else None, max_length=200),
            optional=True,
        ),
        kit.input_block(
            ids.PILOT_DEADLINE,
            tr.t("pilot.deadline"),
            kit.datepicker(ids.PILOT_DEADLINE, (card.deadline if card else today).isoformat()),
        ),
    ]
    return kit.modal(ids.PILOT_VIEW, tr.t("pilot.title"), blocks, *kit.save_or_cancel(tr), str(use_case_id))


def card_blocks(tr: Translator, card: PilotCardInfo) -> list[kit.Block]:
    team = ", ".join(f"<@{user}>" for user in card.members) or "–"
    others = tr.duration(card.others_minutes) if card.others_minutes is not None else tr.t("pilot.others_hidden")
    blocks: list[kit.Block] = [
        kit.section(
            tr.t(
                "pilot.card",
                title=kit.escape(card.title),
                team=team,
                goal=kit.escape(card.goal),
                metric=kit.escape(card.metric),
                baseline=kit.escape(card.baseline) or "–",
                deadline=tr.date(card.deadline),
            )
        ),
        kit.context(tr.t("pilot.logged", team=tr.duration(card.team_minutes), others=others)),
    ]
    if card.one_department:
        blocks.append(kit.section(kit.warning(tr.t("pilot.one_department"))))
    return blocks


def reminder_message(tr: Translator, title: str, slug: str, deadline: date, command: str) -> kit.Message:
    text = tr.t("pilot.reminder", title=kit.escape(title), date=tr.date(deadline), command=command, slug=slug)
    return kit.Message(text=text, blocks=[kit.section(text)])
