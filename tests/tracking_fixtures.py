"""A fresh tracking workspace per test: a template database migrated once, copied into tmp_path.

Import the fixtures into a test module (`from tracking_fixtures import tracking_ws, tiny_index`).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracking.db import open_tracking


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path:
    ws = open_tracking(tmp_path_factory.mktemp("template") / "工作区")
    from django.db import connections

    connections.close_all()  # the last close checkpoints the WAL into the file
    return ws.database


@pytest.fixture
def tracking_ws(_template_db, tmp_path):
    """An empty tracking workspace (with a Chinese folder name), Django pointed at it."""
    home = tmp_path / "工作区"
    home.mkdir()
    shutil.copy(_template_db, home / "tracking.sqlite3")
    shutil.copy(_template_db.parent / "secret_key", home / "secret_key")
    ws = open_tracking(home)
    yield ws
    from django.db import connections

    connections.close_all()


@pytest.fixture
def tiny_index(tiny_graph):
    from tracking.firms import FirmIndex

    return FirmIndex.from_tables(tiny_graph.tables)


@pytest.fixture
def admin(tracking_ws):
    from tracking.people import acting_user

    return acting_user("管理员甲")
