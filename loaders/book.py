"""A workbook written sheet after sheet and row after row, straight to disk (xlsxwriter's
constant-memory mode): national-size lists in seconds and in little memory.

Every text is stored as text, never a formula, a number or a link; the workbook is stamped with
the `loaders.output.Fingerprint` of the values as a reader will see them, so that a rerun can tell
an untouched output from one a person typed into (`loaders.output.untouched`).

Rows go strictly in order: a sheet's rows top to bottom, and the sheets in the order they are
added (`Book.sheet`); settings (column widths, print setup, freeze panes) may come at any time.

>>> import tempfile, pathlib
>>> from loaders.output import untouched
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.xlsx"
>>> with Book(path) as book:
...     sheet = book.sheet("表")
...     sheet.row(["企业", "得分"], book.format(bold=True))
...     sheet.row(["=HYPERLINK(\\"x\\")", 10.5])
>>> untouched(path)
True
"""
from __future__ import annotations

import math
import numbers
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from loaders.output import FINGERPRINT, Fingerprint, output_error, writing
from queries.errors import InputError

DIGIT_PX = 7  # pixels per width unit: the widest digit of the default font (Calibri 11), as xlsxwriter counts
MAX_TEXT = 32767  # characters (UTF-16 units) in one cell, in Excel and WPS
SHEET_ROWS = 1_048_576  # rows in one sheet, in Excel and WPS
# what xlsxwriter writes as _xHHHH_ in a constant-memory (inline) string, and what openpyxl then
# reads back as written: a control character, or a literal "_xHHHH_" (its underscore escaped)
ESCAPED = re.compile(r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_")


def _as_read(text: str) -> str:
    """`text` as openpyxl reads it back from an inline string xlsxwriter wrote."""
    text = re.sub(r"(_x[0-9a-fA-F]{4}_)", r"_x005F\1", text)
    return re.sub(r"[\x00-\x08\x0b-\x1f]", lambda m: f"_x{ord(m[0]):04X}_", text)


def _fit(text: str) -> str:
    """At most MAX_TEXT UTF-16 units (what a cell holds; a longer text is cut)."""
    if len(text) <= MAX_TEXT // 2 or len(text.encode("utf-16-le")) <= 2 * MAX_TEXT:
        return text
    return text.encode("utf-16-le")[:2 * MAX_TEXT].decode("utf-16-le", errors="ignore")


def _cell(value: Any) -> str | float | int | bool | None:
    """A value xlsxwriter's `write_row` stores as it is: text (cut to what a cell holds), a finite
    number, a yes/no, or None for an empty cell."""
    kind = type(value)
    if kind is str:
        return value if len(value) <= MAX_TEXT // 2 else _fit(value)
    if kind is float:
        return value if math.isfinite(value) else None
    if value is None or kind is int or kind is bool:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return _cell(float(value))
    return _cell(str(value))


def _seen(value: str | float | int | bool | None) -> object:
    """A cell as openpyxl reads it back: a number with the 16 digits xlsxwriter writes, a text
    with its escapes."""
    kind = type(value)
    if kind is str:
        return _as_read(value) if ESCAPED.search(value) else value
    if kind is float or kind is int:
        return float(f"{value:.16G}")
    return value


class Sheet:
    """One sheet of a `Book`: `row` writes the next row; `ws` is the xlsxwriter worksheet, for
    settings (set_column, freeze_panes, autofilter, page setup)."""

    def __init__(self, book: Book, ws: Worksheet) -> None:
        self.book, self.ws, self.rows = book, ws, 0

    def row(self, values: Sequence[Any], fmt: Format | None = None, height: float | None = None) -> None:
        """Write `values` as the next row, each cell in format `fmt`; None and '' leave a cell
        empty (formatted), numbers stay numbers, any other value is written as its text."""
        r = self._next()
        if height is not None:
            self.ws.set_row(r, height)
        cells = [_cell(v) for v in values]
        self.ws.write_row(r, 0, cells, fmt)  # the workbook's strings_to_* options are off: text stays text
        self.book._fp.row(r + 1, [_seen(v) for v in cells])

    def merged(self, text: str, last_col: int, fmt: Format | None = None, height: float | None = None) -> None:
        """The next row as one cell merged from column 0 to `last_col` (0-based)."""
        if last_col < 1 or not text:
            return self.row([text], fmt, height)
        r = self._next()
        if height is not None:
            self.ws.set_row(r, height)
        text = _cell(text)
        self.ws.merge_range(r, 0, r, last_col, "", fmt)
        self.ws.write_string(r, 0, text, fmt)
        self.book._fp.row(r + 1, [_seen(text)])

    def width(self, col: int, width: float, fmt: Format | None = None, hidden: bool = False) -> None:
        """Column `col` (0-based) `width` wide, in the unit the file stores (openpyxl's
        `column_dimensions[...].width`, which print layouts are measured in), with format `fmt`."""
        self.ws.set_column_pixels(col, col, round(width * DIGIT_PX), fmt, {"hidden": True} if hidden else None)

    def skip(self, n: int = 1) -> None:
        """Leave `n` empty rows."""
        self._next()
        self.rows += n - 1

    def _next(self) -> int:
        if self.book._current is not self:
            raise RuntimeError(f"sheet {self.ws.name!r} is finished: rows go sheet after sheet")
        if self.rows >= SHEET_ROWS:
            raise InputError(f"工作表“{self.ws.name}”超过 Excel/WPS 每张表 {SHEET_ROWS:,} 行的上限",
                             f"sheet '{self.ws.name}' is over the {SHEET_ROWS:,} rows an Excel/WPS sheet holds",
                             code="out-too-many-rows", file=str(self.book.path), option=self.book.option,
                             hint_zh="改存为 CSV", hint_en="write CSV instead")
        self.rows += 1
        return self.rows - 1


class Book:
    """A new .xlsx at `path`, written when the block ends (`with Book(path) as book`) or by `close`.

    A file that cannot be written is the bilingual `InputError` of `loaders.output.writing`; an
    error inside the block leaves no file behind."""

    def __init__(self, path: str | Path, option: str = "--out") -> None:
        self.path, self.option = Path(path), option
        self._tmp = tempfile.TemporaryDirectory(prefix="chainkg-xlsx-", ignore_cleanup_errors=True)
        self._wb = xlsxwriter.Workbook(str(self.path), {
            "constant_memory": True, "tmpdir": self._tmp.name,
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
        self._fp = Fingerprint()
        self._formats: dict[tuple, Format] = {}
        self._current: Sheet | None = None

    def sheet(self, name: str) -> Sheet:
        """A new sheet after the others; the previous one takes no more rows."""
        self._current = Sheet(self, self._wb.add_worksheet(name))
        self._fp.sheet(name)
        return self._current

    def format(self, **props: Any) -> Format:
        """The shared cell format with these xlsxwriter properties (bold=True, text_wrap=True, ...)."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self._wb.add_format(props)
        return self._formats[key]

    def close(self) -> Path:
        """Stamp the fingerprint and write the file (parent folders made)."""
        self._wb.set_custom_property(FINGERPRINT, self._fp.hexdigest(), "text")
        try:
            with writing(self.path, self.option):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    self._wb.close()
                except FileCreateError as err:
                    cause = err.args[0] if err.args and isinstance(err.args[0], OSError) else OSError(str(err))
                    raise output_error(cause, self.path, self.option) from err
        finally:
            self._tmp.cleanup()
        return self.path

    def __enter__(self) -> Book:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.close()
            return
        self._tmp.cleanup()
        if issubclass(kind, OSError) and not issubclass(kind, BrokenPipeError):  # the rows' temporary files
            raise output_error(value, self.path, self.option) from value
