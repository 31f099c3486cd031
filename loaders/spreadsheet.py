"""Writing cells that a planner opens in Excel or WPS: text stays text, never a formula.

>>> csv_safe(pd.DataFrame({"phone": ["+86 139", "-", "'abc", "'=x"], "n": [-5, 1, 2, 3]})).to_dict("list")
{'phone': ["'+86 139", "'-", "'abc", "''=x"], 'n': [-5, 1, 2, 3]}
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path

import pandas as pd
from xlsxwriter.format import Format

from loaders.book import Book, Sheet
from loaders.output import writing

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what a CSV cell gets an apostrophe for: a formula start, also behind apostrophes of its own, so
# that a reader removing one apostrophe before a formula start gives back exactly what was written
CSV_ESCAPE = re.compile(r"'*[=+\-@\t\r]")
NARROW = re.compile(r"[\x00-\u2e80]+")  # characters one column wide; those above take two


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def cell_values(frame: pd.DataFrame) -> list[list[object]]:
    """The frame's columns as lists of plain Python values, missing values as None.

    >>> cell_values(pd.DataFrame({"a": ["x", None], "n": [1.5, float("nan")]}))
    [['x', None], [1.5, None]]
    """
    out = []
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        out.append(col.astype(object).where(col.notna(), None).tolist() if col.hasnans else col.tolist())
    return out


def write_sheet(book: Book, name: str, frame: pd.DataFrame, widths: Mapping[str, float] | None = None,
                header: Format | None = None, wrap: Collection[str] = (), hidden: Collection[str] = ()) -> Sheet:
    """Add sheet `name` to `book` holding `frame`, with a frozen, filterable header row; every
    string cell is stored as text (`loaders.book`).

    Columns are `widths[name]` wide, else as wide as the header and the first 200 values; `wrap`
    columns wrap their text, top-aligned; `hidden` columns are hidden; `header` formats the header
    row. Returns the sheet, so that rows may follow (a note under the table)."""
    sheet = book.sheet(name)
    wrapped = book.format(text_wrap=True, valign="top")
    for i, column in enumerate(frame.columns):
        width = (widths or {}).get(str(column))
        if width is None:
            sample = [str(column)] + [str(v) for v in frame[column].head(200)]
            width = min(60, max(8, max(display_width(s) for s in sample) + 2))
        sheet.width(i, width, wrapped if str(column) in wrap else None, hidden=str(column) in hidden)
    sheet.row([str(c) for c in frame.columns], header)
    for values in zip(*cell_values(frame)):
        sheet.row(values)
    sheet.ws.freeze_panes(1, 0)
    if len(frame.columns):
        sheet.ws.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    return sheet


def display_width(text: str) -> int:
    """Columns `text` takes in Excel: Chinese (and other wide) characters take two.

    >>> display_width("BDO 乌海")
    8
    """
    return len(text) + len(NARROW.sub("", text))


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
    """One sheet per frame (`write_sheet`)."""
    with Book(path, option) as book:
        for name, frame in sheets.items():
            write_sheet(book, name[:31], frame)
    return book.path
