"""Messages of the community rituals: office hours, the monthly AI update, the retrospective."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.services.rituals import EventInfo, RetroOutcome


def _when(tr: Translator, starts_at: datetime, zone: ZoneInfo, minutes: int) -> str:
    local = starts_at.astimezone(zone)
    end = local + timedelta(minutes=minutes)
    return tr.t("ritual.when", date=tr.date(local.date()), start=f"{local:%H:%M}", end=f"{end:%H:%M}")


def office_hours_post(tr: Translator, event: EventInfo, attending: int, zone: ZoneInfo) -> kit.Message:
    title = tr.t("ritual.office_hours_title")
    lines = [f":calendar: *{title}* – {_when(tr, event.starts_at, zone, event.minutes)}"]
    lines.append(tr.t("ritual.topic", topic=kit.escape(event.topic)) if event.topic else tr.t("ritual.open_topic"))
    return kit.Message(
        text=title,
        blocks=[
            kit.section("\n".join(lines)),
            kit.actions(kit.button(tr.t("ritual.rsvp"), ids.RSVP, str(event.id), style="primary")),
            kit.context(tr.tn("ritual.attending", attending)),
        ],
    )


def reminder(tr: Translator, event: EventInfo, zone: ZoneInfo, kind_title: str) -> kit.Message:
    text = tr.t("ritual.reminder", title=kind_title, when=_when(tr, event.starts_at, zone, event.minutes))
    return kit.Message(text=text, blocks=[kit.section(":alarm_clock: " + text)])


def monthly_notice(tr: Translator, event: EventInfo, zone: ZoneInfo, today: date) -> kit.Message:
    """The preparation template; usually two weeks ahead, later when an admin swapped the department."""
    text = tr.t(
        "ritual.notice",
        department=kit.escape(event.department or ""),
        when=_when(tr, event.starts_at, zone, event.minutes),
    )
    days_left = (event.starts_at.astimezone(zone).date() - today).days
    if days_left > 0:
        text += " " + tr.tn("ritual.days_to_prepare", days_left)
    return kit.Message(text=text, blocks=[kit.section(":microphone: " + text), kit.section(tr.t("ritual.template"))])


def not_presenting(tr: Translator, event: EventInfo, department: str, zone: ZoneInfo) -> kit.Message:
    text = tr.t(
        "ritual.not_presenting",
        department=kit.escape(department),
        presenting=kit.escape(event.department or "–"),
        when=_when(tr, event.starts_at, zone, event.minutes),
    )
    return kit.Message(text=text, blocks=[kit.section(text)])


def monthly_post(tr: Translator, event: EventInfo, attending: int, zone: ZoneInfo) -> kit.Message:
    title = tr.t("ritual.monthly_title")
    lines = [f":calendar: *{title}* – {_when(tr, event.starts_at, zone, event.minutes)}"]
    if event.department:
        lines.append(tr.t("ritual.presenting", department=kit.escape(event.department)))
    return kit.Message(
        text=title,
        blocks=[
            kit.section("\n".join(lines)),
            kit.actions(kit.button(tr.t("ritual.rsvp"), ids.RSVP, str(event.id), style="primary")),
            kit.context(tr.tn("ritual.attending", attending) + " · " + tr.t("ritual.ics_hint")),
        ],
    )


def summary_request(tr: Translator, event: EventInfo) -> kit.Message:
    text = tr.t("ritual.summary_request")
    return kit.Message(
        text=text,
        blocks=[
            kit.section(text),
            kit.actions(kit.button(tr.t("ritual.summary_button"), ids.SUMMARY_OPEN, str(event.id), style="primary")),
        ],
    )


def summary_modal(tr: Translator, event: EventInfo) -> dict:
    blocks = [
        kit.input_block(ids.SUMMARY, tr.t("ritual.summary_field"), kit.text_input(ids.SUMMARY, max_length=300)),
        kit.input_block(
            ids.SUMMARY_LINK,
            tr.t("ritual.link_field"),
            kit.text_input(ids.SUMMARY_LINK, max_length=300, placeholder="https://…"),
            optional=True,
        ),
    ]
    return kit.modal(ids.SUMMARY_VIEW, tr.t("ritual.summary_title"), blocks, *kit.save_or_cancel(tr), str(event.id))


def summary_post(tr: Translator, event: EventInfo) -> kit.Message:
    text = tr.t(
        "ritual.summary_post", department=kit.escape(event.department or ""), summary=kit.escape(event.summary or "")
    )
    if event.summary_link:
        text += "\n" + kit.link(event.summary_link, tr.t("ritual.more"))
    return kit.Message(text=tr.t("ritual.monthly_title"), blocks=[kit.section(":sparkles: " + text)])


def quarter_label(tr: Translator, quarter: str) -> str:
    """The stored key `2026-Q4` as people read it: "Q4 2026"."""
    year, _, number = quarter.partition("-Q")
    return tr.quarter(int(year), int(number))


def retro_invite(tr: Translator, quarter: str) -> kit.Message:
    text = tr.t("retro.invite", quarter=quarter_label(tr, quarter))
    return kit.Message(
        text=text,
        blocks=[
            kit.section(text),
            kit.actions(kit.button(tr.t("retro.button"), ids.RETRO_OPEN, quarter, style="primary")),
        ],
    )


def retro_modal(tr: Translator, quarter: str) -> dict:
    ratings = [kit.option(str(n), str(n)) for n in range(1, 6)]
    blocks = [
        kit.context(tr.t("retro.anonymous")),
        kit.input_block(
            ids.RETRO_WORKS,
            tr.t("retro.works"),
            kit.text_input(ids.RETRO_WORKS, multiline=True, max_length=500),
            optional=True,
        ),
        kit.input_block(
            ids.RETRO_BLOCKS,
            tr.t("retro.blocks"),
            kit.text_input(ids.RETRO_BLOCKS, multiline=True, max_length=500),
            optional=True,
        ),
        kit.input_block(
            ids.RETRO_NEEDS,
            tr.t("retro.needs"),
            kit.text_input(ids.RETRO_NEEDS, multiline=True, max_length=500),
            optional=True,
        ),
        kit.input_block(ids.RETRO_RATING, tr.t("retro.rating"), kit.radio_buttons(ids.RETRO_RATING, ratings)),
    ]
    return kit.modal(ids.RETRO_VIEW, tr.t("retro.title"), blocks, *kit.save_or_cancel(tr, "retro.submit"), quarter)


def retro_results_message(tr: Translator, outcome: RetroOutcome, minimum: int) -> kit.Message:
    title = tr.t("retro.results_title", quarter=quarter_label(tr, outcome.quarter))
    results = outcome.results
    if not outcome.closed:
        last_day = outcome.opens_on - timedelta(days=1)
        text = tr.tn("retro.pending", outcome.responses, until=tr.date(last_day), opens=tr.date(outcome.opens_on))
        return kit.Message(text=title, blocks=[kit.header(title), kit.section(text)])
    if results is None:
        text = tr.tn("retro.too_few", outcome.responses, minimum=minimum)
        return kit.Message(text=title, blocks=[kit.header(title), kit.section(text)])
    blocks: list[kit.Block] = [
        kit.header(title),
        kit.fields(
            tr.t("retro.responses", count=results.responses),
            tr.t(
                "retro.average",
                average=tr.number(results.average, 1),
                spread=" · ".join(f"{n}: {results.ratings[n]}" for n in range(1, 6)),
            ),
        ),
    ]
    for key, answers in (
        ("retro.works", results.works),
        ("retro.blocks", results.blocks),
        ("retro.needs", results.needs),
    ):
        if answers:
            listed = "\n".join(f"• {kit.escape(answer)}" for answer in answers[:30])
            blocks.append(kit.section(f"*{tr.t(key)}*\n{listed}"))
    blocks.append(kit.context(tr.t("retro.no_names")))
    return kit.Message(text=title, blocks=blocks)
