"""Messages of the buddy programme: status, intro, weekly check-in, end-of-programme question."""

from __future__ import annotations

from datetime import date
from functools import partial

from bot.domain.buddies import Answer, DecisionState, FeedbackChoice, Role
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.render.values import checkin_value, feedback_value
from bot.services.buddies import MAX_COMMENT, BuddyStatus, Decision, PairInfo


def status_message(
    tr: Translator, status: BuddyStatus, next_checkin: date | None, command: str, weeks: int
) -> kit.Message:
    title = tr.t("buddy.title")
    blocks: list[kit.Block] = [kit.header(title)]
    if status.role is None:
        blocks += [
            kit.section(tr.t("buddy.intro_not_enrolled", weeks=weeks)),
            kit.actions(
                kit.button(tr.t("buddy.join_mentee"), ids.BUDDY_JOIN, Role.MENTEE.value, style="primary"),
                kit.button(tr.t("buddy.join_mentor"), ids.BUDDY_JOIN, Role.MENTOR.value),
            ),
        ]
        return kit.Message(text=title, blocks=blocks)
    role = tr.t(f"buddy.role.{status.role}")
    lines = [tr.t("buddy.enrolled_as", role=role)]
    if status.role == Role.MENTOR:
        mentees = sum(1 for pair, _ in status.partners if pair.mentoring)
        lines.append(tr.tn("buddy.capacity", status.capacity, taken=mentees))
    for pair, partners in status.partners:
        users = ", ".join(f"<@{partner}>" for partner in partners)
        key = "buddy.partner" if pair.mentoring else "buddy.peers"
        lines.append(tr.t(key, user=users, until=tr.date(pair.ends_on)))
    if status.waiting:
        lines.append(tr.t("buddy.waiting"))
    if status.partners:
        lines.append(tr.t("buddy.streak", weeks=tr.tn("stats.weeks_in_a_row", status.streak_weeks)))
        if next_checkin is not None:
            lines.append(tr.t("buddy.next_checkin", date=tr.date(next_checkin)))
    if status.paused_until is not None:
        lines.append(tr.t("buddy.paused_until", date=tr.date(status.paused_until)))
    blocks += [kit.section("\n".join(lines)), kit.context(tr.t("buddy.footer", command=command))]
    return kit.Message(text=title, blocks=blocks)


def joined_mentor_message(tr: Translator, capacity: int, invite_to_self_check: bool) -> kit.Message:
    """Thanks; without a self-check the mentor takes beginners and people of unknown level, and is told
    that two minutes of self-check widen that."""
    text = tr.tn("buddy.joined_mentor", capacity)
    blocks: list[kit.Block] = [kit.section(text)]
    if invite_to_self_check:
        blocks += [
            kit.section(tr.t("buddy.mentor_self_check")),
            kit.actions(kit.button(tr.t("buddy.mentor_self_check_button"), ids.OPEN_CHECK, style="primary")),
        ]
    return kit.Message(text=text, blocks=blocks)


def intro_message(
    tr: Translator, mentor: str, mentee: str, pair: PairInfo, checkin_weekday: int, weeks: int
) -> kit.Message:
    text = tr.t("buddy.intro_title", mentor=f"<@{mentor}>", mentee=f"<@{mentee}>")
    return kit.Message(
        text=text,
        blocks=[
            kit.section(":wave: " + text),
            kit.section(tr.t("buddy.intro_agenda", day=tr.weekday(checkin_weekday), weeks=weeks)),
            kit.context(tr.t("buddy.intro_footer", until=tr.date(pair.ends_on))),
        ],
    )


def peer_intro_message(tr: Translator, users: tuple[str, ...], pair: PairInfo, checkin_weekday: int) -> kit.Message:
    """Learning partners: who they are, that it is a peer pairing, and that they keep waiting for a mentor."""
    text = tr.t("buddy.peer_intro_title", users=", ".join(f"<@{user}>" for user in users))
    return kit.Message(
        text=text,
        blocks=[
            kit.section(":wave: " + text),
            kit.section(tr.t("buddy.peer_intro_body")),
            kit.section(tr.t("buddy.peer_intro_agenda", day=tr.weekday(checkin_weekday))),
            kit.context(tr.t("buddy.intro_footer", until=tr.date(pair.ends_on))),
        ],
    )


def waiting_message(tr: Translator) -> kit.Message:
    text = tr.t("buddy.waiting_dm")
    return kit.Message(text=text, blocks=[kit.section(text)])


def checkin_message(tr: Translator, pair_id: int, week: date) -> kit.Message:
    text = tr.t("buddy.checkin_question")
    answer = partial(checkin_value, pair_id, week)
    return kit.Message(
        text=text,
        blocks=[
            kit.section(text),
            kit.actions(
                kit.button(answer_label(tr, Answer.YES), ids.CHECKIN_ANSWER, answer(Answer.YES), style="primary"),
                kit.button(answer_label(tr, Answer.NOT_THIS_WEEK), ids.CHECKIN_ANSWER, answer(Answer.NOT_THIS_WEEK)),
                kit.button(answer_label(tr, Answer.PAUSE), ids.CHECKIN_ANSWER, answer(Answer.PAUSE)),
            ),
            kit.context(tr.t("buddy.checkin_note_hint")),
        ],
    )


