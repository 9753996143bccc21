"""How the KPI figures read in the monthly report, the admins' panel and the leaderboard: trends with units
at the figure's precision, ROI only from a week of data, no empty sections, the pooling footnote, plurals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.domain.use_cases import Status
from bot.i18n import Translator
from bot.render.kpis import admin_panel, leaderboard, monthly_report
from bot.services.kpis import OTHER_TEAMS, BuddyFeedbackSummary, GroupKpis, Highlights, WorkspaceKpis, month_of, week_of
from tests.blockkit import assert_valid_message, text_of

NOVEMBER = month_of(date(2026, 11, 1))
NOTHING_NEW = Highlights([], [], 0)


def figures(**changes: object) -> WorkspaceKpis:
    """16 people, 5 active, 5 hours, one use case rolled out, one tip."""
    base = WorkspaceKpis(
        period=NOVEMBER,
        members=16,
        active_members=5,
        minutes=300,
        euros=225.0,
        new_use_cases={Status.IDEA: 1, Status.PILOT: 0, Status.ROLLED_OUT: 0, Status.DISCARDED: 0},
        adoptions=0,
        rolled_out=1,
        checkins_due=0,
        checkins_held=0,
        tips=1,
        rsvps={"office_hours": 0, "monthly_update": 0},
        annual_value_eur=225 * 365 / 30,
        investment_eur=32000,
        groups=[GroupKpis("Vertrieb", 6, 3, 200), GroupKpis(OTHER_TEAMS, 10, 2, 100)],
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def report_text(language: str, current: WorkspaceKpis, previous: WorkspaceKpis) -> str:
    message = monthly_report(
        Translator(language), current, previous, {}, 5, BuddyFeedbackSummary(answers=0, average=None)
    )
    return text_of(assert_valid_message(message.post_args())).replace("\xa0", " ")


def test_trends_carry_units_at_the_figures_precision() -> None:
    # 15 people with one use case rolled out: 0,67 per 10 people, after none last month.
    now = figures(members=15, active_members=8, minutes=450)
    before = figures(rolled_out=0)
    german = report_text("de", now, before)
    assert "53 % (8 von 15)\n▲ 22 Pkt. ggü. Vormonat" in german  # 53 % against 31 %
    assert "7,5 Std. · 0,5 Std./Person · 225 €\n▲ 2,5 Std. ggü. Vormonat" in german
    assert "0,67 pro 10 Personen (1 ausgerollt)\n▲ 0,67 pro 10 Personen ggü. Vormonat" in german
    english = report_text("en", now, before)
    assert "▲ 22 pts vs. last month" in english and "▲ 2.5 h vs. last month" in english
    assert "▲ 0.67 per 10 people vs. last month" in english


def test_no_change_reads_as_such_also_when_the_figures_only_differ_below_their_precision() -> None:
    same = report_text("de", figures(), figures(minutes=302))  # 5,0 and 5,03 hours both read "5"
    assert same.count("= wie im Vormonat") == 3 and "▲" not in same and "▼" not in same
    assert "= same as last month" in report_text("en", figures(), figures())
    down = report_text("de", figures(), figures(minutes=420))
    assert "▼ 2 Std. ggü. Vormonat" in down


def test_roi_is_too_early_to_say_in_the_first_days() -> None:
    early = figures(annual_value_eur=None, minutes=0, euros=0.0)
    text = report_text("de", early, figures())
    assert "*ROI*\nnoch zu früh – hochgerechnet wird ab 7 Tagen Daten · Investition 32.000 €" in text
    assert "-100" not in text and "−100" not in text
    panel = text_of(admin_panel(Translator("de"), early, 5))
    assert "*ROI aufs Jahr*\nnoch zu früh" in panel
    assert "too early to say" in text_of(admin_panel(Translator("en"), early, 5))
    assert "*ROI*\n-91 % · Wert aufs Jahr 2.738 €" in report_text("de", figures(), figures())


@pytest.mark.parametrize(("tips", "de", "en"), [(1, "1 Tipp ·", "1 tip ·"), (3, "3 Tipps ·", "3 tips ·")])
def test_tips_in_the_report_have_plural_forms(tips: int, de: str, en: str) -> None:
    assert de in report_text("de", figures(tips=tips), figures())
    assert en in report_text("en", figures(tips=tips), figures())


def board_text(kpis: WorkspaceKpis, news: Highlights = NOTHING_NEW, language: str = "de") -> str:
    message = leaderboard(Translator(language), kpis, news, [], 5, "/ki")
    return text_of(assert_valid_message(message.post_args())).replace("\xa0", " ")


def test_a_week_without_activity_has_no_empty_sections() -> None:
    quiet = figures(period=week_of(date(2026, 10, 26)), active_members=0, minutes=0, euros=0.0, tips=0)
    text = board_text(quiet)
    assert "In diesem Zeitraum wurde noch nichts erfasst" in text and "`/ki log 20" in text
    assert "Nach Anwendungsquote" not in text and "Alle zusammen" not in text and "Weitere Teams" not in text
    assert "Nothing logged in this period yet" in board_text(quiet, language="en")
    news = board_text(quiet, Highlights(["Angebote"], [], 1))
    assert "Neue Anwendungsfälle: Angebote" in news and "1 Tipp geteilt" in news
    assert "Nach Anwendungsquote" not in news and "noch nichts erfasst" not in news


def test_the_pooling_footnote_says_why_a_large_enough_team_is_pooled() -> None:
    usual = board_text(figures())
    assert "Teams unter 5 Personen zählen unter „Weitere Teams“" in usual and "nicht weil" not in usual
    grown = board_text(figures(pooled_large=1))
    assert (
        "Dazu zählt diesmal 1 Team mit mindestens 5 Personen unter „Weitere Teams“ – nicht weil es klein ist, "
        "sondern weil die kleinen Teams zusammen sonst unter 5 Personen blieben." in grown
    )
    assert "2 Teams mit mindestens 5 Personen" in board_text(figures(pooled_large=2))
    assert "1 team of at least 5 people also counts" in board_text(figures(pooled_large=1), language="en")
    assert "nicht weil es klein ist" in report_text("de", figures(pooled_large=1), figures())
