"""Talking to Slack's Web API: one configured client, and the profile lookups built on it."""
