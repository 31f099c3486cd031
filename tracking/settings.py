"""Tracking settings: the bureau's name, outreach stages, bulletin thresholds, ranking weights.

Defaults in `tracking/settings.toml`; a planner's --config file overrides the same sections.

>>> tracking_settings()["tracking"]["stages"][0]
'线索'
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

DEFAULTS = Path(__file__).with_name("settings.toml")
SECTIONS = ("tracking", "bulletin", "ranking")


def tracking_settings(path: str | Path | None = None) -> dict[str, Any]:
    settings = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    if path:
        mine = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        for section in SECTIONS:
            for key, value in mine.get(section, {}).items():
                if isinstance(value, dict):
                    settings[section].setdefault(key, {}).update(value)
                else:
                    settings[section][key] = value
    return settings
