"""`/ki daten`: the privacy notice again, what is stored, the export files and the erasure confirmation."""

from __future__ import annotations

import json
from typing import Any

from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.render.onboarding import privacy_text
from bot.services.privacy import RetentionRun
from config.settings import Settings

# The name of each kind of stored row, by table.
KIND_LABELS = {
    "usage_logs": "privacy.kind.usage_logs",
    "assessments": "privacy.kind.assessments",
    "module_completions": "privacy.kind.module_completions",
    "buddy_enrollments": "privacy.kind.buddy_enrollments",
    "buddy_pairs": "privacy.kind.buddy_pairs",
    "buddy_checkins": "privacy.kind.buddy_checkins",
    "buddy_feedback": "privacy.kind.buddy_feedback",
    "buddy_ratings": "privacy.kind.buddy_ratings",
    "tips": "privacy.kind.tips",
    "use_cases": "privacy.kind.use_cases",
    "use_case_adoptions": "privacy.kind.use_case_adoptions",
    "use_case_status_changes": "privacy.kind.use_case_status_changes",
    "rsvps": "privacy.kind.rsvps",
    "retro_responses": "privacy.kind.retro_responses",
    "audit_log": "privacy.kind.audit_log",
    "department_memberships": "privacy.kind.department_memberships",
    "coach_usage": "privacy.kind.coach_usage",
    "inventory_answers": "privacy.kind.inventory_answers",
    "talent_profiles": "privacy.kind.talent_profiles",
    "deliveries": "privacy.kind.deliveries",
}


def kind_label(tr: Translator, table: str) -> str:
    return tr.t(KIND_LABELS[table]) if table in KIND_LABELS else table


def data_message(tr: Translator, settings: Settings, counts: dict[str, int], with_notice: bool = True) -> kit.Message:
    """`with_notice` is off when the first-contact notice is shown with it anyway."""
    lines = [f"• {kind_label(tr, table)}: {tr.number(count, 0)}" for table, count in counts.items()]
    stored = tr.t("privacy.data.stored") + "\n" + "\n".join(lines) if lines else tr.t("privacy.data.nothing")
    blocks: list[kit.Block] = [
        *(privacy_text(tr, settings) if with_notice else []),
        kit.section(stored),
        kit.section(tr.t("privacy.data.rights", months=settings.retention_months)),
        kit.actions(
            kit.button(tr.t("privacy.data.export_button"), ids.DATA_EXPORT),
            kit.button(tr.t("privacy.data.delete_button"), ids.DATA_DELETE, style="danger"),
        ),
    ]
    return kit.Message(text=tr.t("privacy.title"), blocks=blocks)


def delete_modal(tr: Translator) -> dict[str, Any]:
    return kit.modal(
        ids.DATA_DELETE_VIEW,
        tr.t("privacy.delete.title"),
        [
            kit.section(tr.t("privacy.delete.body")),
            # Typing the word, not one click: the erasure cannot be undone.
            kit.input_block(
                ids.DATA_CONFIRM,
                tr.t("privacy.delete.confirm_label"),
                kit.text_input(ids.DATA_CONFIRM, tr.t("privacy.delete.confirm_word"), max_length=20),
            ),
        ],
        submit=tr.t("privacy.delete.submit"),
        close=tr.t("modal.cancel"),
    )


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def export_markdown(tr: Translator, data: dict[str, Any]) -> str:
    """The same data, readable: one section per kind, one line per row."""
    lines = [f"# {tr.t('privacy.export.title')}", "", tr.t("privacy.export.intro", at=data["exported_at"]), ""]
    lines += [f"## {tr.t('privacy.export.profile')}", "", _row(data["member"]), ""]
    for table, rows in data["tables"].items():
        if not rows:
            continue
        lines += [f"## {kind_label(tr, table)} ({tr.number(len(rows), 0)})", ""]
        lines += [_row(row) for row in rows]
        lines.append("")
    return "\n".join(lines)


def _row(row: dict[str, Any]) -> str:
    return "- " + ", ".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in row.items())


def export_sent(tr: Translator) -> kit.Message:
    text = tr.t("privacy.export.sent")
    return kit.Message(text=text, blocks=[kit.section(text)])


def erased_message(tr: Translator, command: str) -> kit.Message:
    text = tr.t("privacy.delete.done", command=command)
    return kit.Message(text=text, blocks=[kit.section(text)])


def pairing_ended_message(tr: Translator, command: str) -> kit.Message:
    """To a buddy partner of someone who erased their data: no name, no reason."""
    text = tr.t("privacy.delete.partner", command=command)
    return kit.Message(text=text, blocks=[kit.section(text)])


def retention_message(tr: Translator, months: int, run: RetentionRun | None) -> kit.Message:
    blocks: list[kit.Block] = [
        kit.header(tr.t("privacy.admin.title")),
        kit.section(tr.t("privacy.admin.period", months=months)),
    ]
    if run is None:
        blocks.append(kit.section(tr.t("privacy.admin.never")))
    else:
        removed = run.removed
        blocks.append(
            kit.section(
                "\n".join(
                    [
                        tr.t("privacy.admin.last_run", date=tr.date(run.finished_at.date())),
                        "• " + tr.tn("privacy.admin.logs", removed.logs),
                        "• " + tr.tn("privacy.admin.notes", removed.notes),
                        "• " + tr.tn("privacy.admin.retro", removed.free_texts),
                        "• " + tr.tn("privacy.admin.members", removed.members),
                        "• " + tr.tn("privacy.admin.deliveries", removed.deliveries),
                    ]
                )
            )
        )
    return kit.Message(text=tr.t("privacy.admin.title"), blocks=blocks)
