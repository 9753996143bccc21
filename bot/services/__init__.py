"""What KI-Lotse does: one module per feature. Services take a unit of work and domain values,
never a Slack payload or client, and return domain results that `bot.render` turns into Block Kit."""
