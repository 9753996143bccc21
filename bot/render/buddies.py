"""Messages of the buddy programme: status, intro, weekly check-in, end-of-programme question."""

from __future__ import annotations

from datetime import date

from bot.domain.buddies import Answer, Role
from bot.i18n import Translator
from bot.models import BuddyPair
from bot.render import ids
from bot.render.blocks import Block, Message, actions, button, context, header, section
from bot.services.buddies import BuddyStatus


def status_message(tr: Translator, status: BuddyStatus, next_checkin: date | None, command: str, weeks: int) -> Message:
    title = tr.t("buddy.title")
    blocks: list[Block] = [header(title)]
    if status.enrollment is None:
        blocks += [
            section(tr.t("buddy.intro_not_enrolled", weeks=weeks)),
            actions(
                button(tr.t("buddy.join_mentee"), ids.BUDDY_JOIN, Role.MENTEE.value, style="primary"),
                button(tr.t("buddy.join_mentor"), ids.BUDDY_JOIN, Role.MENTOR.value),
            ),
        ]
        return Message(text=title, blocks=blocks)
    role = tr.t(f"buddy.role.{status.enrollment.role}")
    lines = [tr.t("buddy.enrolled_as", role=role)]
    if status.enrollment.role == Role.MENTOR.value:
        lines.append(tr.tn("buddy.capacity", status.enrollment.capacity, taken=len(status.partners)))
    for pair, partner in status.partners:
        lines.append(tr.t("buddy.partner", user=f"<@{partner}>", until=tr.date(pair.ends_on)))
    if status.waiting:
        lines.append(tr.t("buddy.waiting"))
    if status.partners:
        lines.append(tr.t("buddy.streak", weeks=tr.tn("stats.weeks_in_a_row", status.streak_weeks)))
        if next_checkin is not None:
            lines.append(tr.t("buddy.next_checkin", date=tr.date(next_checkin)))
    if status.paused_until is not None:
        lines.append(tr.t("buddy.paused_until", date=tr.date(status.paused_until)))
    blocks += [section("\n".join(lines)), context(tr.t("buddy.footer", command=command))]
    return Message(text=title, blocks=blocks)


def joined_mentor_message(tr: Translator, capacity: int, invite_to_self_check: bool) -> Message:
    """Thanks; without a self-check the mentor takes beginners and people of unknown level, and is told
    that two minutes of self-check widen that."""
    text = tr.tn("buddy.joined_mentor", capacity)
    blocks: list[Block] = [section(text)]
    if invite_to_self_check:
        blocks += [
            section(tr.t("buddy.mentor_self_check")),
            actions(button(tr.t("buddy.mentor_self_check_button"), ids.OPEN_CHECK, style="primary")),
        ]
    return Message(text=text, blocks=blocks)


def intro_message(
    tr: Translator, mentor: str, mentee: str, pair: BuddyPair, checkin_weekday: int, weeks: int
) -> Message:
    text = tr.t("buddy.intro_title", mentor=f"<@{mentor}>", mentee=f"<@{mentee}>")
    return Message(
        text=text,
        blocks=[
            section(":wave: " + text),
            section(tr.t("buddy.intro_agenda", day=tr.weekday(checkin_weekday), weeks=weeks)),
            context(tr.t("buddy.intro_footer", until=tr.date(pair.ends_on))),
        ],
    )


def waiting_message(tr: Translator) -> Message:
    text = tr.t("buddy.waiting_dm")
    return Message(text=text, blocks=[section(text)])


def checkin_message(tr: Translator, pair_id: int, week: date) -> Message:
    text = tr.t("buddy.checkin_question")
    value = f"{pair_id}:{week.isoformat()}:"
    return Message(
        text=text,
        blocks=[
            section(text),
            actions(
                button(tr.t("buddy.answer.ja"), ids.CHECKIN_ANSWER, value + Answer.YES.value, style="primary"),
                button(tr.t("buddy.answer.nein"), ids.CHECKIN_ANSWER, value + Answer.NOT_THIS_WEEK.value),
                button(tr.t("buddy.answer.pause"), ids.CHECKIN_ANSWER, value + Answer.PAUSE.value),
            ),
            context(tr.t("buddy.checkin_note_hint")),
        ],
    )


def checkin_answered(tr: Translator, answer: str, user: str, paused_until: date | None = None) -> Message:
    text = tr.t("buddy.checkin_answered", answer=tr.t(f"buddy.answer.{answer}"), user=f"<@{user}>")
    if paused_until is not None:
        text += " " + tr.t("buddy.checkin_paused_until", date=tr.date(paused_until))
    return Message(text=text, blocks=[section(tr.t("buddy.checkin_question")), context(":white_check_mark: " + text)])


def feedback_message(tr: Translator, pair_id: int, weeks: int) -> Message:
    text = tr.t("buddy.feedback_question", weeks=weeks)
    return Message(
        text=text,
        blocks=[
            section(text),
            actions(
                button(
                    tr.t("buddy.feedback_extend", weeks=weeks),
                    ids.FEEDBACK_DECISION,
                    f"{pair_id}:extend",
                    style="primary",
                ),
                button(tr.t("buddy.feedback_end"), ids.FEEDBACK_DECISION, f"{pair_id}:end"),
            ),
        ],
    )


def waiting_list_message(tr: Translator, users: list[str]) -> Message:
    title = tr.tn("buddy.admin_waiting", len(users))
    lines = ", ".join(f"<@{user}>" for user in users[:100])
    return Message(text=title, blocks=[section(f"*{title}*" + (f"\n{lines}" if lines else ""))])
