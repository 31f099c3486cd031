"""Writing cells that a planner opens in Excel or WPS: text stays text, never a formula.

>>> csv_safe(pd.DataFrame({"phone": ["+86 139", "-", "'abc", "'=x"], "n": [-5, 1, 2, 3]})).to_dict("list")
{'phone': ["'+86 139", "'-", "'abc", "''=x"], 'n': [-5, 1, 2, 3]}
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from loaders.output import save_workbook, writing

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what a CSV cell gets an apostrophe for: a formula start, also behind apostrophes of its own, so
# that a reader removing one apostrophe before a formula start gives back exactly what was written
CSV_ESCAPE = re.compile(r"'*[=+\-@\t\r]")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def write_sheet(ws: Worksheet, frame: pd.DataFrame, widths: dict[str, int] | None = None) -> None:
    """Write a frame with a frozen, filterable header row; every string cell is stored as text.

    openpyxl turns a string starting with '=' into a formula, so such cells are written with
    data_type 's' explicitly; CSV writers should use `csv_safe` instead.
    """
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if (v is None or (isinstance(v, float) and pd.isna(v))) else v for v in row])
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    if len(frame.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(len(frame) + 1, 1)}"
    for i, column in enumerate(frame.columns, start=1):
        width = (widths or {}).get(str(column))
        if width is None:
            sample = [str(column)] + [str(v) for v in frame[column].head(200)]
            width = min(60, max(8, max(_display_width(s) for s in sample) + 2))
        ws.column_dimensions[get_column_letter(i)].width = width


def _display_width(text: str) -> int:
    """Chinese characters take two columns in Excel."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix formula-like text cells with an apostrophe, as spreadsheet programs expect in CSV.

    Whole columns: numeric and yes/no columns are left alone (a negative number stays -5); in a
    text column each distinct string is checked once. The loader removes one apostrophe before
    a formula start, so a CSV the tool writes reads back exactly."""
    out = frame.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if not (pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)):
            continue
        flagged = [v for v in pd.unique(col) if isinstance(v, str) and CSV_ESCAPE.match(v)]
        if flagged:
            mask = col.isin(flagged)
            out.iloc[:, i] = col.where(~mask, "'" + col[mask].astype(str))
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, encoding: str = "utf-8-sig", option: str = "--out") -> Path:
    """`frame` as CSV (formula-like text escaped), UTF-8 with BOM by default so Excel opens it cleanly."""
    path = Path(path)
    with writing(path, option):
        path.parent.mkdir(parents=True, exist_ok=True)
        csv_safe(frame).to_csv(path, index=False, encoding=encoding)
    return path


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame], option: str = "--out") -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        write_sheet(wb.create_sheet(name[:31]), frame)
    return save_workbook(wb, path, option)
