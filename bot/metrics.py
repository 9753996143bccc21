"""What an operator watches (`GET /metrics`, Prometheus' text format): how fast requests are answered, which
subcommands are used, how scheduled jobs and their deliveries end, how often Slack refuses or fails. Labels
name kinds of things only, never a person or a workspace: workspaces appear only as their number."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# One registry for the process: the metrics below are module-level, so a second app in the same process (a
# test) counts into the same ones instead of registering them twice.
REGISTRY = CollectorRegistry()

REQUEST_SECONDS = Histogram(
    "kilotse_request_seconds",
    "Time from a Slack request's arrival to its answer, by kind of request.",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
    registry=REGISTRY,
)
COMMANDS = Counter(
    "kilotse_commands", "Slash commands, by subcommand (unknown ones as 'unknown').", ["subcommand"], registry=REGISTRY
)
JOB_RUNS = Counter(
    "kilotse_job_runs",
    "Occurrences of scheduled jobs, by job and how they ended.",
    ["job", "outcome"],
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "kilotse_deliveries",
    "Messages of scheduled jobs, by job and outcome (sent, failed, uncertain).",
    ["job", "outcome"],
    registry=REGISTRY,
)
SLACK_ERRORS = Counter(
    "kilotse_slack_errors",
    "Slack Web API answers that were not a success: 'ratelimited' (429) or 'server_error' (5xx).",
    ["kind"],
    registry=REGISTRY,
)

# The kinds of Slack requests, as `kind` labels.
REQUEST_KINDS = ("command", "block_actions", "view_submission", "shortcut", "message_action", "event", "other")


class WorkspaceCount(Collector):
    """The number of workspaces, read when Prometheus asks (so that every process reports the same)."""

    def __init__(self) -> None:
        self.count: Callable[[], int] | None = None

    def collect(self) -> Iterable[Metric]:
        if self.count is None:
            return []
        try:
            value = self.count()
        except Exception:  # the database is away: the other metrics still answer, /readyz says why
            return []
        return [GaugeMetricFamily("kilotse_workspaces", "Workspaces the bot serves.", value=value)]


WORKSPACES = WorkspaceCount()
REGISTRY.register(WORKSPACES)


def request_kind(body: dict[str, object]) -> str:
    """The `kind` label of a parsed Slack request body."""
    if "command" in body:
        return "command"
    kind = str(body.get("type") or "")
    if kind == "event_callback":
        return "event"
    return kind if kind in REQUEST_KINDS else "other"


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, with its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
