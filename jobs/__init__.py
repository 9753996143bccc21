"""Scheduled jobs: one module per job, the exactly-once machinery they stand on (runtime.py), the scheduler
wiring (scheduler.py) and what listeners and the console ask of them (api.py). A job is a handler whose
trigger is the clock."""
