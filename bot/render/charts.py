"""The monthly report's chart: hours saved per week (bars) and adoption rate (line), last 12 weeks.
Drawn large and plain so that it stays readable on a phone.

matplotlib is imported when a chart is drawn, not when the bot starts: it is a large part of a process's
memory, and only the monthly report needs it. The chart is drawn on a `Figure` of its own, not through
`pyplot`, whose global figure registry is not safe when jobs draw from worker threads.

The figure, its two axes and their ticks are built once per process and drawn again for each chart, one chart
at a time: building them and drawing them the first time cost more than half of a chart's time (matplotlib
creates each tick's lines and texts on the first draw). Each chart replaces everything it shows (bars,
line, week labels, texts), so a chart never shows anything of the one before it."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from math import nan
from typing import TYPE_CHECKING, Any

from bot.i18n import Translator
from bot.services.kpis import WeekPoint

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BAR_COLOUR = "#457b9d"
LINE_COLOUR = "#e63946"


@dataclass
class _Canvas:
    figure: Figure
    hours_axis: Axes
    rate_axis: Axes
    # The hours' scale of a chart without any bar (all weeks too small), as a new figure has it.
    empty_hours_scale: tuple[float, float]
    # What the last chart drew of its data; removed before the next chart is drawn.
    drawn: list[Any] = field(default_factory=list)


_canvas: _Canvas | None = None
# One chart at a time on the one canvas (jobs draw from worker threads).
_drawing = threading.Lock()


def weekly_chart(tr: Translator, points: list[WeekPoint]) -> bytes:
    """A week with too few people has neither bar nor point (NaN leaves a gap), never a zero that reads
    as a figure."""
    with _drawing:
        canvas = _the_canvas()
        return _draw(canvas, tr, points)


def _the_canvas() -> _Canvas:
    global _canvas
    if _canvas is None:
        _canvas = _new_canvas()
    return _canvas


def _new_canvas() -> _Canvas:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, MaxNLocator

    # 800 × 450 pixels: sharp in Slack's preview on a phone and on a desktop. The Agg canvas (no screen needed)
    # stays attached, and with it the text measurements it has cached: `savefig` would make a new one each time.
    figure = Figure(figsize=(8, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    hours_axis = figure.subplots()
    hours_axis.tick_params(labelsize=11)
    hours_axis.tick_params(axis="x", labelrotation=45)
    rate_axis = hours_axis.twinx()
    rate_axis.set_ylim(0, 1)
    rate_axis.tick_params(labelsize=11)
    # Each scale is labelled and coloured like what it measures (no legend: it would repeat the two labels
    # and cover the first weeks' bars).
    for axis, colour in ((hours_axis, BAR_COLOUR), (rate_axis, LINE_COLOUR)):
        axis.tick_params(axis="y", colors=colour)
        axis.yaxis.label.set_color(colour)
    # Few ticks: each one is drawn with its own lines and text, the larger part of the chart's time.
    hours_axis.yaxis.set_major_locator(MaxNLocator(5))
    rate_axis.yaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1]))
    # The twin shares the weeks' axis; drawing it a second time, hidden, costs as much as the visible one.
    rate_axis.xaxis.set_visible(False)
    # Fixed margins that fit the labels at these sizes: `tight_layout` measures every text first, which
    # doubled the drawing time.
    figure.subplots_adjust(left=0.1, right=0.89, top=0.9, bottom=0.22)
    return _Canvas(figure, hours_axis, rate_axis, hours_axis.get_ylim())


def _draw(canvas: _Canvas, tr: Translator, points: list[WeekPoint]) -> bytes:
    from matplotlib.ticker import FuncFormatter

    figure, hours_axis, rate_axis = canvas.figure, canvas.hours_axis, canvas.rate_axis
    for artist in canvas.drawn:
        artist.remove()
    canvas.drawn = []
    # Weeks at positions 0, 1, …, not as categories: an axis remembers every category it was ever given.
    weeks = list(range(len(points)))
    bars = hours_axis.bar(weeks, [nan if p.hours is None else p.hours for p in points], color=BAR_COLOUR)
    # Recorded as soon as drawn: a chart that fails further on leaves nothing to the next one.
    canvas.drawn.append(bars)
    (line,) = rate_axis.plot(
        weeks,
        [nan if p.adoption_rate is None else p.adoption_rate for p in points],
        color=LINE_COLOUR,
        marker="o",
        linewidth=2.5,
    )
    canvas.drawn.append(line)
    hours_axis.set_xticks(
        weeks,
        [
            tr.t("chart.week_label_current" if p.current else "chart.week_label", week=p.week_start.isocalendar().week)
            for p in points
        ],
    )
    hours_axis.set_xlim(-0.6, len(points) - 0.4)
    # The hours' scale follows this chart's bars alone; without any, it is a new figure's, not the last chart's.
    hours_axis.set_ylim(canvas.empty_hours_scale, auto=True)
    hours_axis.relim()
    hours_axis.autoscale_view(scalex=False)
    hours_axis.set_ylabel(tr.t("chart.hours"), fontsize=12)
    rate_axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: tr.percent(value)))
    rate_axis.set_ylabel(tr.t("chart.adoption"), fontsize=12)
    figure.suptitle(tr.t("chart.title"), fontsize=14)
    buffer = io.BytesIO()
    # Light compression: the chart is a few flat colours, and the default level costs more than it saves.
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
