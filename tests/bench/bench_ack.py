"""How fast `python -m bot serve` acknowledges Slack, next to a bare Bolt app that only acks, in one run.

Each process gets the same signed slash commands over loopback, each on a new connection as Slack may open
one for each: `/ki log …` one at a time and from 20 concurrent clients, `/ki stats` and `/ki` (help) one at
a time, all from a fixed set of colleagues who are known members after the warm-up; each phase in rounds in
which the processes take turns, so that the machine's drift falls on all of them alike. KI-Lotse runs on SQLite
and on PostgreSQL (a database of its own), its Slack Web API calls going to a loopback fake Slack. Any answer
other than 200 is counted: a 404 from Bolt means the listener did not call ack() within Slack's three
seconds, which a person sees as "dispatch_failed"; so is any `/ki log` whose answer does not say saved. Cold
start to the first 200 on `/healthz` and idle memory come from `bench_serve`. One table at the end: each
goal, measured, baseline, ratio, PASS/FAIL; the exit status is 1 when a goal is missed.

Beside them runs the floor for `/ki log` (floor_bolt.py: the bare app storing the log with the statements
KI-Lotse's log sends, through SQLAlchemy Core, and answering after the commit), on both databases. A second
table says whether the floor itself meets the log goals against the bare app, and how far KI-Lotse is above
the floor: what an answer that says "saved" only once it is saved costs with this stack, and what is
KI-Lotse's own.

`python -m tests.bench.bench_ack [--checkout DIR]`: DIR is another checkout of KI-Lotse to measure (e.g. an
older commit), started with this environment's interpreter.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.console.local_slack import LocalSlackApi
from bot.follow_ups import SETTLE_SECONDS
from tests.bench.bench_serve import (
    ROUNDS,
    Started,
    floors,
    launchers,
    measure,
    print_start_and_memory,
    server_output,
    set_up,
    stop,
)
from tests.conftest import signed_headers, slash_command_body

USERS = [f"U0BENCH{number:02d}" for number in range(50)]
LOG_TEXT = "log 15 ChatGPT Entwurf fürs Angebot"
SEQUENTIAL_LOGS = 200
CONCURRENT_LOGS = 400
CONCURRENCY = 20
SEQUENTIAL_READS = 100
# A phase that takes longer than this stops sending; what it did not send is reported.
PHASE_SECONDS = 30.0
# Longer than Slack's three-second window: a late answer is measured, not lost.
REQUEST_TIMEOUT_SECONDS = 10.0
# The follow-up work of one phase (profile look-ups, App Home) ends before the next phase starts.
QUIET_SECONDS = 0.5
QUIET_LIMIT_SECONDS = 15.0
SAVED = ("Gespeichert", "Saved")


@dataclass
class Phase:
    name: str
    planned: int
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    # Log requests whose answer (in the response or through the response_url) does not say saved.
    unsaved: int = 0
    # What one of those answers said, for whoever has to find out why.
    unsaved_example: str = ""
    seconds: float = 0.0

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    def joined(self, other: Phase) -> Phase:
        """This phase and a later round of it, as one."""
        return Phase(
            self.name,
            self.planned + other.planned,
            self.latencies + other.latencies,
            self.statuses + other.statuses,
            self.unsaved + other.unsaved,
            self.unsaved_example or other.unsaved_example,
            self.seconds + other.seconds,
        )

    def percentile(self, percent: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1]

    @property
    def throughput(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


@dataclass
class Target:
    label: str
    short: str
    # KI-Lotse stores logs and talks to the fake Slack; the bare app only acks.
    stores: bool
    # The floor for `/ki log` (floor_bolt.py): measured in the log phases only.
    floor: bool = False
    phases: dict[str, Phase] = field(default_factory=dict)
    # The server's log lines at ERROR and tracebacks' last lines, counted by text.
    errors_logged: Counter[str] = field(default_factory=Counter)

    @property
    def not_200(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for phase in self.phases.values():
            total.update({status: count for status, count in phase.statuses.items() if status != "200"})
        return total

    @property
    def unsaved(self) -> int:
        return sum(phase.unsaved for phase in self.phases.values())

    @property
    def unsent(self) -> int:
        return sum(phase.planned - phase.sent for phase in self.phases.values())


@dataclass(frozen=True)
class Job:
    text: str
    user: str
    # A log KI-Lotse is asked to store: its answer must say saved.
    saving: bool
    # Where a deferred answer would go; named so that it can be found among the fake Slack's calls.
    answer_to: str


class Client:
    """Sends signed slash commands to one server and records how each was answered."""

    def __init__(self, port: int, slack: LocalSlackApi, prefix: str) -> None:
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.slack = slack
        self.prefix = prefix
        self.count = 0

    def jobs(self, text: str, count: int, saving: bool) -> list[Job]:
        jobs = []
        for _ in range(count):
            self.count += 1
            jobs.append(Job(text, USERS[self.count % len(USERS)], saving, f"{self.prefix}-{self.count}"))
        return jobs

    async def run(self, name: str, jobs: list[Job], concurrency: int) -> Phase:
        phase = Phase(name, len(jobs))
        queue = list(reversed(jobs))
        deferred: dict[Job, str] = {}
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=0)
        async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT_SECONDS) as http:
            began = time.perf_counter()
            deadline = began + PHASE_SECONDS

            async def worker() -> None:
                while queue and time.perf_counter() < deadline:
                    job = queue.pop()
                    status, answer = await self.send(http, job, phase)
                    phase.statuses[status] += 1
                    if job.saving and status == "200" and not said_saved(answer):
                        deferred[job] = answer

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            phase.seconds = time.perf_counter() - began
        unsaved = self.not_saved_later(list(deferred)) if deferred else []
        phase.unsaved = len(unsaved)
        phase.unsaved_example = shown(deferred[unsaved[0]]) if unsaved else ""
        return phase

    async def send(self, http: httpx.AsyncClient, job: Job, phase: Phase) -> tuple[str, str]:
        body = slash_command_body(
            job.text, user=job.user, response_url=self.slack.response_url(job.answer_to), trigger_id=uuid.uuid4().hex
        )
        headers = signed_headers(body)
        began = time.perf_counter()
        try:
            response = await http.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException:
            return "timeout", ""
        except httpx.TransportError as error:
            return type(error).__name__, ""
        phase.latencies.append(time.perf_counter() - began)
        return str(response.status_code), response.text

    def not_saved_later(self, jobs: list[Job]) -> list[Job]:
        """The jobs whose answer said nothing of saving and for which no answer through the response_url
        says saved either, after the server's follow-up work ended."""
        wait_for_quiet(self.slack)
        told: dict[str, list[str]] = {}
        for call in self.slack.calls_to("response_url"):
            told.setdefault(str(call.params.get("response_url")), []).append(json.dumps(call.params))
        return [job for job in jobs if not any(said_saved(text) for text in told.get(job.answer_to, []))]


