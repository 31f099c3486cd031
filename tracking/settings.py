"""Tracking settings: the bureau's name, outreach stages, bulletin thresholds, ranking weights.

Defaults in `tracking/settings.toml`; a planner's --config file overrides the same sections.

>>> tracking_settings()["tracking"]["stages"][0]
'线索'
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from queries.errors import SettingsError
from queries.settings import OTHER_SECTIONS, read_toml

DEFAULTS = Path(__file__).with_name("settings.toml")
SECTIONS = OTHER_SECTIONS  # the sections of a --config file that tracking reads


def tracking_settings(path: str | Path | None = None) -> dict[str, Any]:
    settings = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    if path:
        mine, _ = read_toml(path)
        for section in SECTIONS:
            given = mine.get(section, {})
            if not isinstance(given, dict):
                raise SettingsError(f"参数 {section} 应为表（[{section}]）", f"setting {section} should be a table ([{section}])",
                                    code="settings-type", file=str(path), option="--config")
            for key, value in given.items():
                if isinstance(value, dict):
                    settings[section].setdefault(key, {}).update(value)
                else:
                    settings[section][key] = value
    return settings
