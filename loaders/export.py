"""Write clean tables back out in a form `loaders.load` reads again: a folder of UTF-8 CSV files
or one .xlsx workbook with a sheet per table (every text cell stored as text).

Yes/no columns are written 是/否, missing numbers as empty cells, lists joined with |.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from loaders.spreadsheet import write_sheet
from loaders.tables import BOOL, TABLES


def readable(table_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table with yes/no as 是/否, in the spec's column order."""
    out = frame.copy()
    for col in next(t for t in TABLES if t.name == table_name).columns:
        if col.kind == BOOL:
            out[col.id] = out[col.id].map({True: "是", False: "否"})
    return out


def write_tables(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write every table to `path`: an .xlsx workbook, or else a folder of `<table>.csv` files."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = Workbook()
        wb.remove(wb.active)
        for t in TABLES:
            write_sheet(wb.create_sheet(t.name), readable(t.name, tables[t.name]))
        wb.save(path)
        return path
    path.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        readable(t.name, tables[t.name]).to_csv(path / f"{t.name}.csv", index=False, encoding="utf-8")
    return path