def shown(answer: str) -> str:
    """An answer's text as the person reads it (its fallback text), else the body as it came."""
    try:
        text = json.loads(answer).get("text")
    except (ValueError, AttributeError):
        text = None
    return str(text or answer)[:200]


def said_saved(answer: str) -> bool:
    return any(word in answer for word in SAVED)


def wait_for_quiet(slack: LocalSlackApi) -> None:
    """Until the fake Slack has heard nothing for a moment: the server has finished its follow-up work,
    including the App Home refreshes that wait for a person's changes to settle."""
    deadline = time.monotonic() + QUIET_LIMIT_SECONDS + SETTLE_SECONDS
    heard, since = len(slack.calls), time.monotonic()
    quiet = QUIET_SECONDS + SETTLE_SECONDS
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.05)
        if len(slack.calls) != heard:
            heard, since = len(slack.calls), time.monotonic()


# Each phase: its name, what is sent (text, how many), and by how many clients at once. The warm-up makes
# every colleague a known member and warms the process's caches and connections.
PHASES: list[tuple[str, list[tuple[str, int]], int]] = [
    ("warm-up", [(LOG_TEXT, len(USERS)), ("stats", 10), ("", 10)], 1),
    ("log, c=1", [(LOG_TEXT, SEQUENTIAL_LOGS)], 1),
    (f"log, c={CONCURRENCY}", [(LOG_TEXT, CONCURRENT_LOGS)], CONCURRENCY),
    ("stats, c=1", [("stats", SEQUENTIAL_READS)], 1),
    ("help, c=1", [("", SEQUENTIAL_READS)], 1),
]


# Each measured phase runs in this many rounds, the processes taking turns: the machine's speed drifts by
# tens of percent within seconds, and a baseline measured a phase later compared two different machines.
ROUNDS_PER_PHASE = 3


