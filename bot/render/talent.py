"""The talent matrix: the person's own form (`/ki profil talente`), the admins' matrix of those who opted in,
its CSV, and the line on the person's App Home."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.domain import talent
from bot.domain.curriculum import Curriculum
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.render.values import talent_value
from bot.services.talent import TalentChoice, TalentRow

# Slack shows at most 50 blocks in a message: the matrix lists this many people, the CSV all of them.
MATRIX_ROWS = 40


def talent_modal(tr: Translator, choice: TalentChoice) -> dict[str, Any]:
    consent = [kit.option(tr.t("talent.consent_yes"), "yes"), kit.option(tr.t("talent.consent_no"), "no")]
    blocks = [
        kit.section(tr.t("talent.intro")),
        kit.input_block(
            ids.TALENT_CONSENT,
            tr.t("talent.consent"),
            kit.radio_buttons(ids.TALENT_CONSENT, consent, initial="yes" if choice.opted_in else "no"),
        ),
        kit.input_block(
            ids.TALENT_ROLES,
            tr.t("talent.roles"),
            _multi(tr, ids.TALENT_ROLES, [(key, role_label(tr, key)) for key in talent.ROLES], choice.roles),
            optional=True,
        ),
        kit.input_block(
            ids.TALENT_STRENGTHS,
            tr.t("talent.strengths"),
            _multi(
                tr, ids.TALENT_STRENGTHS, [(key, strength_label(tr, key)) for key in talent.STRENGTHS], choice.strengths
            ),
            optional=True,
        ),
    ]
    return kit.modal(ids.TALENT_VIEW, tr.t("talent.title"), blocks, *kit.save_or_cancel(tr))


def role_label(tr: Translator, key: str) -> str:
    return tr.t(f"talent.role.{key}")


def strength_label(tr: Translator, key: str) -> str:
    return tr.t(f"talent.strength.{key}")


def _multi(tr: Translator, action_id: str, choices: list[tuple[str, str]], chosen: list[str]) -> dict[str, Any]:
    options = [kit.option(label, key) for key, label in choices]
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": action_id,
        "placeholder": kit.plain(tr.t("talent.choose"), 150),
        "options": options,
    }
    initial = [option for option in options if option["value"] in chosen]
    if initial:
        element["initial_options"] = initial
    return element


def _roles(tr: Translator, keys: list[str]) -> str:
    return ", ".join(role_label(tr, key) for key in keys) or "–"


def _strengths(tr: Translator, keys: list[str]) -> str:
    return ", ".join(strength_label(tr, key) for key in keys) or "–"


def _row_text(tr: Translator, row: TalentRow, curriculum: Curriculum) -> str:
    stage = curriculum.stage(row.stage)
    return tr.t(
        "talent.row",
        user=f"<@{row.slack_user_id}>",
        roles=_roles(tr, row.roles),
        strengths=_strengths(tr, row.strengths),
        level=str(row.level) if row.level is not None else "–",
        stage=stage.name.in_(tr.language) if stage else "–",
        mentored=row.mentored,
        assigned=role_label(tr, row.assigned_role) if row.assigned_role else "–",
    )


def matrix_message(tr: Translator, rows: list[TalentRow], curriculum: Curriculum, command: str) -> kit.Message:
    """Only people who opted in; each with a menu to assign a role."""
    title = tr.t("talent.matrix_title")
    blocks: list[kit.Block] = [kit.header(title), kit.context(tr.t("talent.matrix_intro", command=command))]
    if not rows:
        blocks.append(kit.section(tr.t("talent.none")))
    for row in rows[:MATRIX_ROWS]:
        block = kit.section(_row_text(tr, row, curriculum))
        options = [
            kit.option(tr.t("talent.assign", role=role_label(tr, role)), talent_value(row.member_id, role))
            for role in talent.ROLES
        ]
        options.append(kit.option(tr.t("talent.assign_none"), talent_value(row.member_id, None)))
        block["accessory"] = {"type": "overflow", "action_id": ids.TALENT_ASSIGN, "options": options}
        blocks.append(block)
    if len(rows) > MATRIX_ROWS:
        blocks.append(kit.context(tr.t("talent.more", count=len(rows) - MATRIX_ROWS, command=command)))
    return kit.Message(text=title, blocks=blocks)


def matrix_csv(tr: Translator, rows: list[TalentRow], curriculum: Curriculum) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([tr.t(f"talent.csv.{column}") for column in CSV_COLUMNS])
    for row in rows:
        stage = curriculum.stage(row.stage)
        writer.writerow(
            [
                row.slack_user_id,
                _roles(tr, row.roles),
                _strengths(tr, row.strengths),
                row.level if row.level is not None else "",
                stage.name.in_(tr.language) if stage else "",
                row.mentored,
                role_label(tr, row.assigned_role) if row.assigned_role else "",
            ]
        )
    return out.getvalue()


CSV_COLUMNS = ("person", "roles", "strengths", "level", "stage", "mentored", "assigned")


def home_line(tr: Translator, choice: TalentChoice) -> str | None:
    """On the person's App Home, while they are in the matrix: that admins see it, and a role they were given."""
    if not choice.opted_in:
        return None
    line = tr.t("talent.home", roles=_roles(tr, choice.roles))
    if choice.assigned_role:
        line += " " + tr.t("talent.home_assigned", role=role_label(tr, choice.assigned_role))
    return line
