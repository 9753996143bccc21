"""Talking to Slack: one configured Web API client, the profile lookups built on it, and what Slack's
protocol fixes (how long it waits for an answer)."""

# How long Slack waits for a request's answer before it tells the person the app did not respond.
SLACK_ANSWER_SECONDS = 3.0
