"""Scheduler wiring and one module per scheduled job. A job is a handler whose trigger is the clock."""
