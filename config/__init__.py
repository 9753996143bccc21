"""Configuration: typed settings (settings.py) and the company-editable YAML files beside it."""

from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
