"""Pure rules of the personal side: personal data in notes, use-case rules, the self-check score,
the career-stage rule and the YAML catalogs."""

from pathlib import Path

import pytest

from bot.catalogs import load_catalogs
from bot.domain.buddies import Answer
from bot.domain.catalog_files import CatalogError
from bot.domain.curriculum import Activity, load_curriculum
from bot.domain.errors import UserError
from bot.domain.maturity import load_maturity_matrix
from bot.domain.privacy import find_personal_data
from bot.domain.tools import load_tool_catalog
from bot.domain.usage import parse_log_text
from bot.domain.use_cases import Status, check_learning, parse_status, parse_weekly_estimate, slug_for, title_key
from config import CONFIG_DIR


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mail an max.mustermann@kunde-gmbh.de geschickt", "email"),
        ("Überweisung auf DE89 3704 0044 0532 0130 00 geprüft", "iban"),
        ("IBAN DE89370400440532013000", "iban"),
        ("Rückruf unter 0171 1234567", "phone"),
        ("Hotline +49 89 1234567 angerufen", "phone"),
        ("Angebot über 4500 EUR am 27.11.2026 mit ChatGPT", None),
        ("Ticket #4711 und Auftrag 2026-0815 erledigt", None),
        ("Kapitel DE12 gelesen", None),
    ],
)
def test_personal_data_in_text(text: str, kind: str | None) -> None:
    assert find_personal_data(text) == kind


def test_a_log_note_with_personal_data_is_refused() -> None:
    with pytest.raises(UserError) as raised:
        parse_log_text("30 Antwort an max@firma.de mit ChatGPT", load_tool_catalog())
    assert raised.value.key == "privacy.error.email"


def test_use_case_tags_start_with_a_letter() -> None:
    tools = load_tool_catalog()
    assert parse_log_text("30 Ticket #4711 erledigt", tools).use_case_slug is None
    assert parse_log_text("30 Angebot #Angebot-Neu", tools).use_case_slug == "angebot-neu"


def test_use_case_names() -> None:
    assert slug_for("Angebotserstellung für Kunden") == "angebotserstellung-fuer-kunden"
    assert slug_for("Übersetzung & Qualität") == "uebersetzung-qualitaet"
    assert title_key("  Angebots   Erstellung ") == title_key("angebots erstellung")


def test_statuses_and_learnings() -> None:
    assert parse_status("Ausgerollt") is Status.ROLLED_OUT
    assert parse_status("discarded") is Status.DISCARDED
    with pytest.raises(UserError, match="unknown_status"):
        parse_status("fertig")
    with pytest.raises(UserError, match="learning_missing"):
        check_learning(Status.DISCARDED, "   ")
    assert check_learning(Status.DISCARDED, "Kunden wollen  persönliche\nAnsprache") == (
        "Kunden wollen persönliche Ansprache"
    )
    assert check_learning(Status.PILOT, "") is None
    with pytest.raises(UserError, match="learning_too_long"):
        check_learning(Status.PILOT, "x" * 201)


def test_values_in_slack_from_before_they_were_stored_in_english_still_read() -> None:
    """Check-in buttons already posted carry "ja" and "nein", a status form opened before offers "verworfen":
    they mean what they meant. Nothing else is taken."""
    assert [Status("idee"), Status("ausgerollt"), Status("verworfen")] == [
        Status.IDEA,
        Status.ROLLED_OUT,
        Status.DISCARDED,
    ]
    assert [Answer("ja"), Answer("nein"), Answer("pause")] == [Answer.YES, Answer.NOT_THIS_WEEK, Answer.PAUSE]
    for made_up in ("live", "fertig", "Idee"):
        with pytest.raises(ValueError):
            Status(made_up)
    with pytest.raises(ValueError):
        Answer("vielleicht")


def test_weekly_estimate() -> None:
    assert parse_weekly_estimate("6h") == 360
    assert parse_weekly_estimate("1,5h") == 90
    with pytest.raises(UserError, match="estimate_too_high"):
        parse_weekly_estimate("41h")


