"""What a job started by hand did: for the admin's `/ki admin run` and the console's `:run`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.i18n import Translator


class RunOutcome(Protocol):
    """What a run reports (the jobs' `JobReport` is one); render needs nothing else of it."""

    @property
    def job(self) -> str: ...
    @property
    def sent(self) -> int: ...
    @property
    def failed(self) -> int: ...
    def why(self) -> Sequence[str]: ...


def job_done(tr: Translator, key: str, report: RunOutcome) -> list[str]:
    """The outcome line (`key` gets job, sent, failed), then, when nothing was sent, a line per reason."""
    lines = [tr.t(key, job=report.job, sent=report.sent, failed=report.failed)]
    if not report.sent and not report.failed:
        lines += [tr.t(f"job.reason.{reason}") for reason in report.why()]
    return lines
