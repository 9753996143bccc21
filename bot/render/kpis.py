"""KPIs as people see them: the team leaderboard (weekly post and `/ki top`) and the admins' panel.
Only groups the KPI service produced are shown, so no group below the minimum size ever appears."""

from __future__ import annotations

from bot.domain.rituals import RitualKind
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render.use_cases import status_label
from bot.services.kpis import (
    MIN_DAYS_FOR_ROI,
    NO_TEAM,
    OTHER_TEAMS,
    BuddyFeedbackSummary,
    GroupKpis,
    Highlights,
    Leaderboard,
    Period,
    Ranked,
    WorkspaceKpis,
)
from bot.services.tips import PostedTip
from config.settings import Settings

# How much of a featured tip the weekly post quotes.
MAX_FEATURED_TIP = 600


def group_label(tr: Translator, key: str) -> str:
    if key == NO_TEAM:
        return tr.t("kpi.no_team")
    if key == OTHER_TEAMS:
        return tr.t("kpi.other_teams")
    return kit.escape(key)


def period_label(tr: Translator, period: Period) -> str:
    if period.kind == "week":
        return tr.t(
            "kpi.period_week",
            week=period.start.isocalendar().week,
            start=tr.date(period.start),
            end=tr.date(period.end),
        )
    if period.kind == "quarter":
        return tr.t("kpi.period_quarter", quarter=(period.start.month - 1) // 3 + 1, year=period.start.year)
    return tr.t("kpi.period_month", start=tr.date(period.start), end=tr.date(period.end))


def group_lines(tr: Translator, groups: list[GroupKpis], by_adoption: bool = True) -> str:
    """Numbered lines "1. Vertrieb – 33 % aktiv · 0,2 Std./Person", by adoption (or hours) first."""

    def key(group: GroupKpis) -> tuple[float, float, str]:
        first, second = (
            (group.adoption_rate, group.hours_per_member)
            if by_adoption
            else (group.hours_per_member, group.adoption_rate)
        )
        return (-first, -second, group.key)

    return "\n".join(
        tr.t(
            "kpi.rank_line",
            place=place,
            group=group_label(tr, group.key),
            rate=tr.percent(group.adoption_rate),
            hours=tr.number(group.hours_per_member),
        )
        for place, group in enumerate(sorted(groups, key=key), start=1)
    )


def leaderboard_message(
    tr: Translator, board: Leaderboard, settings: Settings, featured: PostedTip | None = None
) -> kit.Message:
    """The weekly post (with the week's most helpful tip, when the community reacted to one) or `/ki top`."""
    message = leaderboard(
        tr, board.kpis, board.highlights, board.ranked, settings.min_group_size, settings.slash_command
    )
    if featured is not None:
        # Above the footer, where the post has one.
        ends_with_footer = message.blocks[-1]["type"] == "context"
        message.blocks.insert(len(message.blocks) - ends_with_footer, featured_tip(tr, featured))
    return message


def featured_tip(tr: Translator, tip: PostedTip) -> kit.Block:
    author = tr.t("kpi.featured_anonymous") if tip.anonymous else f"<@{tip.author_user_id}>"
    quoted = "\n".join("> " + line for line in kit.escape(kit.shorten(tip.text, MAX_FEATURED_TIP)).splitlines())
    return kit.section(f"{tr.t('kpi.featured_tip')}\n{quoted}\n— {author}")


def figures_opening(tr: Translator, kpis: WorkspaceKpis, title_key: str, header_key: str, minimum: int) -> kit.Message:
    """The header and period of a post of figures; for a group below the minimum, the line that says so, and
    nothing more may follow."""
    blocks: list[kit.Block] = [kit.header(tr.t(header_key)), kit.context(period_label(tr, kpis.period))]
    if not kpis.shown:
        blocks.append(kit.section(tr.t("kpi.too_few", minimum=minimum)))
    return kit.Message(text=tr.t(title_key, period=period_label(tr, kpis.period)), blocks=blocks)


def leaderboard(
    tr: Translator, kpis: WorkspaceKpis, news: Highlights, ranked: list[Ranked], minimum: int, command: str
) -> kit.Message:
    """Sections without content are left out; a period with nothing at all gets one encouraging line."""
    opening = figures_opening(tr, kpis, "kpi.leaderboard_title", "kpi.leaderboard_header", minimum)
    if not kpis.shown:
        return opening
    title, blocks = opening.text, opening.blocks
    if kpis.active_members:
        blocks += [
            kit.section(
                tr.t(
                    "kpi.summary",
                    rate=tr.percent(kpis.adoption_rate),
                    hours=tr.number(kpis.hours),
                    per_member=tr.number(kpis.hours_per_member),
                )
            ),
            kit.section(tr.t("kpi.by_adoption") + "\n" + group_lines(tr, kpis.groups, by_adoption=True)),
            kit.section(tr.t("kpi.by_hours") + "\n" + group_lines(tr, kpis.groups, by_adoption=False)),
        ]
    if ranked:
        people = "\n".join(
            tr.t("kpi.person_line", place=n, user=f"<@{r.user_id}>", duration=tr.duration(r.minutes))
            for n, r in enumerate(ranked, start=1)
        )
        blocks.append(kit.section(tr.t("kpi.people") + "\n" + people))
    lines = []
    if news.new_use_cases:
        lines.append(tr.t("kpi.new_use_cases", titles=", ".join(kit.escape(t) for t in news.new_use_cases)))
    if news.rolled_out:
        lines.append(tr.t("kpi.rolled_out", titles=", ".join(kit.escape(t) for t in news.rolled_out)))
    for title_text, learning in news.learnings:
        lines.append(tr.t("kpi.learning", title=kit.escape(title_text), learning=kit.escape(learning)))
    if news.tips:
        lines.append(tr.tn("kpi.tips", news.tips))
    if not kpis.active_members and not lines:
        blocks.append(kit.section(tr.t("kpi.quiet", command=command)))
        return kit.Message(text=title, blocks=blocks)
    if lines:
        blocks += (
            [kit.divider(), kit.section("\n".join(lines))] if kpis.active_members else [kit.section("\n".join(lines))]
        )
    footer = [tr.t("kpi.footer", minimum=minimum, command=command), *pooling_note(tr, kpis, minimum)]
    blocks.append(kit.context(" ".join(footer)))
    return kit.Message(text=title, blocks=blocks)


def pooling_note(tr: Translator, kpis: WorkspaceKpis, minimum: int) -> list[str]:
    """Why a department that is big enough can still be under "Weitere Teams" (empty when none is)."""
    if not kpis.pooled_large:
        return []
    return [tr.tn("kpi.pooled_large", kpis.pooled_large, minimum=tr.number(minimum))]


def trend(tr: Translator, now: float, before: float | None, digits: int, unit_key: str) -> str:
    """▲/▼ against last month in the figure's unit, at the precision the figure is shown with: two figures
    that read the same have no trend. Without last month's figure (`before` None: too few people then) there
    is no trend either: the difference would give away the figure that could not be shown."""
    if before is None:
        return tr.t("kpi.trend_none")
    delta = round(round(now, digits) - round(before, digits), digits)
    if delta == 0:
        return tr.t("kpi.trend_same")
    arrow = "▲" if delta > 0 else "▼"
    return tr.t("kpi.trend", arrow=arrow, amount=tr.number(abs(delta), digits), unit=tr.t(unit_key))


def monthly_report(
    tr: Translator,
    kpis: WorkspaceKpis,
    previous: WorkspaceKpis,
    maturity: dict[str, dict[int, int]],
    minimum: int,
    buddy_feedback: BuddyFeedbackSummary,
) -> kit.Message:
    opening = figures_opening(tr, kpis, "report.title", "report.header", minimum)
    if not kpis.shown:
        return opening
    title, blocks = opening.text, opening.blocks

    def before(value: float) -> float | None:
        return value if previous.shown else None

    status_counts = ", ".join(
        f"{status_label(tr, status)}: {count}" for status, count in kpis.new_use_cases.items() if count
    )
    checkins = tr.percent(kpis.checkin_rate) if kpis.checkin_rate is not None else "–"
    blocks += [
        kit.fields(
            tr.t(
                "report.adoption",
                value=tr.percent(kpis.adoption_rate),
                active=kpis.active_members,
                members=kpis.members,
                # The rate is shown as a whole percentage: the trend is in whole points.
                trend=trend(tr, kpis.adoption_rate * 100, before(previous.adoption_rate * 100), 0, "kpi.unit_points"),
            ),
            tr.t(
                "report.hours",
                value=tr.number(kpis.hours),
                per_member=tr.number(kpis.hours_per_member),
                euros=tr.money(kpis.euros),
                trend=trend(tr, kpis.hours, before(previous.hours), 1, "kpi.unit_hours"),
            ),
            tr.t(
                "report.use_cases",
                new=sum(kpis.new_use_cases.values()),
                by_status=status_counts or "–",
                adoptions=kpis.adoptions,
            ),
            tr.t(
                "report.knowledge",
                held=kpis.checkins_held,
                due=kpis.checkins_due,
                rate=checkins,
                tips=tr.tn("report.tips", kpis.tips),
                office_hours=kpis.rsvps[RitualKind.OFFICE_HOURS],
                monthly_update=kpis.rsvps[RitualKind.MONTHLY_UPDATE],
            ),
            tr.t(
                "report.innovation",
                value=tr.number(kpis.innovation_rate, 2),
                rolled_out=kpis.rolled_out,
                trend=trend(tr, kpis.innovation_rate, before(previous.innovation_rate), 2, "kpi.unit_per_ten"),
            ),
            roi_field(tr, kpis),
        ),
        kit.section(tr.t("report.groups") + "\n" + group_lines(tr, kpis.groups)),
    ]
    if maturity:
        lines = [
            tr.t("report.maturity_line", group=group_label(tr, key), one=levels[1], two=levels[2], three=levels[3])
            for key, levels in sorted(maturity.items())
        ]
        blocks.append(kit.section(tr.t("report.maturity") + "\n" + "\n".join(lines)))
    if buddy_feedback.running:
        blocks.append(kit.section(tr.t("report.buddy_feedback_later")))
    elif buddy_feedback.average is None:
        blocks.append(kit.section(tr.t("report.buddy_feedback_too_few", minimum=minimum)))
    else:
        average = tr.number(buddy_feedback.average)
        blocks.append(kit.section(tr.tn("report.buddy_feedback", buddy_feedback.answers, average=average)))
    blocks.append(kit.context(" ".join([tr.t("report.footer", minimum=minimum), *pooling_note(tr, kpis, minimum)])))
    return kit.Message(text=title, blocks=blocks)


def roi_field(tr: Translator, kpis: WorkspaceKpis) -> str:
    if kpis.roi is None or kpis.annual_value_eur is None:
        return tr.tn("report.roi_too_early", MIN_DAYS_FOR_ROI, investment=tr.money(kpis.investment_eur))
    return tr.t(
        "report.roi",
        roi=tr.percent(kpis.roi),
        value=tr.money(kpis.annual_value_eur),
        investment=tr.money(kpis.investment_eur),
    )


def admin_panel(tr: Translator, kpis: WorkspaceKpis, minimum: int) -> list[kit.Block]:
    """The admins' KPI panel on App Home: this month so far, aggregates only."""
    blocks: list[kit.Block] = [
        kit.divider(),
        kit.header(tr.t("panel.title")),
        kit.context(period_label(tr, kpis.period)),
    ]
    if not kpis.shown:
        return [*blocks, kit.section(tr.t("kpi.too_few", minimum=minimum))]
    blocks.append(
        kit.fields(
            tr.t("panel.adoption", value=tr.percent(kpis.adoption_rate)),
            tr.t("panel.hours", value=tr.number(kpis.hours), euros=tr.money(kpis.euros)),
            tr.t("panel.use_cases", new=sum(kpis.new_use_cases.values()), rolled_out=kpis.rolled_out),
            tr.t("panel.roi", roi=tr.percent(kpis.roi) if kpis.roi is not None else tr.t("kpi.too_early")),
        )
    )
    if kpis.groups:
        blocks.append(kit.section(group_lines(tr, kpis.groups)))
    return blocks
