"""Start-up against a database that accepts connections but never answers."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import run_bot


def test_a_database_that_never_answers_stops_start_up_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as silent:
        # Listening is enough: the kernel accepts the connection, and nothing ever answers on it.
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        result = run_bot(["migrate"], tmp_path, DATABASE_URL=f"postgresql://nobody@127.0.0.1:{port}/none")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("database unavailable")
    assert "Traceback" not in result.stderr
