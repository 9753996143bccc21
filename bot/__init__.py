"""KI-Lotse: the core — models, storage, domain rules, services, i18n, Slack rendering and runners."""
