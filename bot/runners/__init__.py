"""The ways to run the one Bolt app: console (local), Socket Mode, and HTTP (uvicorn)."""

# How many of Slack's requests a server process handles at once; more wait their turn. One still waiting when
# Slack's three seconds are over is answered 503 over HTTP; its work, once it runs, stores nothing and tells the
# person so. Each request holds a thread and, while it works, a database connection. More threads do not
# answer more requests: with 20 requests at once on PostgreSQL, 4 to 8 threads answered 230–300 `/ki log` a
# second, 40 threads 215–240 (they only take turns at the interpreter); on SQLite the number made no
# difference that could be measured.
REQUEST_THREADS = 8


def exit_cleanly(signum: int, frame: object) -> None:
    """SIGTERM ends the process through SystemExit, so that the caller's clean-up runs and the exit code is 0."""
    raise SystemExit(0)
