"""How KI-Lotse looks: domain results in, Block Kit out. Every text goes through a Translator."""
