"""The ways to run the one Bolt app: console (local), Socket Mode, and HTTP (uvicorn)."""
