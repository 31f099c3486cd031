"""Print-ready sheets: A4 landscape at 100 %, at most 7 columns, 10.5 pt wrapped text, the header
row repeated on every page, the bureau's name and the data date in the header, 第 N 页 / 共 M 页 in
the footer. Numbers stay numbers. A list longer than a sheet holds is split over several sheets,
and the first says so.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from loaders.book import SHEET_ROWS, Book, Sheet
from loaders.spreadsheet import cell_values, display_width

MAX_COLUMNS = 7
PAGE_WIDTH = 100  # column-width units that fit A4 landscape at 100 % within the margins below, whatever
# the default font (Calibri in Excel, a wider substitute such as DejaVu Sans in LibreOffice)
LINE_PT = 14.5  # row height per wrapped line of 10.5 pt text
FONT_PT = 10.5
BORDER = "#999999"  # thin cell borders, grey
A4 = 9  # the paper size code of A4 in Excel
MARGINS = dict(left=0.4, right=0.4, top=0.6, bottom=0.6)  # inches
HEADER_MARGIN = 0.25


def _widths(frame: pd.DataFrame, widths: Mapping[str, float] | None) -> list[float]:
    """Given widths, else by content; scaled down so the sum fits the page."""
    out = []
    for column in frame.columns:
        if widths and column in widths:
            out.append(float(widths[column]))
            continue
        sample = [str(column)] + [str(v) for v in frame[column].head(200)]
        out.append(min(40.0, max(8.0, max(display_width(s) for s in sample) + 2)))
    total = sum(out)
    return [w * PAGE_WIDTH / total for w in out] if total > PAGE_WIDTH else out


def _row_height(values: list[object], widths: list[float]) -> float:
    """Rows get an explicit height for their wrapped lines: not every program recomputes it on opening."""
    lines = 1
    for value, width in zip(values, widths):
        if value is not None:
            per_line = max(1.0, width - 1)  # about one half-width character per width unit, as in Excel
            lines = max(lines, *(-(-display_width(part) // int(per_line)) or 1 for part in str(value).split("\n")))
    return lines * LINE_PT + 3


def _header_text(text: str) -> str:
    """Text for a page header or footer: '&' would start a code there."""
    return text.replace("&", "&&")


def _setup(sheet: Sheet, title: str, bureau: str, data_date: str) -> None:
    ws = sheet.ws
    ws.set_paper(A4)
    ws.set_landscape()
    ws.set_print_scale(100)
    ws.set_margins(**MARGINS)
    ws.repeat_rows(0)
    ws.set_header(f"&L&9{_header_text(bureau)}&C&9{_header_text(title)}&R&9{_header_text(f'数据日期 {data_date}')}",
                  {"margin": HEADER_MARGIN})
    ws.set_footer("&C&9第 &P 页 / 共 &N 页", {"margin": HEADER_MARGIN})


def add_print_sheets(book: Book, name: str, frame: pd.DataFrame, bureau: str, data_date: str,
                     widths: Mapping[str, float] | None = None, rows_per_sheet: int = SHEET_ROWS - 1) -> list[Sheet]:
    """Add `frame` as one or more print sheets named `name`, `name(2)`, ...; returns them."""
    if len(frame.columns) > MAX_COLUMNS:
        raise ValueError(f"打印表最多 {MAX_COLUMNS} 列 / a print sheet has at most {MAX_COLUMNS} columns")
    column_widths = _widths(frame, widths)
    starts = range(0, max(len(frame), 1), rows_per_sheet)
    header = [str(c) for c in frame.columns]
    head = book.format(font_size=FONT_PT, bold=True, text_wrap=True, valign="top", border=1, border_color=BORDER)
    body = book.format(font_size=FONT_PT, text_wrap=True, valign="top", border=1, border_color=BORDER)
    sheets = []
    for n, start in enumerate(starts, start=1):
        sheet = book.sheet((name if n == 1 else f"{name}({n})")[:31])
        for i, width in enumerate(column_widths):
            sheet.width(i, round(width, 1))
        sheet.row(header, head, height=_row_height(header, column_widths))
        for values in zip(*cell_values(frame.iloc[start:start + rows_per_sheet])):
            sheet.row(values, body, height=_row_height(values, column_widths))
        if len(starts) == 1:
            title = name
        elif n == 1:
            title = f"{name}（共 {len(starts)} 张表，第 1 张 / split over {len(starts)} sheets）"
        else:
            title = f"{name}（第 {n}/{len(starts)} 部分）"
        _setup(sheet, title, bureau, data_date)
        sheets.append(sheet)
    return sheets
