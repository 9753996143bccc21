"""App Home: the personal dashboard. Stays far below Slack's 100 blocks whatever the data."""

from __future__ import annotations

from bot.catalogs import Catalogs
from bot.domain.maturity import MaturityMatrix
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.render.kpis import admin_panel
from bot.render.log_form import log_line_blocks
from bot.render.maturity import dimension_changes, level_change
from bot.render.onboarding import privacy_notice
from bot.render.programme import roadmap_blocks
from bot.render.replies import stats_blocks
from bot.render.talent import home_line
from bot.services.home import HomePage, HomeSnapshot
from bot.services.usage import LogLine
from config.settings import Settings


def home_view(
    tr: Translator, page: HomePage, catalogs: Catalogs, settings: Settings, show_privacy_notice: bool
) -> dict:
    """An admin's page ends with the admins' panel (aggregates only, minimum group size applied)."""
    snapshot, next_events = page.snapshot, page.next_events
    blocks: list[kit.Block] = []
    if show_privacy_notice:
        blocks += [*privacy_notice(tr, settings), kit.divider()]
    blocks.append(kit.header(tr.t("home.title")))
    if snapshot.stats.total_entries:
        blocks += stats_blocks(tr, catalogs.tools, snapshot.stats)
        blocks += recent_entries_blocks(tr, catalogs, snapshot.recent, settings.slash_command)
    else:
        blocks.append(kit.section(tr.t("home.no_logs", command=settings.slash_command)))
    blocks.append(kit.divider())
    blocks += progress_blocks(tr, snapshot, catalogs.maturity)
    blocks += [
        kit.actions(
            kit.button(tr.t("home.button_log"), ids.OPEN_LOG_MODAL, style="primary"),
            kit.button(tr.t("home.button_check"), ids.OPEN_CHECK),
            kit.button(tr.t("home.button_path"), ids.OPEN_PATH),
            kit.button(tr.t("home.button_use_cases"), ids.OPEN_USE_CASES),
            kit.button(tr.t("home.button_buddy"), ids.OPEN_BUDDY),
            kit.button(tr.t("home.button_profile"), ids.OPEN_PROFILE),
        ),
        kit.context(tr.t("stats.private")),
    ]
    office = next_events.office_hours.astimezone(settings.zone)
    update = next_events.monthly_update.astimezone(settings.zone)
    line = tr.t(
        "home.next_events",
        office_date=tr.date(office.date()),
        office_time=f"{office:%H:%M}",
        update_date=tr.date(update.date()),
        update_time=f"{update:%H:%M}",
    )
    if next_events.presenters:
        line += " " + tr.t("home.presenters", department=kit.escape(next_events.presenters))
    blocks.insert(-2, kit.context(":calendar: " + line))
    talent_line = home_line(tr, page.talent) if page.talent else None
    if talent_line:
        blocks.insert(-2, kit.context(talent_line))
    if page.admin_kpis is not None:
        blocks += admin_panel(tr, page.admin_kpis, settings.min_group_size)
    if page.roadmap is not None:
        blocks += [kit.divider(), *roadmap_blocks(tr, page.roadmap)]
    return {"type": "home", "blocks": blocks}


def progress_blocks(tr: Translator, snapshot: HomeSnapshot, matrix: MaturityMatrix) -> list[kit.Block]:
    """Maturity level with its change (overall and per dimension since the last self-check), career stage and
    learning path: App Home and `/ki stats`."""
    blocks: list[kit.Block] = []
    if snapshot.latest is not None:
        previous = snapshot.previous.overall_level if snapshot.previous else None
        line = tr.t(
            "home.maturity", level=snapshot.latest.overall_level, date=tr.date(snapshot.latest.created_at.date())
        )
        line += level_change(tr, snapshot.latest.overall_level, previous)
        if snapshot.next_check_on is not None:
            line += "\n" + tr.t("home.next_check", date=tr.date(snapshot.next_check_on))
        blocks.append(kit.section(line))
        if snapshot.previous is not None:
            blocks.append(kit.context(dimension_changes(tr, matrix, snapshot.previous.levels, snapshot.latest.levels)))
    else:
        blocks.append(kit.section(tr.t("home.no_check")))
    if snapshot.stage is not None:
        blocks.append(kit.section(tr.t("home.stage", stage=snapshot.stage.name.in_(tr.language))))
    progress = snapshot.progress
    if progress.track is None:
        blocks.append(kit.section(tr.t("home.no_track")))
    else:
        line = tr.t(
            "home.path", track=progress.track.name.in_(tr.language), done=progress.completed, total=progress.total
        )
        if progress.next_module is not None:
            line += "\n" + tr.t("path.next", module=progress.next_module.title.in_(tr.language))
        blocks.append(kit.section(line))
    return blocks


def recent_entries_blocks(tr: Translator, catalogs: Catalogs, lines: list[LogLine], command: str) -> list[kit.Block]:
    """The latest entries, each with "Ändern" and "Löschen", as `/ki log liste` shows them."""
    if not lines:
        return []
    blocks: list[kit.Block] = [kit.section(tr.t("home.recent_entries"))]
    for line in lines:
        blocks += log_line_blocks(tr, catalogs.tools, line)
    blocks.append(kit.context(tr.t("home.all_entries", command=command)))
    return blocks
