"""Set Django up for a workspace's tracking database, on first use of the tracking layer.

SQLite in WAL mode, a busy timeout and IMMEDIATE write transactions (Django 5.1+ options), so that
many writers queue instead of failing with "database is locked". Library code that does not touch
tracking never imports Django's models, so it works without this.

>>> import tempfile
>>> ws = open_tracking(tempfile.mkdtemp())
>>> from django.db import connection
>>> connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
'wal'
"""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from tracking.workspace import Workspace, open_workspace

BUSY_TIMEOUT_S = 20


def database_settings(path: Path) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                        "transaction_mode": "IMMEDIATE", "timeout": BUSY_TIMEOUT_S}}


def _secret_key(ws: Workspace) -> str:
    """A per-workspace secret (for the workbench's sessions), made once, readable by the owner only."""
    path = ws.home / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def django_settings(ws: Workspace) -> dict[str, Any]:
    return {
        "DATABASES": {"default": database_settings(ws.database)},
        "INSTALLED_APPS": ["django.contrib.contenttypes", "django.contrib.auth", "tracking"],
        "USE_TZ": True, "TIME_ZONE": "Asia/Shanghai", "LANGUAGE_CODE": "zh-hans",
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "SECRET_KEY": _secret_key(ws),
    }


def open_tracking(home: str | Path | None = None, allow_network: bool | None = None) -> Workspace:
    """Open the workspace, configure Django for its database (switching if another was open) and
    bring the schema up to date (the committed migrations). Returns the workspace."""
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    ws = open_workspace(home, allow_network)
    if not settings.configured:
        settings.configure(**django_settings(ws))
        django.setup()
    elif connections["default"].settings_dict["NAME"] != str(ws.database):
        _secret_key(ws)  # every workspace has its own, for the workbench that serves it
        connections.close_all()
        connections["default"].settings_dict["NAME"] = str(ws.database)
    call_command("migrate", verbosity=0, interactive=False)
    return ws


def current_database() -> str | None:
    """The database file Django is using now, or None before `open_tracking`."""
    from django.conf import settings

    return settings.DATABASES["default"]["NAME"] if settings.configured else None
