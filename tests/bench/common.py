"""What every benchmark shares: run the same measurement on a fresh SQLite file and on PostgreSQL."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def on_both_databases(run: Callable[[str, str], None]) -> int:
    """`run(url, label)` on SQLite, then on PostgreSQL (`TEST_POSTGRES_URL`) if it is reachable."""
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite")
    url = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        run(url, "PostgreSQL")
    except Exception as error:  # a bench without PostgreSQL still reports SQLite
        print(f"PostgreSQL skipped: {type(error).__name__}: {error}", file=sys.stderr)
    return 0
