"""Why a job run sent nothing, as the console and an admin's `/ki admin run` are told."""

from jobs.runtime import JobReport, Skip


def test_reasons_come_once_each_including_those_the_jobs_noted() -> None:
    report = JobReport("buddy_checkin", reasons=[Skip.ALREADY_RAN])
    report.skipped += ["T1: pair 3 paused", "T1: pair 4 paused", "T1: 2026-12-25 holiday", "T1: pair 5 odd"]
    assert report.why() == [Skip.ALREADY_RAN, Skip.PAUSED, Skip.HOLIDAY]
