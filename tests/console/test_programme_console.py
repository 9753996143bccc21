"""A whole 90-day programme in the console, with the clock moved: the admin starts it, everyone gets the
Bestandsaufnahme and four people answer it, two use cases become pilots with teams and goals on their cards, the
phase changes at day 31 and 61 are posted once each, a pilot ends with a learning, and day 90 brings the
summary."""

from __future__ import annotations

from pathlib import Path

from tests.console.test_console import run_console

PROGRAMME = """\
:now 2026-12-01 09:30
/ki admin programm start 01.12.2026
/ki admin beispiele
:user ben
/ki log 20 ChatGPT Protokoll
:user carla
/ki log 30 DeepL Übersetzung
:user dora
/ki log 15 ChatGPT Entwurf
:user anna
:run programme
:run programme
8
1,5
Angebote aus Vorlagen schneller erstellen
2
1
:user ben
9
1
Protokolle zusammenfassen
1
2
:user carla
10
5
Übersetzungen für den Export
3
3
:user dora
11

Kundenanfragen vorsortieren
2
2
:user anna
/ki admin programm bestandsaufnahme
/ki usecase status #angebotserstellung pilot
/ki usecase status #dokumentation pilot
/ki usecase pilot #angebotserstellung
anna, ben
Angebote in der halben Zeit
Minuten pro Angebot
90 Minuten
20.01.2027
/ki usecase pilot #dokumentation
carla, dora
Protokolle ohne Nacharbeit
Minuten pro Protokoll

20.01.2027
:now 2027-01-01 09:30
:run programme
:run programme
/ki usecase status #dokumentation verworfen Zu viel Nacharbeit
/ki admin programm erledigt vision Steht im Wiki
:now 2027-01-31 09:30
:run programme
:now 2027-03-01 09:30
:run programme
:run programme
/ki admin programm
"""


def test_a_whole_programme_with_the_clock_moved(tmp_path: Path) -> None:
    out = run_console(tmp_path, PROGRAMME, "--user", "anna", "--admin", "anna", stdin=True, MIN_GROUP_SIZE="3")
    # Everyone known gets the Bestandsaufnahme once.
    assert out.count("[8] Bestandsaufnahme ausfüllen") == 1 and out.count("[11] Bestandsaufnahme ausfüllen") == 1
    assert out.count("Danke! Deine Antwort ist gespeichert.") == 4
    results = out[out.index("anna> /ki admin programm bestandsaufnahme") :]
    assert "4 Antworten." in results and "• ChatGPT: 2" in results and "• DeepL: 2" in results
    assert "> Protokolle zusammenfassen" in results and "@ben" not in results.split("anna> /ki usecase")[0]
    # Each phase change once; a second run that day sends nothing.
    assert out.count("Roadmap: Phase 2: Pilotprojekte (Tage 31–60) beginnt") == 1
    assert out.count("Roadmap: Phase 3: Skalierung vorbereiten (Tage 61–90) beginnt") == 1
    assert out.count("Lief für diesen Termin schon") == 3
    phase_3 = out[out.index("Phase 3: Skalierung vorbereiten (Tage 61–90) beginnt") :]
    assert "✅ Learnings der Pilotprojekte dokumentiert – 1 von 1 beendeten Pilotprojekten mit Learning" in phase_3
    summary = out[out.index("90 Tage KI-Programm: die Bilanz") :]
    assert out.count("90 Tage KI-Programm: die Bilanz") == 1
    assert "Je 30 Tage vor – Tag 0 · Tag 30 · Tag 60 · Tag 90" in summary
    assert "• Angebotserstellung (Pilot)" in summary
    assert "• Dokumentation (Verworfen (Learning))" in summary and "Learning: Zu viel Nacharbeit" in summary
    assert "✅ Bestandsaufnahme beantwortet – 4 von 4 Personen" in out[out.index("anna> /ki admin programm\n") :]
    final = out[out.index("anna> /ki admin programm\n") :]
    assert "✅ 2–3 Pilotprojekte mit Ziel, Messgröße und Termin (Karte) – 2 (Ziel: 2–3)" in final
    assert "✅ Gemischte Pilot-Teams (höchstens 5, nicht nur aus einem Bereich) – 2 von 2 Teams gemischt" in final
    assert "Steht im Wiki" in final
    assert "Ziel: Angebote in der halben Zeit · Messgröße: Minuten pro Angebot" in summary
