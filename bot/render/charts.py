"""The monthly report's chart: hours saved per week (bars) and adoption rate (line), last 12 weeks.
Drawn large and plain so that it stays readable on a phone.

matplotlib is imported when a chart is drawn, not when the bot starts: it is a large part of a process's
memory, and only the monthly report needs it. The chart is drawn on a `Figure` of its own, not through
`pyplot`, whose global figure registry is not safe when jobs draw from worker threads."""

from __future__ import annotations

import io
from math import nan

from bot.i18n import Translator
from bot.services.kpis import WeekPoint


def weekly_chart(tr: Translator, points: list[WeekPoint]) -> bytes:
    """A week with too few people has neither bar nor point (NaN leaves a gap), never a zero that reads
    as a figure."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    labels = [
        tr.t("chart.week_label_current" if p.current else "chart.week_label", week=p.week_start.isocalendar().week)
        for p in points
    ]
    # A Figure without pyplot draws with the Agg canvas (no screen needed) and is freed with its last reference.
    figure = Figure(figsize=(8, 4.5), dpi=150)
    hours_axis = figure.subplots()
    hours_axis.bar(
        labels, [nan if p.hours is None else p.hours for p in points], color="#457b9d", label=tr.t("chart.hours")
    )
    hours_axis.set_ylabel(tr.t("chart.hours"), fontsize=12)
    hours_axis.tick_params(labelsize=11)
    rate_axis = hours_axis.twinx()
    rate_axis.plot(
        labels,
        [nan if p.adoption_rate is None else p.adoption_rate for p in points],
        color="#e63946",
        marker="o",
        linewidth=2.5,
        label=tr.t("chart.adoption"),
    )
    rate_axis.set_ylim(0, 1)
    # Few ticks: each one is drawn with its own lines and text, the larger part of the chart's time.
    hours_axis.yaxis.set_major_locator(MaxNLocator(5))
    rate_axis.yaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1]))
    rate_axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: tr.percent(value)))
    rate_axis.set_ylabel(tr.t("chart.adoption"), fontsize=12)
    rate_axis.tick_params(labelsize=11)
    figure.suptitle(tr.t("chart.title"), fontsize=14)
    hours_axis.tick_params(axis="x", labelrotation=45)
    # The twin shares the weeks' axis; drawing it a second time, hidden, costs as much as the visible one.
    rate_axis.xaxis.set_visible(False)
    handles = hours_axis.get_legend_handles_labels()[0] + rate_axis.get_legend_handles_labels()[0]
    hours_axis.legend(handles=handles, loc="upper left", fontsize=10)
    # Fixed margins that fit the labels at these sizes: `tight_layout` measures every text first, which
    # doubled the drawing time.
    figure.subplots_adjust(left=0.1, right=0.89, top=0.9, bottom=0.22)
    buffer = io.BytesIO()
    # Light compression: the chart is a few flat colours, and the default level costs more than it saves.
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