def answer_label(tr: Translator, answer: Answer) -> str:
    return tr.t(f"buddy.answer.{answer.value}")


def checkin_answered(tr: Translator, answer: Answer, user: str, paused_until: date | None = None) -> kit.Message:
    text = tr.t("buddy.checkin_answered", answer=answer_label(tr, answer), user=f"<@{user}>")
    if paused_until is not None:
        text += " " + tr.t("buddy.checkin_paused_until", date=tr.date(paused_until))
    return kit.Message(
        text=text, blocks=[kit.section(tr.t("buddy.checkin_question")), kit.context(":white_check_mark: " + text)]
    )


def feedback_message(tr: Translator, pair_id: int, weeks: int) -> kit.Message:
    return decision_message(tr, pair_id, weeks, Decision(DecisionState.OPEN, [], date.min))


def decision_message(tr: Translator, pair_id: int, weeks: int, decision: Decision) -> kit.Message:
    """The end-of-programme question with what each person chose so far. The buttons stay until everyone
    answered or someone ended it; an ended programme asks everyone for feedback instead."""
    text = tr.t("buddy.feedback_question", weeks=weeks)
    blocks: list[kit.Block] = [kit.section(text)]
    labels = {
        FeedbackChoice.EXTEND: tr.t("buddy.feedback_extend", weeks=weeks),
        FeedbackChoice.END: tr.t("buddy.feedback_end"),
        None: tr.t("buddy.feedback_pending"),
    }
    chosen = [
        tr.t("buddy.feedback_choice", user=f"<@{user}>", choice=labels[choice]) for user, choice in decision.choices
    ]
    if chosen:
        blocks.append(kit.section("\n".join(chosen)))
    if decision.state is DecisionState.OPEN:
        blocks.append(
            kit.actions(
                kit.button(
                    tr.t("buddy.feedback_extend", weeks=weeks),
                    ids.FEEDBACK_DECISION,
                    feedback_value(pair_id, FeedbackChoice.EXTEND),
                    style="primary",
                ),
                kit.button(
                    tr.t("buddy.feedback_end"), ids.FEEDBACK_DECISION, feedback_value(pair_id, FeedbackChoice.END)
                ),
            )
        )
    elif decision.state is DecisionState.EXTENDED:
        blocks.append(kit.section(tr.t("buddy.feedback_extended", until=tr.date(decision.ends_on))))
    else:
        blocks += rating_request(tr, pair_id, tr.t("buddy.feedback_ended"))
    return kit.Message(text=text, blocks=blocks)


def rating_request(tr: Translator, pair_id: int, lead: str) -> list[kit.Block]:
    return [
        kit.section(lead + " " + tr.t("buddy.rating_ask")),
        kit.actions(kit.button(tr.t("buddy.rating_button"), ids.RATING_OPEN, str(pair_id), style="primary")),
    ]


def left_message(tr: Translator, ended: list[tuple[int, list[str]]]) -> kit.Message:
    """The reply to leaving: which programmes ended, each with its feedback button."""
    text = tr.t("buddy.left") + (" " + tr.tn("buddy.pairs_ended", len(ended)) if ended else "")
    blocks: list[kit.Block] = [kit.section(text)]
    for pair_id, partners in ended:
        users = ", ".join(f"<@{user}>" for user in partners)
        blocks += rating_request(tr, pair_id, tr.t("buddy.left_rating", users=users))
    return kit.Message(text=text, blocks=blocks)


def partner_left_message(tr: Translator, pair_id: int, user: str) -> kit.Message:
    text = tr.t("buddy.partner_left", user=f"<@{user}>")
    return kit.Message(text=text, blocks=rating_request(tr, pair_id, text))


def rating_modal(tr: Translator, pair_id: int) -> dict:
    ratings = [kit.option(str(n), str(n)) for n in range(1, 6)]
    blocks = [
        kit.context(tr.t("buddy.rating_anonymous")),
        kit.input_block(ids.RATING, tr.t("buddy.rating_label"), kit.radio_buttons(ids.RATING, ratings)),
        kit.input_block(
            ids.NOTE,
            tr.t("buddy.rating_line"),
            kit.text_input(ids.NOTE, max_length=MAX_COMMENT),
            optional=True,
            hint=tr.t("logmodal.note_hint"),
        ),
    ]
    title = tr.t("buddy.rating_title")
    return kit.modal(ids.RATING_VIEW, title, blocks, *kit.save_or_cancel(tr, "buddy.rating_submit"), str(pair_id))


def waiting_list_message(tr: Translator, users: list[str], pairs: int, peer_groups: list[list[str]]) -> kit.Message:
    """For admins: who waits for a mentor, how many pairs run, and the learning partners apart."""
    title = tr.tn("buddy.admin_waiting", len(users))
    lines = ", ".join(f"<@{user}>" for user in users[:100])
    blocks = [
        kit.section(f"*{title}*" + (f"\n{lines}" if lines else "")),
        kit.section(tr.tn("buddy.admin_pairs", pairs)),
    ]
    groups = "\n".join(" + ".join(f"<@{user}>" for user in group) for group in peer_groups[:50])
    blocks.append(kit.section(f"*{tr.tn('buddy.admin_peers', len(peer_groups))}*" + (f"\n{groups}" if groups else "")))
    return kit.Message(text=title, blocks=blocks)
