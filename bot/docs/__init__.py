"""The works-council pack: German documents generated from the running configuration."""
