"""Settings a planner can edit: home region, radius, weak-link thresholds and scoring weights."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

DEFAULT_SETTINGS = Path(__file__).with_name("settings.toml")


def load_settings(path: str | Path | None = None, **overrides: Any) -> dict[str, Any]:
    """Read the default settings, then a planner's file over them, then keyword overrides.

    >>> load_settings(home_region="shizuishan")["home_region"]
    'shizuishan'
    """
    settings = tomllib.loads(DEFAULT_SETTINGS.read_text(encoding="utf-8"))
    if path:
        for key, value in tomllib.loads(Path(path).read_text(encoding="utf-8")).items():
            if isinstance(value, dict):
                settings.setdefault(key, {}).update(value)
            else:
                settings[key] = value
    settings.update({k: v for k, v in overrides.items() if v is not None})
    return settings
