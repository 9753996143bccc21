"""The console workspace, scripted as a new colleague would use it, as a real process."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def run_console(tmp_path: Path, script: str, *args: str, stdin: bool = False) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env.update({"PYTHONPATH": str(REPO_ROOT), "DATABASE_URL": "sqlite:///console.db"})
    command = [sys.executable, "-m", "bot", "console", *args]
    if stdin:
        result = subprocess.run(
            command, cwd=tmp_path, env=env, input=script, capture_output=True, text=True, timeout=60, check=False
        )
    else:
        (tmp_path / "demo.txt").write_text(script, encoding="utf-8")
        result = subprocess.run(
            [*command, "--script", "demo.txt"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


SCRIPT = """\
# a new colleague's first minute
/ki hilfe
/ki log 45 Angebot mit ChatGPT #angebot
log 1h30 Protokoll mit Copilot
/ki log abc
/ki stats
/ki sprache en
/ki stats
/weather
"""


def test_scripted_session(tmp_path: Path) -> None:
    out = run_console(tmp_path, SCRIPT, "--user", "lena")
    expected_in_order = [
        "lena> /ki hilfe",
        "[nur für dich sichtbar]",
        "KI-Lotse: Was ich für dich tun kann",
        "/ki log 45 Angebot mit ChatGPT",
        "lena> /ki log 45 Angebot mit ChatGPT #angebot",
        "✅ Gespeichert: 45 Minuten mit ChatGPT am",
        "Diese Woche bisher: 45 Minuten",
        "Anwendungsfall: #angebot",
        "lena> log 1h30 Protokoll mit Copilot",
        "✅ Gespeichert: 1 Stunde 30 Minuten mit Copilot am",
        "Diese Woche bisher: 2 Stunden 15 Minuten",
        "lena> /ki log abc",
        "⚠️ „abc“ ist keine Dauer.",
        "Beispiel: `/ki log 45 Angebot mit ChatGPT`",
        "lena> /ki stats",
        "Deine KI-Bilanz",
        "· Insgesamt: 2 Stunden 15 Minuten (2 Einträge)",
        "· Serie: 1 Woche in Folge",
        "Top-Tools: Copilot (1 Stunde 30 Minuten), ChatGPT (45 Minuten)",
        "lena> /ki sprache en",
        "I'll speak English with you from now on.",
        "lena> /ki stats",
        "Your AI balance",
        "· All time: 2 hours 15 minutes (2 entries)",
        "lena> /weather",
        "In dieser Konsole gibt es nur `/ki`.",  # the console itself speaks the workspace language
    ]
    position = 0
    for fragment in expected_in_order:
        found = out.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing after position {position} in:\n{out}"
        position = found + len(fragment)
    assert "a new colleague" not in out  # comment lines are skipped


def test_data_persists_between_runs_and_users_are_separate(tmp_path: Path) -> None:
    run_console(tmp_path, "/ki log 30 DeepL\n", "--user", "anna")
    out = run_console(tmp_path, "/ki stats\n:user ben\n/ki stats\n", "--user", "anna", stdin=True)
    assert "Insgesamt: 30 Minuten (1 Eintrag)" in out
    assert "Du bist jetzt @ben." in out
    assert out.rstrip().endswith("Noch keine Einträge. Leg los mit `/ki log 45 Angebot mit ChatGPT`.")


def test_english_locale(tmp_path: Path) -> None:
    out = run_console(tmp_path, "/ki log 20 Perplexity\n", "--locale", "en-US")
    assert "Saved: 20 minutes with Perplexity on" in out
