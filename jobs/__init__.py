"""Scheduled jobs: one module per job, the exactly-once machinery they stand on (runtime.py), the scheduler
wiring (scheduler.py) and what listeners and the console ask of them (api.py). A job is a handler whose
trigger is the clock."""

# How many jobs run at once in a process (APScheduler's thread pool); each may hold a database connection.
JOB_THREADS = 10
