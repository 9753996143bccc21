"""Alembic migrations; applied automatically on start and by `python -m bot migrate`."""
