"""The import graph: what may import what.

The driver-free Neo4j module is checked in a fresh interpreter, since this test session has long
imported the driver itself.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_neo4j_config_does_not_import_the_driver() -> None:
    code = ("import sys, graph.neo4j_config as c; "
            "print(c.PUSH_BATCH_SIZE, c.Neo4jConfigError.__name__, sorted(m for m in sys.modules if m.split('.')[0] == 'neo4j'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["10000", "Neo4jConfigError", "[]"]


def test_the_package_reexports_the_driver_free_names() -> None:
    import graph.neo4j_config as config
    import graph.neo4j_store as store

    assert store.Neo4jConfigError is config.Neo4jConfigError
    assert store.PUSH_BATCH_SIZE == config.PUSH_BATCH_SIZE
    assert store.neo4j_settings is config.neo4j_settings
