"""The monthly report's chart: drawn on one canvas per process, again for each chart, so nothing of one chart
may remain in the next, and charts asked for at once from several threads are each the one asked for."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from PIL import Image

import bot.render.charts as charts
from bot.i18n import Translator
from bot.render.charts import BAR_COLOUR, weekly_chart
from bot.services.kpis import WeekPoint

FIRST_MONDAY = date(2026, 8, 3)


def series(hours: list[float | None], rates: list[float | None] | None = None) -> list[WeekPoint]:
    rates = rates or [None if value is None else 0.2 + index * 0.05 for index, value in enumerate(hours)]
    return [
        WeekPoint(FIRST_MONDAY + timedelta(weeks=index), value, rate, current=index == len(hours) - 1)
        for index, (value, rate) in enumerate(zip(hours, rates, strict=True))
    ]


GROWING = series([40.0 + index * 3 for index in range(12)])
SMALL_WEEKS = series([None, None, 12.5, None, 30.0, 31.0, 2.0, None, 15.0, 16.0, 17.0, 90.0])


def bar_pixels(png: bytes) -> int:
    """How many pixels have exactly the bars' colour (the bars are solid; text in it is only a few pixels)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    wanted = tuple(int(BAR_COLOUR[index : index + 2], 16) for index in (1, 3, 5))
    return sum(count for count, colour in image.getcolors(maxcolors=1 << 20) or [] if colour == wanted)


def test_a_chart_is_a_png_of_800_by_450_pixels() -> None:
    png = weekly_chart(Translator("de"), GROWING)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (800, 450)


def test_nothing_of_one_chart_remains_in_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    german, english = Translator("de"), Translator("en")
    monkeypatch.setattr(charts, "_canvas", None)
    empty_on_a_fresh_canvas = weekly_chart(german, series([None] * 12))
    first = weekly_chart(german, GROWING)
    other = weekly_chart(english, SMALL_WEEKS)
    assert other != first
    assert weekly_chart(german, GROWING) == first
    assert weekly_chart(english, SMALL_WEEKS) == other
    # A chart without any bar does not keep the last chart's scale.
    assert weekly_chart(german, series([None] * 12)) == empty_on_a_fresh_canvas


def test_a_week_with_too_few_people_has_no_bar() -> None:
    tr = Translator("de")
    every_week = bar_pixels(weekly_chart(tr, series([50.0] * 12)))
    one_missing = bar_pixels(weekly_chart(tr, series([50.0] * 5 + [None] + [50.0] * 6)))
    no_week = bar_pixels(weekly_chart(tr, series([None] * 12)))
    one_bar = every_week / 12
    assert every_week - one_bar * 1.1 < one_missing < every_week - one_bar * 0.9
    assert no_week < one_bar / 10


def test_charts_drawn_at_once_from_several_threads_are_each_the_one_asked_for() -> None:
    tr = Translator("de")
    asked = [GROWING, SMALL_WEEKS, series([7.0] * 12), series([None] * 6 + [20.0] * 6)] * 3
    alone = [weekly_chart(tr, points) for points in asked]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda points: weekly_chart(tr, points), asked))
    assert together == alone


def test_a_chart_that_fails_halfway_leaves_nothing_to_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    tr = Translator("de")
    monkeypatch.setattr(charts, "_canvas", None)
    fresh = weekly_chart(tr, SMALL_WEEKS)

    class Failing(Translator):
        def t(self, key: str, **params: object) -> str:
            if key == "chart.title":
                raise RuntimeError("a catalog text that cannot be filled in")
            return super().t(key, **params)

    with pytest.raises(RuntimeError):
        weekly_chart(Failing("de"), GROWING)
    assert weekly_chart(tr, SMALL_WEEKS) == fresh
