"""The use-case list (message or modal), the new-use-case modal and the status modal."""

from __future__ import annotations

from bot.domain.use_cases import Status
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.render.values import use_case_value
from bot.services.use_cases import UseCaseSummary

# Each use case takes one block; the rest of a 50-block message is header and footer.
MAX_LISTED = 40
STATUS_ICON = {
    Status.IDEA: ":bulb:",
    Status.PILOT: ":test_tube:",
    Status.ROLLED_OUT: ":white_check_mark:",
    Status.DISCARDED: ":books:",
}


def status_label(tr: Translator, status: Status) -> str:
    return tr.t(f"usecase.status.{status.value}")


def use_case_line(tr: Translator, uc: UseCaseSummary) -> str:
    parts = [f"{STATUS_ICON[uc.status]} *{kit.escape(uc.title)}* `#{uc.slug}` · {status_label(tr, uc.status)}"]
    details = [
        kit.escape(uc.department) if uc.department else tr.t("usecase.cross_department"),
        tr.t("usecase.estimate", duration=tr.duration(uc.minutes_per_week))
        if uc.minutes_per_week
        else tr.t("usecase.no_estimate"),
        tr.tn("usecase.adopters", uc.adopters),
    ]
    if uc.logged_minutes is None:
        details.append(tr.t("usecase.logged_too_few"))
    elif uc.logged_minutes:
        details.append(tr.t("usecase.logged", duration=tr.duration(uc.logged_minutes)))
    parts.append(" · ".join(details))
    if uc.learning:
        parts.append(tr.t("usecase.learning_line", learning=kit.escape(uc.learning)))
    return "\n".join(parts)


def use_case_blocks(tr: Translator, use_cases: list[UseCaseSummary], command: str) -> list[kit.Block]:
    blocks: list[kit.Block] = [kit.header(tr.t("usecase.list_title"))]
    if not use_cases:
        blocks.append(kit.section(tr.t("usecase.empty", command=command)))
    for uc in use_cases[:MAX_LISTED]:
        menu_options = [kit.option(tr.t("usecase.menu_status"), use_case_value("status", uc.id))]
        if not uc.adopted_by_me and uc.status is not Status.DISCARDED:
            menu_options.insert(0, kit.option(tr.t("usecase.menu_adopt"), use_case_value("adopt", uc.id)))
        block = kit.section(use_case_line(tr, uc) + (("\n" + tr.t("usecase.you_use_it")) if uc.adopted_by_me else ""))
        block["block_id"] = f"use_case:{uc.id}"
        block["accessory"] = {"type": "overflow", "action_id": ids.USE_CASE_MENU, "options": menu_options}
        blocks.append(block)
    if len(use_cases) > MAX_LISTED:
        blocks.append(kit.context(tr.t("usecase.more", count=len(use_cases) - MAX_LISTED)))
    blocks += [
        kit.divider(),
        kit.actions(kit.button(tr.t("usecase.new_button"), ids.OPEN_NEW_USE_CASE, style="primary")),
        kit.context(tr.t("usecase.footer", command=command)),
    ]
    return blocks


def use_case_list_modal(tr: Translator, use_cases: list[UseCaseSummary], command: str) -> dict:
    return kit.modal(
        ids.INFO_VIEW, tr.t("usecase.modal_title"), use_case_blocks(tr, use_cases, command), close=tr.t("modal.close")
    )


def status_options(tr: Translator) -> list[dict]:
    return [kit.option(status_label(tr, status), status.value) for status in Status]


def new_use_case_modal(tr: Translator, departments: list[str]) -> dict:
    blocks = [
        kit.input_block(
            ids.TITLE,
            tr.t("usecase.field_title"),
            kit.text_input(ids.TITLE, max_length=80, placeholder=tr.t("usecase.field_title_placeholder")),
        ),
        kit.input_block(
            ids.DEPARTMENT,
            tr.t("usecase.field_department"),
            kit.static_select(
                ids.DEPARTMENT, [kit.option(name, name) for name in departments], tr.t("profile.department_placeholder")
            ),
            optional=True,
            hint=tr.t("usecase.field_department_hint"),
        ),
        kit.input_block(
            ids.ESTIMATE,
            tr.t("usecase.field_estimate"),
            kit.text_input(ids.ESTIMATE, placeholder=tr.t("usecase.field_estimate_placeholder")),
            hint=tr.t("usecase.field_estimate_hint"),
        ),
        kit.input_block(
            ids.STATUS,
            tr.t("usecase.field_status"),
            kit.static_select(ids.STATUS, status_options(tr), tr.t("usecase.field_status"), initial=Status.IDEA.value),
        ),
        kit.input_block(
            ids.LEARNING,
            tr.t("usecase.field_learning"),
            kit.text_input(ids.LEARNING, max_length=200),
            optional=True,
            hint=tr.t("usecase.field_learning_hint"),
        ),
    ]
    return kit.modal(
        ids.USE_CASE_VIEW, tr.t("usecase.new_title"), blocks, submit=tr.t("modal.save"), close=tr.t("modal.cancel")
    )


def status_modal(tr: Translator, use_case_id: int, title: str, status: Status, learning: str | None) -> dict:
    blocks = [
        kit.section(tr.t("usecase.status_intro", title=kit.escape(title))),
        kit.input_block(
            ids.STATUS,
            tr.t("usecase.field_status"),
            kit.static_select(ids.STATUS, status_options(tr), tr.t("usecase.field_status"), initial=status.value),
        ),
        kit.input_block(
            ids.LEARNING,
            tr.t("usecase.field_learning"),
            kit.text_input(ids.LEARNING, max_length=200, initial=learning),
            optional=True,
            hint=tr.t("usecase.field_learning_hint"),
        ),
    ]
    return kit.modal(ids.STATUS_VIEW, tr.t("usecase.status_title"), blocks, *kit.save_or_cancel(tr), str(use_case_id))
