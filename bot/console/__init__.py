"""The console workspace: a local stand-in for Slack, so the bot can be tried without a Slack account.

It drives the same Bolt app and handlers as Slack does: the terminal plays the person typing, and a
loopback Web API (`local_slack`) plays Slack's servers, showing what the bot posts where.
"""
