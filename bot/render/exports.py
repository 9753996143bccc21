"""The admins' CSV export: KPIs per shown group and the aggregated weekly series."""

from __future__ import annotations

import csv
import io

from bot.domain.rituals import RitualKind
from bot.i18n import Translator
from bot.render.kpis import group_label
from bot.services.kpis import WeekPoint, WorkspaceKpis


def kpi_csv(tr: Translator, kpis: WorkspaceKpis, series: list[WeekPoint]) -> bytes:
    """Numbers unformatted (dot decimals) so that spreadsheets read them; headings in the admin's language."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([tr.t("csv.period"), kpis.period.start.isoformat(), kpis.period.end.isoformat()])
    writer.writerow([])
    writer.writerow(
        [
            tr.t("csv.group"),
            tr.t("csv.members"),
            tr.t("csv.active"),
            tr.t("csv.adoption_rate"),
            tr.t("csv.hours"),
            tr.t("csv.hours_per_member"),
        ]
    )
    rows = (
        [(tr.t("csv.all"), kpis.members, kpis.active_members, kpis.adoption_rate, kpis.hours, kpis.hours_per_member)]
        if kpis.shown
        else []
    )
    rows += [
        (group_label(tr, g.key), g.members, g.active_members, g.adoption_rate, g.hours, g.hours_per_member)
        for g in kpis.groups
    ]
    for name, members, active, rate, hours, per_member in rows:
        writer.writerow([name, members, active, f"{rate:.4f}", f"{hours:.2f}", f"{per_member:.2f}"])
    if kpis.shown:
        writer.writerow([])
        writer.writerow([tr.t("csv.kpi"), tr.t("csv.value")])
        for key, value in (
            ("csv.euros", f"{kpis.euros:.2f}"),
            ("csv.new_use_cases", sum(kpis.new_use_cases.values())),
            ("csv.adoptions", kpis.adoptions),
            ("csv.rolled_out", kpis.rolled_out),
            ("csv.innovation_rate", f"{kpis.innovation_rate:.3f}"),
            ("csv.checkins_due", kpis.checkins_due),
            ("csv.checkins_held", kpis.checkins_held),
            ("csv.tips", kpis.tips),
            ("csv.rsvps_office_hours", kpis.rsvps[RitualKind.OFFICE_HOURS]),
            ("csv.rsvps_monthly_update", kpis.rsvps[RitualKind.MONTHLY_UPDATE]),
            # Left empty while the period is too young to annualise.
            ("csv.annual_value", "" if kpis.annual_value_eur is None else f"{kpis.annual_value_eur:.2f}"),
            ("csv.investment", f"{kpis.investment_eur:.2f}"),
            ("csv.roi", "" if kpis.roi is None else f"{kpis.roi:.4f}"),
        ):
            writer.writerow([tr.t(key), value])
        writer.writerow([])
        writer.writerow([tr.t("csv.week"), tr.t("csv.hours"), tr.t("csv.adoption_rate"), tr.t("csv.week_status")])
        for point in series:
            if point.hours is None or point.adoption_rate is None:
                # A week of fewer people than the minimum: no figures, and saying why.
                writer.writerow([point.week_start.isoformat(), "", "", tr.t("csv.week_too_few")])
                continue
            writer.writerow(
                [
                    point.week_start.isoformat(),
                    f"{point.hours:.2f}",
                    f"{point.adoption_rate:.4f}",
                    tr.t("csv.week_running") if point.current else tr.t("csv.week_complete"),
                ]
            )
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read umlauts correctly
