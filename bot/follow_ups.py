"""Work that follows a request's answer (DMs, App Home, a matching round, an export), run after the answer
has left, on one bounded pool of threads.

Why an own pool and not Bolt's lazy listeners: a request's follow-ups are results of its work (the DMs a
promotion produced, the closures queued in `later`), known only once the unit of work has committed; a lazy
listener starts again from a copy of the raw request and would have to redo that work. An own pool also
lets App Home refreshes coalesce per person across requests, which lazy listeners cannot.

The pool is bounded (a fixed number of threads) and its queue is not: follow-up work waits its turn, and
none is dropped. Each step's failure is logged and does not stop the steps after it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

log = logging.getLogger(__name__)

# How long, in the servers, an App Home refresh that nobody is looking at waits for more changes: a burst of
# `/ki log` is one refresh, and the answers to the next requests do not queue behind the refreshes. Opening
# App Home always publishes it fresh at once.
SETTLE_SECONDS = 5.0


class InlineExecutor(Executor):
    """Runs each piece of work at once, in the caller's thread: the console prints the answer and its
    follow-ups in the order they happen, and a process that answers no requests needs no threads."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


class DeferredExecutor(Executor):
    """Keeps each piece of work until `run_pending()`, in the caller's thread: the console shows a request's
    answer first, then runs what follows it (the coach's answer, DMs, App Home), as Slack would show them."""

    def __init__(self) -> None:
        self._pending: list[tuple[Future[Any], Callable[[], Any]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._pending.append((future, partial(fn, *args, **kwargs)))
        return future

    def run_pending(self) -> None:
        """Runs the work kept so far, and work that it queues, in order."""
        while self._pending:
            future, work = self._pending.pop(0)
            try:
                future.set_result(work())
            except BaseException as error:
                future.set_exception(error)


@dataclass
class Coalesced:
    """A step that is worth doing once however often it is asked for meanwhile (App Home shows the latest
    state, so one refresh after the last change is enough). `flags` are passed to `work`; a flag that any of
    the coalesced requests set stays set."""

    key: Hashable
    work: Callable[..., None]
    flags: dict[str, bool] = field(default_factory=dict)
    # Nobody is looking right now (a slash command typed in a conversation while App Home is not in view): the
    # step may wait until the changes have settled, so that a burst of them is one run. A step asked for
    # without it meanwhile runs at once.
    may_wait: bool = False


Step = Callable[[], None] | Coalesced


@dataclass
class _Wanted:
    """A coalesced step that is queued or running. `queued`: a run is wanted that has not started yet."""

    work: Callable[..., None]
    flags: dict[str, bool]
    queued: bool = True

    def again(self, step: Coalesced) -> None:
        self.work = step.work
        for name, value in step.flags.items():
            self.flags[name] = self.flags.get(name, False) or value
        self.queued = True


class FollowUps:
    """Runs a request's follow-up steps in order, after its answer, on `executor`."""

    def __init__(self, executor: Executor | None = None, settle_seconds: float = 0.0) -> None:
        """`settle_seconds`: how long a coalesced step that `may_wait` waits for more requests (0: none)."""
        self.executor = executor or InlineExecutor()
        self.settle_seconds = settle_seconds
        self._lock = threading.Lock()
        self._wanted: dict[Hashable, _Wanted] = {}
        # Coalesced steps waiting to settle, and when each is due (`time.monotonic()`). One thread hands them to
        # the executor when due (`_settle`), not a timer thread per step: starting a thread on the request
        # path cost each person's first change a tenth of a millisecond.
        self._waiting: dict[Hashable, float] = {}
        self._settling = threading.Condition(self._lock)
        self._settler: threading.Thread | None = None
        # When the settling thread looks again by itself (None: not until it is woken). A step due later (every
        # step waits as long) does not wake it, so that a request does not switch threads for it.
        self._looks_at: float | None = None
        self._stopping = False

    @classmethod
    def pooled(cls, threads: int, settle_seconds: float = 0.0) -> FollowUps:
        return cls(ThreadPoolExecutor(max_workers=threads, thread_name_prefix="follow-up"), settle_seconds)

    def shutdown(self) -> None:
        """Runs what waits to settle at once, then waits for the work already queued (the process is
        stopping: nothing queued is dropped)."""
        with self._settling:
            waiting, self._waiting = list(self._waiting), {}
            self._stopping = True
            self._settling.notify()
        if self._settler is not None:
            self._settler.join()  # it may be handing over steps that were due just now
        for key in waiting:
            self._hand_over(self._run_while_wanted, key)
        self.executor.shutdown(wait=True)

    def submit(self, *steps: Step) -> None:
        """Queues `steps` to run one after the other. A coalesced step already queued and not yet started
        (by this or another request) is not queued twice; one that is running runs once more after it. A
        coalesced step that may wait runs on its own after `settle_seconds`."""
        planned = [step for step in steps if not isinstance(step, Coalesced) or self._first_to_want(step)]
        if planned:
            self._hand_over(self._run_steps, planned)

    def _hand_over(self, work: Callable[..., None], *args: Any) -> None:
        try:
            self.executor.submit(work, *args)
        except RuntimeError:
            # The pool has shut down (the process is stopping) and a request still finished: its work is done
            # here, in the request's thread, not dropped.
            log.info("follow-up work after the pool stopped; done in the request's thread")
            work(*args)

    def _first_to_want(self, step: Coalesced) -> bool:
        """Whether `step` is to run with the steps submitted with it."""
        with self._lock:
            wanted = self._wanted.get(step.key)
            if wanted is not None:
                wanted.again(step)
                # Someone is looking now: what was waiting to settle runs with this request's steps.
                return not step.may_wait and self._waiting.pop(step.key, None) is not None
            self._wanted[step.key] = _Wanted(step.work, dict(step.flags))
            if not (step.may_wait and self.settle_seconds > 0) or self._stopping:
                return True  # when stopping, nothing waits: the settling thread is gone
            due = self._waiting[step.key] = time.monotonic() + self.settle_seconds
            if self._settler is None:
                self._settler = threading.Thread(target=self._settle, name="follow-up-settle", daemon=True)
                self._settler.start()
            if self._looks_at is None or due < self._looks_at:
                self._looks_at = due
                self._settling.notify()
        return False

    def _settle(self) -> None:
        """Hands each waiting step to the executor once it is due, until the process stops."""
        while True:
            with self._settling:
                due = self._next_due()
            if not due:
                return
            for key in due:
                self.executor.submit(self._run_while_wanted, key)

    def _next_due(self) -> list[Hashable]:
        """The steps due now, taken out of the waiting ones, once there are any; none when stopping. Called
        with the lock held; waits on it."""
        while not self._stopping:
            now = time.monotonic()
            due = [key for key, at in self._waiting.items() if at <= now]
            if due:
                for key in due:
                    del self._waiting[key]
                return due
            self._looks_at = min(self._waiting.values(), default=None)
            self._settling.wait(self._looks_at - now if self._looks_at is not None else None)
        return []

    def _run_steps(self, steps: list[Step]) -> None:
        for step in steps:
            if isinstance(step, Coalesced):
                self._run_while_wanted(step.key)
            else:
                _run(step)

    def _run_while_wanted(self, key: Hashable) -> None:
        """Runs the coalesced step as long as it is wanted again: asked for while it ran, it runs once more,
        so that the last state is what is shown."""
        while True:
            with self._lock:
                wanted = self._wanted[key]
                if not wanted.queued:
                    del self._wanted[key]
                    return
                wanted.queued = False
                work, flags = wanted.work, wanted.flags
                wanted.flags = {}
            _run(partial(work, **flags))


def _run(step: Callable[[], None]) -> None:
    try:
        step()
    except Exception:
        log.exception("follow-up work failed")
