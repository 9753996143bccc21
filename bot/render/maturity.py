"""The self-check modal (one click per dimension) and its result."""

from __future__ import annotations

from datetime import date

from bot.domain.curriculum import CareerStage, Curriculum
from bot.domain.maturity import MaturityMatrix
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.services.maturity import AssessmentInfo


def check_modal(tr: Translator, matrix: MaturityMatrix) -> dict:
    blocks: list[kit.Block] = [kit.section(tr.t("check.intro"))]
    for dimension in matrix.dimensions:
        options = [
            kit.option(f"{level}. {text.in_(tr.language)}", str(level))
            for level, text in enumerate(dimension.levels, start=1)
        ]
        blocks.append(
            kit.input_block(
                ids.CHECK_DIMENSION_PREFIX + dimension.key,
                dimension.name.in_(tr.language),
                kit.radio_buttons(ids.CHECK_DIMENSION_PREFIX + dimension.key, options),
            )
        )
    return kit.modal(
        ids.CHECK_VIEW, tr.t("check.title"), blocks, submit=tr.t("check.submit"), close=tr.t("modal.cancel")
    )


def reassessment_message(tr: Translator, last_taken: date) -> kit.Message:
    """The invitation to repeat the self-check, with the button that opens it."""
    text = tr.t("check.reassess", date=tr.date(last_taken))
    return kit.Message(
        text=text,
        blocks=[
            kit.section(text),
            kit.actions(kit.button(tr.t("check.reassess_button"), ids.OPEN_CHECK, "1", style="primary")),
        ],
    )


def dimension_changes(tr: Translator, matrix: MaturityMatrix, before: dict[str, int], now: dict[str, int]) -> str:
    """`Tool-Kenntnisse 1 → 2 · Anwendungsbreite 2 · …`: each dimension since the previous self-check."""
    parts = []
    for dimension in matrix.dimensions:
        old, new = before.get(dimension.key), now.get(dimension.key)
        if new is None:
            continue
        shown = f"{old} → {new}" if old is not None and old != new else str(new)
        parts.append(f"{dimension.name.in_(tr.language)} {shown}")
    return tr.t("home.dimension_changes", changes=" · ".join(parts))


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
) -> list[kit.Block]:
    per_dimension = []
    for dimension in matrix.dimensions:
        level = assessment.levels[dimension.key]
        before = previous.levels.get(dimension.key) if previous else None
        per_dimension.append(
            f"*{dimension.name.in_(tr.language)}*\n{level} · {dimension.levels[level - 1].in_(tr.language)}"
            + level_change(tr, level, before)
        )
    track = curriculum.track(assessment.recommended_track)
    blocks: list[kit.Block] = [
        kit.header(tr.t("check.result_title")),
        kit.section(
            tr.t("check.overall", level=assessment.overall_level)
            + level_change(tr, assessment.overall_level, previous.overall_level if previous else None)
        ),
        kit.fields(*per_dimension),
        kit.section(tr.t("check.recommended_track", track=track.name.in_(tr.language) if track else "–")),
    ]
    if stage is not None:
        blocks.append(
            kit.section(
                tr.t("check.stage", stage=stage.name.in_(tr.language), description=stage.description.in_(tr.language))
            )
        )
    blocks.append(kit.context(tr.t("check.private")))
    return blocks
