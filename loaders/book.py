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

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from loaders.output import FINGERPRINT, Fingerprint, output_error, writing

MAX_TEXT = 32767  # characters (UTF-16 units) in one cell, in Excel and WPS
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
    cut = text.encode("utf-16-le")[:2 * MAX_TEXT].decode("utf-16-le", errors="ignore")
    return cut


class Sheet:
    """One sheet of a `Book`: `row` writes the next row; `ws` is the xlsxwriter worksheet, for
    settings (set_column, freeze_panes, autofilter, page setup)."""

    def __init__(self, book: Book, ws: Worksheet) -> None:
        self.book, self.ws, self.rows = book, ws, 0

    def row(self, values: Sequence[Any], fmt: Format | Sequence[Format | None] | None = None,
            height: float | None = None) -> None:
        """Write `values` as the next row (None and '' leave a cell empty, with `fmt` if given);
        `fmt` is one format for every cell or one per cell."""
        r = self._next()
        if height is not None:
            self.ws.set_row(r, height)
        formats = fmt if isinstance(fmt, (list, tuple)) else None
        seen = []
        for c, value in enumerate(values):
            seen.append(self._put(r, c, value, formats[c] if formats is not None else fmt))
        self.book._fp.row(r + 1, seen)

    def merged(self, text: str, last_col: int, fmt: Format | None = None, height: float | None = None) -> None:
        """The next row as one cell merged from column 0 to `last_col` (0-based)."""
        if last_col < 1:
            return self.row([text], fmt, height)
        r = self._next()
        if height is not None:
            self.ws.set_row(r, height)
        text = _fit(text)
        self.ws.merge_range(r, 0, r, last_col, "", fmt)
        self.ws.write_string(r, 0, text, fmt)
        self.book._fp.row(r + 1, [_as_read(text) if ESCAPED.search(text) else text])

    def skip(self, n: int = 1) -> None:
        """Leave `n` empty rows."""
        self._next()
        self.rows += n - 1

    def _next(self) -> int:
        if self.book._current is not self:
            raise RuntimeError(f"sheet {self.ws.name!r} is finished: rows go sheet after sheet")
        self.rows += 1
        return self.rows - 1

    def _put(self, r: int, c: int, value: Any, fmt: Format | None) -> Any:
        """Write one cell; the value as a reader will see it (None for an empty cell)."""
        kind = type(value)
        if value is None or value == "":
            if fmt is not None:
                self.ws.write_blank(r, c, None, fmt)
            return None
        if kind is str:
            value = _fit(value)
            self.ws.write_string(r, c, value, fmt)
            return _as_read(value) if ESCAPED.search(value) else value
        if kind is bool or kind.__name__ == "bool_":
            self.ws.write_boolean(r, c, bool(value), fmt)
            return bool(value)
        if isinstance(value, numbers.Number):
            number = float(value) if not isinstance(value, numbers.Integral) else int(value)
            if not math.isfinite(number):
                return None
            self.ws.write_number(r, c, number, fmt)
            return float(f"{number:.16G}")  # the digits xlsxwriter writes
        return self._put(r, c, str(value), fmt)


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
        else:
            self._tmp.cleanup()