async def exercise(clients: list[tuple[Target, Client]]) -> None:
    """Phase by phase, each in rounds in which each process takes its turn: a machine that gets busier or
    quieter during the run changes the figures of all of them alike. A process's follow-up work ends before
    the next one's turn."""
    for name, requests, concurrency in PHASES:
        planned = [
            [
                job
                for text, count in requests
                for job in client.jobs(text, count, saving=target.stores and text == LOG_TEXT)
            ]
            for target, client in clients
        ]
        rounds = 1 if name == "warm-up" else ROUNDS_PER_PHASE
        for turn in range(rounds):
            for (target, client), jobs in zip(clients, planned, strict=True):
                if target.floor and not name.startswith(("warm-up", "log")):
                    continue
                share = jobs[turn * len(jobs) // rounds : (turn + 1) * len(jobs) // rounds]
                done = await client.run(name, share, concurrency)
                target.phases[name] = target.phases[name].joined(done) if name in target.phases else done
                if target.stores:
                    wait_for_quiet(client.slack)


def load(targets: list[Target], launches: list[Callable[[], Started]], slack: LocalSlackApi) -> None:
    running: list[tuple[Target, Started]] = []
    try:
        for target, launch in zip(targets, launches, strict=True):
            running.append((target, launch()))
        asyncio.run(exercise([(target, Client(started.port, slack, target.short)) for target, started in running]))
    finally:
        for target, started in running:
            stop_and_count_errors(target, started)


def stop_and_count_errors(target: Target, started: Started) -> None:
    output = server_output(started)
    stop(started)
    lines = output.splitlines()
    for number, line in enumerate(lines):
        if " ERROR " in line:
            target.errors_logged[line.split(" ERROR ", 1)[1][:160]] += 1
        elif line.startswith("Traceback"):
            last = next((later for later in lines[number + 1 :] if not later.startswith(" ")), "")
            target.errors_logged[last[:160]] += 1


def print_phases(targets: list[Target]) -> None:
    print(f"\n{'process':28} {'phase':11} {'sent':>9} {'p50':>9} {'p95':>9} {'req/s':>7}  not 200")
    for target in targets:
        for phase in target.phases.values():
            failures = ", ".join(
                f"{status} ×{count}" for status, count in sorted(phase.statuses.items()) if status != "200"
            )
            unsaved = f"; {phase.unsaved} not saved" if phase.unsaved else ""
            p50, p95 = phase.percentile(50) * 1000, phase.percentile(95) * 1000
            print(
                f"{target.label:28} {phase.name:11} {phase.sent:4}/{phase.planned:<4} {p50:6.1f} ms {p95:6.1f} ms"
                f" {phase.throughput:7.0f}  {failures or '–'}{unsaved}"
            )
            if phase.unsaved_example:
                print(f"{'':28} {phase.name:11} e.g. {phase.unsaved_example}")
        for text, count in target.errors_logged.most_common(5):
            print(f"{target.label:28} server log ×{count}: {text}")


@dataclass(frozen=True)
class Row:
    goal: str
    measured: str
    baseline: str
    ratio: str
    limit: str
    passed: bool | None


def ratio_row(
    goal: str, measured: float, baseline: float, unit: str, at_most: float | None, at_least: float | None
) -> Row:
    ratio = measured / baseline if baseline else float("inf")
    scale, digits = (1000, 1) if unit == "ms" else (1, 0)
    limit = f"≤ {at_most}×" if at_most is not None else f"≥ {at_least}×" if at_least is not None else "–"
    # Without a limit the row only informs.
    passed = None if limit == "–" else (at_most is None or ratio <= at_most) and (at_least is None or ratio >= at_least)
    return Row(
        goal,
        f"{measured * scale:.{digits}f} {unit}",
        f"{baseline * scale:.{digits}f} {unit}",
        f"{ratio:.2f}×",
        limit,
        passed,
    )


def median(phase: Phase) -> float:
    return phase.percentile(50)


def throughput(phase: Phase) -> float:
    return phase.throughput


# The goals against the bare app: what is compared, in which phase, and the allowed ratio.
GOALS: list[tuple[str, str, Callable[[Phase], float], str, float | None, float | None]] = [
    ("/ki log p50, c=1", "log, c=1", median, "ms", 1.5, None),
    (f"/ki log throughput, c={CONCURRENCY}", f"log, c={CONCURRENCY}", throughput, "req/s", None, 0.8),
    ("/ki help p50, c=1", "help, c=1", median, "ms", 1.5, None),
    ("/ki stats p50, c=1", "stats, c=1", median, "ms", 2.0, None),
]
IDLE_RSS_AT_MOST = 2.5


def goal_rows(targets: list[Target], memory: dict[str, tuple[float, float]]) -> list[Row]:
    products, bare = [target for target in targets if target.stores], targets[-1]
    rows = []
    for goal, phase, figure, unit, at_most, at_least in GOALS:
        for product in products:
            mine, theirs = figure(product.phases[phase]), figure(bare.phases[phase])
            rows.append(ratio_row(f"{goal}, {product.short}", mine, theirs, unit, at_most, at_least))
    bare_start, bare_rss = memory[bare.label]
    for product in products:
        rss = memory[product.label][1]
        rows.append(ratio_row(f"idle RSS, {product.short}", rss, bare_rss, "MiB", IDLE_RSS_AT_MOST, None))
    for product in products:
        start = memory[product.label][0]
        rows.append(ratio_row(f"cold start to /healthz, {product.short}", start, bare_start, "ms", None, None))
    for target in targets:
        problems = [f"{status} ×{count}" for status, count in sorted(target.not_200.items())]
        if target.unsent:
            problems.append(f"{target.unsent} not sent in time")
        rows.append(
            Row(
                f"every request answered 200, {target.short}",
                ", ".join(problems) or "0 not 200",
                "",
                "",
                "none",
                not problems,
            )
        )
    for product in products:
        rows.append(
            Row(
                f"every /ki log answered saved, {product.short}",
                f"{product.unsaved} not saved",
                "",
                "",
                "none",
                product.unsaved == 0,
            )
        )
    return rows


def floor_rows(targets: list[Target]) -> list[Row]:
    """For each database: whether the floor meets the log goals against the bare app, and KI-Lotse over the
    floor (no goal)."""
    products, floors, bare = [t for t in targets if t.stores], [t for t in targets if t.floor], targets[-1]
    rows = []
    for goal, phase, figure, unit, at_most, at_least in GOALS:
        if not phase.startswith("log"):
            continue
        for product, floor in zip(products, floors, strict=True):
            floor_figure = figure(floor.phases[phase])
            rows.append(
                ratio_row(
                    f"{goal}, floor {product.short}", floor_figure, figure(bare.phases[phase]), unit, at_most, at_least
                )
            )
            rows.append(
                ratio_row(
                    f"{goal}, KI-Lotse over floor, {product.short}",
                    figure(product.phases[phase]),
                    floor_figure,
                    unit,
                    None,
                    None,
                )
            )
    return rows


def print_table(rows: list[Row], baseline: str = "bare Bolt") -> None:
    width = max(len(row.goal) for row in rows)
    print(f"\n{'goal':{width}} {'measured':>18} {baseline:>11} {'ratio':>7} {'goal':>6}  verdict")
    for row in rows:
        verdict = "–" if row.passed is None else "PASS" if row.passed else "FAIL"
        print(f"{row.goal:{width}} {row.measured:>18} {row.baseline:>11} {row.ratio:>7} {row.limit:>6}  {verdict}")


def main(argv: list[str] | None = None) -> int:
    checkout, slack = set_up(argv, USERS)
    targets = [
        Target("KI-Lotse serve, SQLite", "SQLite", stores=True),
        Target("KI-Lotse serve, PostgreSQL", "PostgreSQL", stores=True),
        Target("floor, SQLite", "floor SQLite", stores=False, floor=True),
        Target("floor, PostgreSQL", "floor PostgreSQL", stores=False, floor=True),
        Target("bare Bolt", "bare Bolt", stores=False),
    ]
    try:
        with tempfile.TemporaryDirectory() as folder:
            sqlite_url = f"sqlite:///{Path(folder) / 'bench.db'}"
            processes = launchers(slack, sqlite_url, checkout)
            memory_rows = [measure(label, launch) for label, launch in processes]
            print_start_and_memory(memory_rows)
            # The floors store into the databases KI-Lotse migrated, so they start after it.
            *ki_lotse, (_bare_label, bare) = processes
            launches = [launch for _label, launch in ki_lotse] + [
                launch for _label, launch in floors(slack, sqlite_url)
            ]
            load(targets, [*launches, bare], slack)
    finally:
        slack.stop()
    print_phases(targets)
    rows = goal_rows(targets, {label: (seconds, rss) for label, seconds, rss in memory_rows})
    print_table(rows)
    print_table(floor_rows(targets), baseline="baseline")
    print(f"(latency and throughput: one run each; cold start and idle RSS: medians of {ROUNDS} runs)")
    return 0 if all(row.passed is not False for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
