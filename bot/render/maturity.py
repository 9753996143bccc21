"""The self-check modal (one click per dimension) and its result."""

from __future__ import annotations

from bot.domain.curriculum import CareerStage, Curriculum
from bot.domain.maturity import MaturityMatrix
from bot.i18n import Translator
from bot.render import ids
from bot.render.blocks import Block, context, fields, header, input_block, modal, option, radio_buttons, section
from bot.services.maturity import AssessmentInfo


def check_modal(tr: Translator, matrix: MaturityMatrix) -> dict:
    blocks: list[Block] = [section(tr.t("check.intro"))]
    for dimension in matrix.dimensions:
        options = [
            option(f"{level}. {text.in_(tr.language)}", str(level))
            for level, text in enumerate(dimension.levels, start=1)
        ]
        blocks.append(
            input_block(
                ids.CHECK_DIMENSION_PREFIX + dimension.key,
                dimension.name.in_(tr.language),
                radio_buttons(ids.CHECK_DIMENSION_PREFIX + dimension.key, options),
            )
        )
    return modal(ids.CHECK_VIEW, tr.t("check.title"), blocks, submit=tr.t("check.submit"), close=tr.t("modal.cancel"))


def level_change(tr: Translator, now: int, before: int | None) -> str:
    if before is None:
        return ""
    if now > before:
        return " " + tr.t("check.up", before=before)
    if now < before:
        return " " + tr.t("check.down", before=before)
    return " " + tr.t("check.same")


def check_result_blocks(
    tr: Translator,
    matrix: MaturityMatrix,
    curriculum: Curriculum,
    assessment: AssessmentInfo,
    previous: AssessmentInfo | None,
    stage: CareerStage | None,
) -> list[Block]:
    per_dimension = []
    for dimension in matrix.dimensions:
        level = assessment.levels[dimension.key]
        before = previous.levels.get(dimension.key) if previous else None
        per_dimension.append(
            f"*{dimension.name.in_(tr.language)}*\n{level} · {dimension.levels[level - 1].in_(tr.language)}"
            + level_change(tr, level, before)
        )
    track = curriculum.track(assessment.recommended_track)
    blocks: list[Block] = [
        header(tr.t("check.result_title")),
        section(
            tr.t("check.overall", level=assessment.overall_level)
            + level_change(tr, assessment.overall_level, previous.overall_level if previous else None)
        ),
        fields(*per_dimension),
        section(tr.t("check.recommended_track", track=track.name.in_(tr.language) if track else "–")),
    ]
    if stage is not None:
        blocks.append(
            section(
                tr.t("check.stage", stage=stage.name.in_(tr.language), description=stage.description.in_(tr.language))
            )
        )
    blocks.append(context(tr.t("check.private")))
    return blocks
