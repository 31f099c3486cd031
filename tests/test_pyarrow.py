"""With pyarrow installed, pandas 3 stores text in pyarrow by default: the answers must not change.

Runs where pyarrow is importable (`.ci/run` installs it for a second pass of this file and the query
tests); elsewhere it skips, unless CHAINKG_PYARROW=1 demands it.
"""
from __future__ import annotations

import os

import pandas as pd
import pytest

from graph import ChainGraph
from loaders import load
from queries.analysis import analyse, what_if, Addition

if os.environ.get("CHAINKG_PYARROW") == "1":
    import pyarrow  # noqa: F401  (must be installed in this pass)
else:
    pytest.importorskip("pyarrow", reason="pyarrow 未安装，跳过 / pyarrow not installed: skipped")


def answers(storage: str) -> dict:
    with pd.option_context("mode.string_storage", storage):
        tables, report = load()
        cg = ChainGraph(tables)
        a = analyse(cg)
        hypothetical = what_if(cg, [Addition("L001", "pbat", 10.0)], [])
        return {"gaps": [g.to_json() for g in a.gaps], "targets": [t.to_json() for t in a.targets],
                "completeness": {k: c.to_json() for k, c in a.completeness.items()},
                "what_if": hypothetical.to_json(), "rows": report.totals}


def test_pyarrow_storage_is_really_used_by_pandas() -> None:
    """Otherwise the comparison below compares python with python."""
    with pd.option_context("mode.string_storage", "pyarrow"):
        assert "Arrow" in type(pd.Series(["甲"], dtype="str").array).__name__


def test_answers_are_the_same_with_text_in_pyarrow() -> None:
    arrow, python = answers("pyarrow"), answers("python")
    assert arrow["gaps"] and arrow["targets"]
    assert arrow == python


def test_the_loader_keeps_text_in_python_strings() -> None:
    """The loader's column operations work on str objects (a pyarrow column made loading slower)."""
    with pd.option_context("mode.string_storage", "pyarrow"):
        tables, _ = load()
    kinds = {type(tables["enterprises"][c].array).__name__ for c in ("name", "province", "source")}
    assert not any("Arrow" in k for k in kinds), kinds
