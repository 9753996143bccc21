"""The learning path and the congratulation on a new career stage."""

from __future__ import annotations

from bot.domain.curriculum import CareerStage, Curriculum
from bot.i18n import Translator
from bot.render import ids
from bot.render.blocks import Block, Message, actions, button, context, header, section
from bot.services.learning import PathProgress


def path_blocks(
    tr: Translator, curriculum: Curriculum, progress: PathProgress, stage: CareerStage | None, command: str
) -> list[Block]:
    blocks: list[Block] = [header(tr.t("path.title"))]
    if progress.track is None:
        blocks.append(section(tr.t("path.no_track")))
        blocks.append(
            actions(
                *(button(track.name.in_(tr.language), ids.CHOOSE_TRACK, track.key) for track in curriculum.tracks),
                button(tr.t("path.take_check"), ids.OPEN_CHECK),
            )
        )
        return blocks
    lines = [
        (":white_check_mark: " if module.key in progress.done else ":white_circle: ") + module.title.in_(tr.language)
        for module in progress.track.modules
    ]
    blocks.append(
        section(
            tr.t(
                "path.track", track=progress.track.name.in_(tr.language), done=progress.completed, total=progress.total
            )
            + "\n"
            + "\n".join(lines)
        )
    )
    if progress.next_module is not None:
        blocks.append(section(tr.t("path.next", module=progress.next_module.title.in_(tr.language))))
        blocks.append(
            actions(button(tr.t("path.mark_done"), ids.COMPLETE_MODULE, progress.next_module.key, style="primary"))
        )
    else:
        blocks.append(section(tr.t("path.all_done")))
    if stage is not None:
        blocks.append(context(tr.t("path.stage", stage=stage.name.in_(tr.language))))
    blocks.append(context(tr.t("path.footer", command=command)))
    return blocks


def promotion_message(tr: Translator, stage: CareerStage) -> Message:
    text = tr.t("stage.congrats", stage=stage.name.in_(tr.language))
    return Message(text=text, blocks=[section(":tada: " + text), context(stage.description.in_(tr.language))])
