"""Work after a request's answer: run in order, failures logged without stopping the rest, and App Home
refreshes of one person coalesced (never two queued, one more after a running one)."""

from __future__ import annotations

import logging
import threading

import pytest

from bot.follow_ups import Coalesced, FollowUps
from tests.conftest import eventually
from tests.slack_payloads import HeldExecutor


def test_steps_run_in_order_and_a_failure_does_not_stop_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    done: list[str] = []

    def fails() -> None:
        raise RuntimeError("Slack is down")

    held = HeldExecutor()
    FollowUps(held).submit(lambda: done.append("dm"), fails, lambda: done.append("later"))
    assert done == []
    with caplog.at_level(logging.ERROR):
        held.run_held()
    assert done == ["dm", "later"]
    assert "follow-up work failed" in caplog.text


def test_without_a_pool_follow_ups_run_at_once() -> None:
    done: list[str] = []
    FollowUps().submit(lambda: done.append("dm"), Coalesced("home", lambda: done.append("home")))
    assert done == ["dm", "home"]


def test_a_refresh_asked_for_while_one_is_queued_is_not_queued_again() -> None:
    shown: list[bool] = []
    held = HeldExecutor()
    follow_ups = FollowUps(held)

    def publish(show_notice: bool) -> None:
        shown.append(show_notice)

    follow_ups.submit(Coalesced(("home", "T", "U1"), publish, {"show_notice": True}))
    follow_ups.submit(Coalesced(("home", "T", "U1"), publish, {"show_notice": False}))
    follow_ups.submit(Coalesced(("home", "T", "U2"), publish, {"show_notice": False}))
    assert len(held.held) == 2
    held.run_held()
    # One refresh for U1, with the notice one of the requests asked for; one for U2.
    assert shown == [True, False]


def test_a_refresh_asked_for_while_one_runs_runs_once_more_after_it() -> None:
    runs: list[str] = []
    held = HeldExecutor()
    follow_ups = FollowUps(held)

    def publish(show_notice: bool) -> None:
        runs.append(f"run {len(runs) + 1}")
        if len(runs) == 1:
            # Two more changes while the first refresh runs: one more refresh shows both.
            follow_ups.submit(Coalesced("home", publish, {"show_notice": False}))
            follow_ups.submit(Coalesced("home", publish, {"show_notice": False}))

    follow_ups.submit(Coalesced("home", publish, {"show_notice": False}))
    held.run_held()
    assert runs == ["run 1", "run 2"]
    follow_ups.submit(Coalesced("home", publish, {"show_notice": False}))
    assert len(held.held) == 1, "once done, the next request queues a refresh again"


def waiting_refresh(runs: list[str], key: str = "home") -> Coalesced:
    return Coalesced(key, lambda: runs.append("home"), may_wait=True)


def test_refreshes_nobody_is_looking_at_wait_to_settle_and_a_burst_is_one_run() -> None:
    runs: list[str] = []
    follow_ups = FollowUps.pooled(2, settle_seconds=0.3)
    for _ in range(5):
        follow_ups.submit(lambda: runs.append("dm"), waiting_refresh(runs))
    assert eventually(lambda: runs.count("home") == 1, timeout=10)
    assert runs.count("dm") == 5
    # Settled: a later change is a new run.
    follow_ups.submit(waiting_refresh(runs))
    assert eventually(lambda: runs.count("home") == 2, timeout=10)
    follow_ups.shutdown()
    assert runs.count("home") == 2


def test_a_refresh_someone_may_be_looking_at_runs_at_once_and_takes_the_waiting_one_along() -> None:
    runs: list[str] = []
    held = HeldExecutor()
    follow_ups = FollowUps(held, settle_seconds=3600)
    follow_ups.submit(waiting_refresh(runs))
    held.run_held()
    assert runs == []  # waiting to settle
    follow_ups.submit(Coalesced("home", lambda: runs.append("home")))  # e.g. a click on App Home
    held.run_held()
    assert runs == ["home"]
    follow_ups.shutdown()
    held.run_held()
    assert runs == ["home"]  # the waiting run was that one; nothing runs twice


def test_stopping_runs_what_waits_to_settle() -> None:
    runs: list[str] = []
    held = HeldExecutor()
    follow_ups = FollowUps(held, settle_seconds=3600)
    follow_ups.submit(waiting_refresh(runs, "anna"), waiting_refresh(runs, "ben"))
    held.run_held()
    assert runs == []
    follow_ups.shutdown()
    held.run_held()
    assert runs == ["home", "home"]


def test_one_thread_waits_for_all_the_refreshes_that_settle() -> None:
    runs: list[str] = []
    held = HeldExecutor()
    follow_ups = FollowUps(held, settle_seconds=3600)
    threads_before = threading.active_count()
    follow_ups.submit(*(waiting_refresh(runs, f"person {number}") for number in range(50)))
    assert threading.active_count() == threads_before + 1
    follow_ups.shutdown()
    assert threading.active_count() == threads_before
    held.run_held()
    assert runs == ["home"] * 50


def test_refreshes_asked_for_at_different_moments_each_run_when_settled() -> None:
    runs: list[str] = []
    follow_ups = FollowUps.pooled(2, settle_seconds=0.2)
    follow_ups.submit(Coalesced("anna", lambda: runs.append("anna"), may_wait=True))
    assert eventually(lambda: runs == ["anna"], timeout=10)
    follow_ups.submit(Coalesced("ben", lambda: runs.append("ben"), may_wait=True))
    follow_ups.submit(Coalesced("anna", lambda: runs.append("anna"), may_wait=True))
    assert eventually(lambda: sorted(runs) == ["anna", "anna", "ben"], timeout=10)
    follow_ups.shutdown()


def test_work_handed_over_after_stopping_is_done_in_the_callers_thread_not_dropped() -> None:
    """A request that finishes while the process stops (it was past Slack's window, say) still gets its DMs
    and its refresh, even one that would have waited to settle: the settling thread is gone by then."""
    done: list[tuple[str, str]] = []
    follow_ups = FollowUps.pooled(2, settle_seconds=3600)
    follow_ups.shutdown()
    follow_ups.submit(
        lambda: done.append(("dm", threading.current_thread().name)),
        Coalesced("anna", lambda: done.append(("home", threading.current_thread().name)), may_wait=True),
    )
    here = threading.current_thread().name
    assert done == [("dm", here), ("home", here)]
