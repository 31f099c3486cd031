"""Print-ready sheets: A4 landscape at 100 %, at most 7 columns, 10.5 pt wrapped text, the header
row repeated on every page, the bureau's name and the data date in the header, 第 N 页 / 共 M 页 in
the footer. Numbers stay numbers. A list longer than a sheet holds is split over several sheets,
and the first says so.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from loaders.spreadsheet import is_formula_like

MAX_COLUMNS = 7
PAGE_WIDTH = 100  # column-width units that fit A4 landscape at 100 % within the margins below, whatever
# the default font (Calibri in Excel, a wider substitute such as DejaVu Sans in LibreOffice)
LINE_PT = 14.5  # row height per wrapped line of 10.5 pt text
SHEET_ROWS = 1_048_576  # Excel's (and WPS's) rows per sheet
FONT_PT = 10.5
THIN = Side(style="thin", color="999999")


def _widths(frame: pd.DataFrame, widths: Mapping[str, float] | None) -> list[float]:
    """Given widths, else by content; scaled down so the sum fits the page."""
    out = []
    for column in frame.columns:
        if widths and column in widths:
            out.append(float(widths[column]))
            continue
        sample = [str(column)] + [str(v) for v in frame[column].head(200)]
        out.append(min(40.0, max(8.0, max(_display_width(s) for s in sample) + 2)))
    total = sum(out)
    return [w * PAGE_WIDTH / total for w in out] if total > PAGE_WIDTH else out


def _display_width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _row_height(values: list[object], widths: list[float]) -> float:
    """Rows get an explicit height for their wrapped lines: not every program recomputes it on opening."""
    lines = 1
    for value, width in zip(values, widths):
        if value is not None:
            per_line = max(1.0, width - 1)  # about one half-width character per width unit, as in Excel
            lines = max(lines, *(-(-_display_width(part) // int(per_line)) or 1 for part in str(value).split("\n")))
    return lines * LINE_PT + 3


def _setup(ws: Worksheet, title: str, bureau: str, data_date: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = 100
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = False
    ws.oddHeader.left.text = bureau
    ws.oddHeader.center.text = title
    ws.oddHeader.right.text = f"数据日期 {data_date}"
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right, ws.oddFooter.center):
        part.size = 9


def add_print_sheets(wb: Workbook, name: str, frame: pd.DataFrame, bureau: str, data_date: str,
                     widths: Mapping[str, float] | None = None, rows_per_sheet: int = SHEET_ROWS - 1) -> list[Worksheet]:
    """Add `frame` as one or more print sheets named `name`, `name(2)`, ...; returns them."""
    if len(frame.columns) > MAX_COLUMNS:
        raise ValueError(f"打印表最多 {MAX_COLUMNS} 列 / a print sheet has at most {MAX_COLUMNS} columns")
    column_widths = _widths(frame, widths)
    chunks = [frame.iloc[i:i + rows_per_sheet] for i in range(0, max(len(frame), 1), rows_per_sheet)] or [frame]
    sheets = []
    for n, chunk in enumerate(chunks, start=1):
        title = name if n == 1 else f"{name}({n})"
        ws = wb.create_sheet(title[:31])
        ws.append([str(c) for c in frame.columns])
        for row in chunk.itertuples(index=False):
            ws.append([None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
        body = Font(size=FONT_PT)
        for r, cells in enumerate(ws.iter_rows(), start=1):
            for cell in cells:
                if isinstance(cell.value, str) and is_formula_like(cell.value):
                    cell.data_type = "s"
                cell.font = Font(size=FONT_PT, bold=True) if r == 1 else body
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
        for i, width in enumerate(column_widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = round(width, 1)
        for r, cells in enumerate(ws.iter_rows(), start=1):
            ws.row_dimensions[r].height = _row_height([c.value for c in cells], column_widths)
        _setup(ws, name if len(chunks) == 1 else f"{name}（第 {n}/{len(chunks)} 部分）", bureau, data_date)
        sheets.append(ws)
    if len(chunks) > 1:
        sheets[0].oddHeader.center.text = f"{name}（共 {len(chunks)} 张表，第 1 张 / split over {len(chunks)} sheets）"
    return sheets
