"""Write clean tables back out in a form `loaders.load` reads again: a folder of CSV files (UTF-8
with BOM, formula-like text escaped) or one .xlsx workbook with a sheet per table (every text cell
stored as text).

Yes/no columns are written 是/否, missing numbers as empty cells, lists joined with |; columns in
the tables' spec order.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.book import Book
from loaders.spreadsheet import write_csv, write_sheet
from loaders.tables import BOOL, TABLES, TABLES_BY_NAME


def readable(table_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table as a planner would type it: the spec's columns in order, yes/no as 是/否."""
    columns = TABLES_BY_NAME[table_name].columns
    out = frame.reindex(columns=[c.id for c in columns])
    for col in columns:
        if col.kind == BOOL:
            out[col.id] = out[col.id].map({True: "是", False: "否"})
    return out


def table_paths(path: str | Path) -> list[Path]:
    """The files `write_tables(tables, path)` writes."""
    path = Path(path)
    return [path] if path.suffix.lower() == ".xlsx" else [path / f"{t.name}.csv" for t in TABLES]


def write_tables(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write every table to `path`: an .xlsx workbook, or else a folder of `<table>.csv` files."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        with Book(path) as book:
            for t in TABLES:
                write_sheet(book, t.name, readable(t.name, tables[t.name]))
        return path
    for t, file in zip(TABLES, table_paths(path)):
        write_csv(readable(t.name, tables[t.name]), file)
    return path
