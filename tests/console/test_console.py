"""The console workspace, scripted as a new colleague would use it, as a real process."""

from pathlib import Path

from tests.conftest import run_bot


def run_console(tmp_path: Path, script: str, *args: str, stdin: bool = False, **env: str) -> str:
    env = {"DATABASE_URL": "sqlite:///console.db", **env}
    if stdin:
        result = run_bot(["console", *args], tmp_path, stdin=script, **env)
    else:
        (tmp_path / "demo.txt").write_text(script, encoding="utf-8")
        result = run_bot(["console", *args, "--script", "demo.txt"], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


SCRIPT = """\
# a new colleague's first five minutes
/ki hilfe
1
1
4

2
2
3
1
2
/ki admin beispiele
/ki log 45 Angebot mit ChatGPT #angebot
log 1h30 Protokoll mit Copilot
/ki log abc
/ki log
abc
2




30
/ki stats
/ki lernpfad
5
/ki sprache en
/ki stats
/weather
"""


def test_scripted_session(tmp_path: Path) -> None:
    out = run_console(tmp_path, SCRIPT, "--user", "lena")
    expected_in_order = [
        "lena> /ki hilfe",
        "[nur für dich sichtbar]",
        "Willkommen bei KI-Lotse – kurz zum Datenschutz",
        "Nach 24 Monaten werden deine Einträge von deinem Namen getrennt",
        "Mit `/ki daten` siehst du",
        "[1] Profil einrichten",
        "KI-Lotse: Was ich für dich tun kann",
        "lena> 1",
        "[Dialog: Dein Profil]",
        "Bereich (optional, Enter überspringt):",
        "1) Vertrieb",
        "4) Weiß ich nicht – Selbstcheck machen",
        "[Dialog: KI-Selbstcheck]",
        "Tool-Kenntnisse:",
        "Gesamt: Stufe 2 von 3",
        "Empfohlener Lernpfad: Power-User",
        "lena> /ki admin beispiele",
        "Beispiel-Anwendungsfälle geladen: Angebotserstellung, Kundenkommunikation, Dokumentation.",
        "lena> /ki log 45 Angebot mit ChatGPT #angebot",
        "✅ Gespeichert: 45 Minuten mit ChatGPT am",
        "Diese Woche bisher: 45 Minuten",
        "Anwendungsfall: Angebotserstellung (`#angebotserstellung`)",
        "lena> log 1h30 Protokoll mit Copilot",
        "✅ Gespeichert: 1 Stunde 30 Minuten mit Copilot am",
        "Diese Woche bisher: 2 Stunden 15 Minuten",
        "lena> /ki log abc",
        "⚠️ „abc“ ist keine Dauer.",
        "Beispiel: `/ki log 45 Angebot mit ChatGPT`",
        "lena> /ki log",
        "[Dialog: Nutzung erfassen]",
        "Gesparte Zeit> abc",
        "⚠️ Gesparte Zeit: „abc“ ist keine Dauer.",
        "Gesparte Zeit> 30",
        "✅ Gespeichert: 30 Minuten mit Claude am",
        "Diese Woche bisher: 2 Stunden 45 Minuten",
        "lena> /ki stats",
        "Deine KI-Bilanz",
        "· Insgesamt: 2 Stunden 45 Minuten (3 Einträge)",
        "· Serie: 1 Woche in Folge",
        "Top-Tools: Copilot (1 Stunde 30 Minuten), ChatGPT (45 Minuten), Claude (30 Minuten)",
        "lena> /ki lernpfad",
        "Power-User – 0 von 3 Modulen erledigt",
        "Nächstes Modul: Erweiterte Prompting-Techniken",
        # [1] is still the welcome's button, [2]–[4] undo the three entries above.
        "[5] Als erledigt markieren",
        "lena> 5",
        "Power-User – 1 von 3 Modulen erledigt",
        "Nächstes Modul: Tool-Integration",
        "lena> /ki sprache en",
        "I'll speak English with you from now on.",
        "lena> /ki stats",
        "Your AI balance",
        "· All time: 2 hours 45 minutes (3 entries)",
        "lena> /weather",
        "In dieser Konsole gibt es nur `/ki`.",  # the console itself speaks the workspace language
    ]
    position = 0
    for fragment in expected_in_order:
        found = out.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing after position {position} in:\n{out[position:]}"
        position = found + len(fragment)
    assert "a new colleague" not in out  # comment lines are skipped
    assert out.count("Willkommen bei KI-Lotse") == 1  # the privacy notice is shown once


def test_data_persists_between_runs_and_users_are_separate(tmp_path: Path) -> None:
    run_console(tmp_path, "/ki log 30 DeepL\n", "--user", "anna")
    out = run_console(tmp_path, "/ki stats\n:user ben\n/ki stats\n", "--user", "anna", stdin=True)
    assert "Insgesamt: 30 Minuten (1 Eintrag)" in out
    assert "Du bist jetzt @ben." in out
    ben = out[out.index("Du bist jetzt @ben.") :]
    assert "Noch keine Einträge. Leg los mit `/ki log 45 Angebot mit ChatGPT`." in ben
    assert "KI-Reifegrad: noch kein Selbstcheck" in ben and "Lernpfad: noch keiner gewählt." in ben


def test_english_locale(tmp_path: Path) -> None:
    out = run_console(tmp_path, "/ki log 20 Perplexity\n", "--locale", "en-US")
    assert "Saved: 20 minutes with Perplexity on" in out


def test_required_modal_fields_are_asked_again(tmp_path: Path) -> None:
    out = run_console(tmp_path, "/ki log\n\n20\n\n1\n\nTest\n\n")
    assert "Gesparte Zeit> \nDas ist ein Pflichtfeld." in out.replace("  Gesparte", "Gesparte")
    assert "Das ist ein Pflichtfeld.\n  > 1" in out  # the tool, too, must be chosen
    assert "✅ Gespeichert: 20 Minuten mit ChatGPT" in out


def test_a_modal_in_a_second_session_on_the_same_database_is_stored(tmp_path: Path) -> None:
    modal = "/ki log\n25\n1\n\n\n\n/ki stats\n"
    first = run_console(tmp_path, modal, stdin=True)
    assert "Insgesamt: 25 Minuten (1 Eintrag)" in first
    second = run_console(tmp_path, modal, stdin=True)
    assert "✅ Gespeichert: 25 Minuten mit ChatGPT" in second
    assert "Insgesamt: 50 Minuten (2 Einträge)" in second


def test_the_faked_now_dates_self_checks_and_tips(tmp_path: Path) -> None:
    script = """\
:now 2027-03-01 10:00
/ki tip Für Protokolle erst Stichpunkte sammeln, dann ausformulieren lassen
/ki check
2
2
2
2
2
:home
:user lena
/ki log 30 DeepL
:now 2027-03-08 09:00
:run weekly_leaderboard
"""
    out = run_console(tmp_path, script, stdin=True, MIN_GROUP_SIZE="2")
    assert "KI-Reifegrad: Stufe 2 von 3 (Selbstcheck vom 01.03.2027)" in out
    assert "Nächster Selbstcheck empfohlen ab 30.05.2027." in out
    board = out[out.index("KW 9 (01.03.2027 – 07.03.2027)") :]
    assert "1 Tipp geteilt" in board


def _self_check(level: int) -> str:
    return "/ki check\n" + f"{level}\n" * 5


BUDDIES_AND_RETRO = f"""\
:now 2026-12-02 09:00
:user anna
{_self_check(3)}/ki buddy mentor
:user ben
{_self_check(1)}/ki buddy mentee
:user carla
{_self_check(3)}/ki buddy mentor
:user dora
{_self_check(1)}/ki buddy mentee
:now 2026-12-03 10:00
:run buddy_checkin
:user ben
5
:user dora
8
:user anna
6
:now 2026-12-07 10:00
:run retrospective
:user anna
11
Die Sprechstunde
Zu wenig Zeit
Mehr Beispiele
4
:user ben
12
Buddy-Treffen


3
"""


def test_every_open_message_keeps_its_choices_until_it_is_replaced(tmp_path: Path) -> None:
    out = run_console(tmp_path, BUDDIES_AND_RETRO, stdin=True)
    checkins = out[out.index("dora> :run buddy_checkin") :]
    assert "[Gruppen-DM mit @anna, @ben]\n  Habt ihr euch diese Woche ausgetauscht?\n  [5] Ja" in checkins
    assert "[Gruppen-DM mit @carla, @dora]\n  Habt ihr euch diese Woche ausgetauscht?\n  [8] Ja" in checkins
    # Each pair's check-in is answered, the second after the first was clicked.
    question = "[Nachricht ersetzt]\n  Habt ihr euch diese Woche ausgetauscht?\n"
    assert f"ben> 5\n{question}  › ✅ Ja – beantwortet von @ben" in out
    assert f"dora> 8\n{question}  › ✅ Ja – beantwortet von @dora" in out
    # The answered message lost its buttons; the others remain.
    assert "anna> 6\nDiese Auswahl gibt es nicht (gerade wählbar: 1–4)." in out
    retro = out[out.index("anna> :run retrospective") :]
    assert "[Direktnachricht an @anna]" in retro and "[11] Retro ausfüllen" in retro
    assert "[Direktnachricht an @ben]" in retro and "[12] Retro ausfüllen" in retro
    assert retro.count("Danke für deine Antwort!") == 2


def test_run_says_why_nothing_was_sent(tmp_path: Path) -> None:
    script = """\
:run buddy_matching
:now 2026-12-02 09:00
/ki stats
:run office_hours
:now 2026-12-07 09:00
:run weekly_leaderboard
:run weekly_leaderboard
/ki admin run monthly_report
/ki admin run monthly_report
:now 2027-03-29 09:00
:run weekly_leaderboard
"""
    out = run_console(tmp_path, script, stdin=True)

    def after(line: str) -> str:
        start = out.index(f"max> {line}\n") + len(f"max> {line}\n")
        return out[start : out.index("max> ", start)] if "max> " in out[start:] else out[start:]

    nobody = "Job buddy_matching gelaufen: 0 gesendet, 0 fehlgeschlagen.\n  › Niemand, an den etwas zu schicken wäre."
    assert out.startswith(f"max> :run buddy_matching\n{nobody}")  # no workspace yet
    assert after(":run office_hours") == (
        "Job office_hours gelaufen: 0 gesendet, 0 fehlgeschlagen.\n"
        "  › Gerade ist nichts fällig: Zu dieser Zeit steht kein Termin an.\n"
        "  › Mit `:now` stellst du die Uhr auf einen Termin, z. B. `:now 2026-12-03 10:00` für den Buddy-Check-in"
        " am Donnerstag.\n"
    )
    leaderboards = out.split("max> :run weekly_leaderboard\n")
    assert "Job weekly_leaderboard gelaufen: 1 gesendet" in leaderboards[1]
    assert "0 gesendet, 0 fehlgeschlagen.\n  › Lief für diesen Termin schon" in leaderboards[2]
    assert "0 gesendet, 0 fehlgeschlagen.\n  › Feiertag – da fällt es aus." in leaderboards[3]
    reports = out.split("max> /ki admin run monthly_report\n")
    assert "Job monthly_report fertig: 1 gesendet, 0 fehlgeschlagen.\n" in reports[1]
    assert "Job monthly_report fertig: 0 gesendet, 0 fehlgeschlagen.\n  • Lief für diesen Termin schon" in reports[2]


def test_english_console_shows_its_own_words_and_modal_hints_in_english(tmp_path: Path) -> None:
    out = run_console(tmp_path, ":help\n/ki stats\n/weather\n/ki log\n20\n1\n\nTest\n\n", "--locale", "en-US")
    assert "`:run JOB` runs a scheduled job now" in out and "e.g. `:run buddy_checkin`" in out
    assert "`:now 2026-12-03 10:00` sets the clock" in out
    assert "[only visible to you]\n" in out and "nur für dich" not in out
    assert "This console only knows `/ki`." in out
    assert "[Modal: Log AI usage]" in out
    assert "  › e.g. 45 or 1h30\n  › Minutes, or hours with h" in out
    assert "  › No personal or customer data (names, e-mail, phone, IBAN).\n  Short note (optional, Enter skips)> " in (
        out
    )
    assert "✅ Saved: 20 minutes with ChatGPT" in out


def test_modal_fields_show_their_example_and_hint(tmp_path: Path) -> None:
    out = run_console(tmp_path, "/ki log\n20\n1\n\nTest\n\n")
    assert "  › z. B. 45 oder 1h30\n  › Minuten, oder Stunden mit h: 45, 1,5h, 1:30 – höchstens 8 Stunden.\n" in out
    assert "  › Keine personenbezogenen oder Kundendaten (Namen, E-Mail, Telefon, IBAN).\n  Kurze Notiz" in out
