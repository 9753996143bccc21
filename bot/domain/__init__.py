"""Pure domain rules: no database, no Slack. Unit-tested on their own."""
