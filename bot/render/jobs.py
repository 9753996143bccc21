"""What a job started by hand did: for the admin's `/ki admin run` and the console's `:run`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import Translator

if TYPE_CHECKING:
    from jobs.runtime import JobReport


def job_done(tr: Translator, key: str, report: JobReport) -> list[str]:
    """The outcome line (`key` gets job, sent, failed), then, when nothing was sent, a line per reason."""
    lines = [tr.t(key, job=report.job, sent=report.sent, failed=report.failed)]
    if not report.sent and not report.failed:
        lines += [tr.t(f"job.reason.{reason}") for reason in report.why()]
    return lines
