"""Read planners' tables, validate them, and report every rejected row.

>>> from loaders import load
>>> tables, report = load()          # the built-in Wuhai dataset
>>> report.totals["rejected"]
0
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.read import read_source
from loaders.validate import LoadReport, validate

BUILTIN = Path(__file__).parent / "data"


def load(source: str | Path | None = None) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """Load a folder of CSV/JSON tables, an .xlsx workbook or a .json file (default: built-in data).

    The built-in tables say so (`frame.attrs["builtin"]`), for the demonstration banner."""
    # Text stays in Python strings even where pyarrow is installed (pandas 3 would store it in
    # pyarrow): the loader's whole-column operations work on str objects, and with pyarrow storage
    # each one converts back and forth, which made loading about twice as slow.
    with pd.option_context("mode.string_storage", "python"):
        tables, report = validate(read_source(Path(source) if source else BUILTIN))
    if not source:
        for frame in tables.values():
            frame.attrs["builtin"] = True
    return tables, report


__all__ = ["BUILTIN", "LoadReport", "load"]