def test_self_check_score_rounds_half_up_and_refuses_incomplete_answers() -> None:
    matrix = load_maturity_matrix()
    assert [d.name["de"] for d in matrix.dimensions] == [
        "Tool-Kenntnisse",
        "Anwendungsbreite",
        "Selbstständigkeit",
        "Innovation",
        "Wissensteilung",
    ]
    score = matrix.score({"tools": 1, "breadth": 2, "autonomy": 3, "innovation": 3, "sharing": 3})
    assert (score.overall, score.track) == (2, "power")  # 12/5 = 2.4
    assert matrix.score({"tools": 3, "breadth": 3, "autonomy": 2, "innovation": 2, "sharing": 3}).overall == 3  # 2.6
    assert matrix.score(dict.fromkeys(("tools", "breadth", "autonomy", "innovation", "sharing"), 1)).track == "basis"
    with pytest.raises(UserError) as raised:
        matrix.score({"tools": 1, "breadth": 2, "autonomy": 3, "innovation": 3})
    assert raised.value.params["missing"] == ["sharing"]
    with pytest.raises(UserError):
        matrix.score({"tools": 1, "breadth": 2, "autonomy": 3, "innovation": 3, "sharing": 4})


def test_career_stage_rule() -> None:
    curriculum = load_curriculum()
    assert [t.name["de"] for t in curriculum.tracks] == ["Basis-Nutzer", "Power-User", "KI-Champion"]
    assert curriculum.stage_for(Activity()).key == "anwender"
    assert curriculum.stage_for(Activity(overall_level=2, completed_modules=3, tips=2)).key == "anwender"
    assert curriculum.stage_for(Activity(overall_level=2, completed_modules=3, tips=3)).key == "spezialist"
    assert curriculum.stage_for(Activity(overall_level=2, completed_modules=3, active_mentees=1)).key == "spezialist"
    expert = Activity(overall_level=3, completed_modules=6, tips=3, rolled_out_use_cases=1)
    assert curriculum.stage_for(expert).key == "experte"


def test_any_of_requirements(tmp_path: Path) -> None:
    original = (CONFIG_DIR / "curriculum.yaml").read_text(encoding="utf-8")
    assert "{min_active_mentees: 1}" in original
    text = original.replace("{min_active_mentees: 1}", "{min_logs: 20}")
    (tmp_path / "curriculum.yaml").write_text(text, encoding="utf-8")
    curriculum = load_curriculum(tmp_path / "curriculum.yaml")
    assert curriculum.stage_for(Activity(overall_level=2, completed_modules=3, logs=20)).key == "spezialist"
    assert curriculum.stage_for(Activity(overall_level=2, completed_modules=3, logs=19)).key == "anwender"
    assert curriculum.asks_for("logs")


def test_the_rule_says_which_figures_it_asks_for() -> None:
    """A change of a figure no stage asks for (a log, with the shipped rule) cannot change a stage."""
    curriculum = load_curriculum()
    asked = {"overall_level", "completed_modules", "tips", "active_mentees", "rolled_out_use_cases"}
    assert {figure for figure in (*asked, "logs") if curriculum.asks_for(figure)} == asked
    assert curriculum.stages[1].requires.figures() == {"overall_level", "completed_modules", "tips", "active_mentees"}


@pytest.mark.parametrize(
    ("file", "broken", "message"),
    [
        (
            "curriculum.yaml",
            ("        title: {de: Datenschutz-Awareness, en: Data protection awareness}\n", ""),
            r"curriculum\.yaml: tracks\[0\]\.modules\[2\] is missing field 'title'",
        ),
        ("curriculum.yaml", ("  - key: power\n", "  - nokey: power\n"), r"tracks\[1\] is missing field 'key'"),
        ("curriculum.yaml", ("{min_tips: 3}", "{min_karma: 3}"), r"unknown requirement 'min_karma'"),
        (
            "maturity.yaml",
            ("      - {de: Neue entwickeln, en: Creating new ones}\n", ""),
            r"maturity\.yaml: dimensions\[3\]\.levels must list exactly 3 levels",
        ),
        ("maturity.yaml", ("  3: champion", "  3: guru"), r"recommended_tracks\.3 names track 'guru'"),
        ("departments.yaml", ("  - IT\n", "  - Vertrieb\n"), r"department names must be unique"),
    ],
)
def test_company_catalog_errors_name_file_and_field(
    tmp_path: Path, file: str, broken: tuple[str, str], message: str
) -> None:
    original = (CONFIG_DIR / file).read_text(encoding="utf-8")
    assert broken[0] in original
    (tmp_path / file).write_text(original.replace(broken[0], broken[1], 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_catalogs(tmp_path)


def test_company_catalogs_replace_the_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "departments.yaml").write_text("departments: [Werk Nord, Werk Süd]\n", encoding="utf-8")
    catalogs = load_catalogs(tmp_path)
    assert catalogs.departments == ("Werk Nord", "Werk Süd")
    assert len(catalogs.curriculum.tracks) == 3  # not replaced: the shipped one
