"""The learning path and the congratulation on a new career stage."""

from __future__ import annotations

from bot.domain.curriculum import CareerStage, Curriculum, Module
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.services.learning import PathProgress


def path_blocks(
    tr: Translator,
    curriculum: Curriculum,
    progress: PathProgress,
    stage: CareerStage | None,
    command: str,
    changed: tuple[Module, bool] | None = None,
    *,
    coach_enabled: bool = False,
) -> list[kit.Block]:
    """The track with its modules; a done module can be taken back ("Nicht erledigt"). `changed` is the
    module just marked done (True, with "Rückgängig") or open again (False). With the prompt coach on, an open
    module that it completes says how far the person is."""
    blocks: list[kit.Block] = [kit.header(tr.t("path.title"))]
    if progress.track is None:
        blocks.append(kit.section(tr.t("path.no_track")))
        blocks.append(
            kit.actions(
                *(kit.button(track.name.in_(tr.language), ids.CHOOSE_TRACK, track.key) for track in curriculum.tracks),
                kit.button(tr.t("path.take_check"), ids.OPEN_CHECK),
            )
        )
        return blocks
    if changed is not None:
        module, done = changed
        title = module.title.in_(tr.language)
        if done:
            blocks.append(kit.section(tr.t("path.marked_done", module=title)))
            blocks.append(kit.actions(kit.button(tr.t("path.undo"), ids.REOPEN_MODULE, module.key)))
        else:
            blocks.append(kit.section(tr.t("path.reopened", module=title)))
    blocks.append(
        kit.section(
            tr.t(
                "path.track", track=progress.track.name.in_(tr.language), done=progress.completed, total=progress.total
            )
        )
    )
    for module in progress.track.modules:
        title = module.title.in_(tr.language)
        if module.key in progress.done:
            line = kit.section(":white_check_mark: " + title)
            line["accessory"] = kit.button(tr.t("path.mark_open"), ids.REOPEN_MODULE, module.key)
            blocks.append(line)
        elif coach_enabled and module.coached_prompts:
            progress_text = tr.t(
                "path.coached_prompts",
                done=min(progress.coached_prompts, module.coached_prompts),
                total=module.coached_prompts,
                command=command,
            )
            blocks.append(kit.section(f":white_circle: {title}\n{progress_text}"))
        else:
            blocks.append(kit.section(":white_circle: " + title))
    if progress.next_module is not None:
        blocks.append(kit.section(tr.t("path.next", module=progress.next_module.title.in_(tr.language))))
        blocks.append(
            kit.actions(
                kit.button(tr.t("path.mark_done"), ids.COMPLETE_MODULE, progress.next_module.key, style="primary")
            )
        )
    else:
        blocks.append(kit.section(tr.t("path.all_done")))
    if stage is not None:
        blocks.append(kit.context(tr.t("path.stage", stage=stage.name.in_(tr.language))))
    blocks.append(kit.context(tr.t("path.footer", command=command)))
    return blocks


def stage_announcement(tr: Translator, user_id: str, stage: CareerStage) -> kit.Message:
    """To the community channel, for a person who chose to have a new stage announced."""
    text = tr.t("stage.announcement", user=f"<@{user_id}>", stage=stage.name.in_(tr.language))
    return kit.Message(text=text, blocks=[kit.section(":tada: " + text)])


def promotion_message(tr: Translator, stage: CareerStage) -> kit.Message:
    text = tr.t("stage.congrats", stage=stage.name.in_(tr.language))
    return kit.Message(
        text=text, blocks=[kit.section(":tada: " + text), kit.context(stage.description.in_(tr.language))]
    )
