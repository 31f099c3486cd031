"""One workbook -> a `RawTable` per sheet named after a table (sheet name = table name or label).

What the file holds decides how it is read, whatever its suffix says (an .xls renamed .xlsx is read
as .xls, with a warning): .xlsx/.xlsm through openpyxl (read-only, cached values), old .xls and
.ods through python-calamine. A text file or anything else named like a workbook, or a damaged
workbook, is an error.

Per sheet:
- hidden and very hidden sheets are not read (a warning names them), so a hidden copy of a table is
  never preferred over the visible one; a table held only in a hidden sheet is missing;
- cells become text as a planner reads them: a date cell `2023-09-01` (not '2023-09-01 00:00:00'),
  a whole number without '.0' (10, a phone number 13912345678), TRUE/FALSE as 是/否; per column,
  each distinct value converted once;
- a merged range (产业链 typed once over several rows) gives its top-left value to every cell of
  the range, with a warning naming the ranges (.xlsx and .xls; .ods ranges are not reported by calamine);
- a formula saved without its value (a workbook written by a script, never opened in Excel or
  WPS: openpyxl has None for it) is not loaded as empty: its row is rejected naming the cell and
  the formula, with a warning per sheet. .xls and .ods files are written by spreadsheet programs,
  which save the values, and are not checked;
- the header row is found below any title rows, as for CSV (`loaders.header_row`).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from loaders.encoding import KINDS, WORKBOOKS, file_kind
from loaders.header_row import find_header, header_key, known_headers, letter, title_notice
from loaders.raw import RawTable, RowProblem, empty_raw, find_table, no_tables, to_raw
from loaders.tables import Table
from queries.errors import Notice, SourceError

FORMULA_TAG = re.compile(rb"<(?:[A-Za-z]\w*:)?f[\s>/]")
MERGE_TAG = re.compile(rb"<(?:[A-Za-z]\w*:)?mergeCell[\s>/]")
SCAN_CHUNK = 1 << 20
SHOWN_RANGES = 10


@dataclass
class Sheet:
    name: str
    hidden: bool
    rows: list[list] = field(default_factory=list)  # cell values, row 1 first, column A first
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> formula with no value


def _damaged(file: str, err: Exception) -> SourceError:
    return SourceError("工作簿已损坏或不完整，无法读取", f"the workbook is damaged or incomplete and cannot be read "
                       f"({type(err).__name__})", code="workbook-damaged", file=file,
                       hint_zh="请在 Excel 或 WPS 中打开并另存一份后重新载入", hint_en="open it in Excel or WPS, save a copy and reload")


def _zip_has(data: bytes, pattern: re.Pattern) -> bool:
    """Whether any worksheet part of an .xlsx holds `pattern` (streamed, a chunk at a time)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with z.open(name) as fh:
                tail = b""
                while chunk := fh.read(SCAN_CHUNK):
                    if pattern.search(tail + chunk):
                        return True
                    tail = chunk[-64:]
    return False


def _openpyxl_sheets(data: bytes, file: str, wanted) -> list[Sheet]:
    try:
        return _openpyxl_read(data, wanted)
    except Exception as err:  # openpyxl, zipfile and the XML parser raise many kinds on a broken
        raise _damaged(file, err) from err  # file (at open or while the rows stream): all mean the same here


def _openpyxl_read(data: bytes, wanted) -> list[Sheet]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    with_formulas = _zip_has(data, FORMULA_TAG)
    merged_book = None
    if _zip_has(data, MERGE_TAG):
        merged_book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    formula_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False) \
        if with_formulas else None
    sheets = []
    for ws in book.worksheets:
        sheet = Sheet(ws.title, ws.sheet_state != "visible")
        sheets.append(sheet)
        if sheet.hidden or not wanted(ws.title):
            continue
        ws.reset_dimensions()
        sheet.rows = [list(r) for r in ws.iter_rows(values_only=True)]
        if merged_book is not None:
            ranges = merged_book.get_sheet_by_name(ws.title).merged_cell_ranges or []
            sheet.merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]
        if formula_book is not None:
            fs = formula_book[ws.title]
            fs.reset_dimensions()
            for r, (values, forms) in enumerate(zip(sheet.rows, fs.iter_rows(values_only=True))):
                for c, form in enumerate(forms):
                    text = getattr(form, "text", form)  # an ArrayFormula keeps its text apart
                    if isinstance(text, str) and text.startswith("=") and (c >= len(values) or values[c] is None):
                        sheet.formulas[(r, c)] = text
    book.close()
    if formula_book is not None:
        formula_book.close()
    return sheets


def _calamine_sheets(data: bytes, file: str, wanted) -> list[Sheet]:

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            sheet = Sheet(meta.name, meta.visible != SheetVisibleEnum.Visible)
            sheets.append(sheet)
            if sheet.hidden or not wanted(meta.name):
                continue
            found = book.get_sheet_by_name(meta.name)
            sheet.rows = found.to_python(skip_empty_area=False)
            sheet.merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (found.merged_cell_ranges or [])]
    except Exception as err:  # calamine's own errors, raised for any broken part of the file
        raise _damaged(file, err) from err
    return sheets


def _date(v: dt.datetime) -> str:
    if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
        return v.strftime("%Y-%m-%d")
    return v.strftime("%Y-%m-%d %H:%M" if not v.second else "%Y-%m-%d %H:%M:%S")


def _number(v: float) -> str:
    if v != v:
        return ""
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


FORMATS = {type(None): lambda v: "", bool: lambda v: "是" if v else "否", int: str, float: _number,
           dt.datetime: _date, dt.date: dt.date.isoformat, dt.time: dt.time.isoformat}


def _text_column(values: np.ndarray) -> np.ndarray:
    """Cells of one column as text, each distinct value of each type converted once."""
    kinds = pd.Series(values, dtype=object).map(type).to_numpy()
    if (kinds == str).all():
        return values
    out = values.copy()
    for kind in pd.unique(kinds):
        if kind is str:
            continue
        at = kinds == kind
        codes, uniques = pd.factorize(pd.Series(values[at], dtype=object))
        fmt = FORMATS.get(kind, str)
        out[at] = np.array([fmt(u) for u in uniques] or [""], dtype=object)[codes] if len(codes) else []
    return out


def _grid(rows: list[list]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    padded = [list(r) + [None] * (width - len(r)) for r in rows]
    grid = pd.DataFrame(padded, columns=range(width), dtype=object)
    for c in grid.columns:
        grid[c] = _text_column(grid[c].to_numpy(dtype=object))
    return grid


def _ref(r0: int, c0: int, r1: int, c1: int) -> str:
    return f"{letter(c0)}{r0 + 1}" + (f":{letter(c1)}{r1 + 1}" if (r0, c0) != (r1, c1) else "")


def sheet_table(sheet: Sheet, table: Table, file: str) -> RawTable:
    """One sheet's cells -> the raw table: merges filled, header found, uncached formulas listed."""
    if not sheet.rows:
        return empty_raw(table, file, Notice("file-empty", "工作表是空的，该表按空表载入",
                                             "the sheet is empty; the table loads empty", file=file))
    grid = _grid(sheet.rows)
    height, width = grid.shape
    at = find_header(grid.head(10).values.tolist(), table, file)
    notices = [title_notice(grid.iloc[:at].values.tolist(), file)] if at else []
    filled = []
    for r0, c0, r1, c1 in sheet.merges:
        if r0 < height and c0 < width:
            grid.iloc[r0:r1 + 1, c0:c1 + 1] = grid.iat[r0, c0]
            if r1 > at:
                filled.append(_ref(r0, c0, r1, c1))
    if filled:
        shown = ", ".join(filled[:SHOWN_RANGES]) + (f" …（共 {len(filled)} 处）" if len(filled) > SHOWN_RANGES else "")
        notices.append(Notice("merged-cells", f"合并单元格 {shown} 已按左上角的值填入其中每个单元格",
                              f"merged cells {shown.replace('共', 'in all').replace('处', '')} were filled with their "
                              "top-left value in every cell", file=file))
    header = [h.strip() for h in grid.iloc[at].tolist()]
    raw = to_raw(table, file, header, grid.iloc[at + 1:], at + 2, notices)
    raw.problems = _formula_problems(sheet, header, at, table, file, raw.notices)
    return raw


def _formula_problems(sheet: Sheet, header: list[str], at: int, table: Table, file: str,
                      notices: list[Notice]) -> list[RowProblem]:
    """Rows with a formula cell that has no saved value, in a column the table reads, one problem per column."""
    known = known_headers(table)
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (r, c), formula in sorted(sheet.formulas.items()):
        if r > at and c < len(header) and header_key(header[c]) in known:
            by_column.setdefault(c, []).append((r, formula))
    problems = []
    for c, cells in by_column.items():
        problems.append(RowProblem(
            header[c], "单元格{v}是公式“{w}”，但工作簿没有保存它的计算结果（文件由程序生成、未在 Excel/WPS 中打开保存过），"
                       "不能当作空值载入，已拒绝此行",
            "cell {v} is the formula '{w}' but the workbook holds no saved value for it (written by a program, "
            "never opened and saved in Excel/WPS); it is not loaded as empty; row rejected",
            tuple(r + 1 for r, _ in cells), tuple(f"{letter(c)}{r + 1}" for r, _ in cells), tuple(f for _, f in cells),
            code="formula-uncached"))
    if problems:
        count = sum(len(p.rows) for p in problems)
        cols = "、".join(p.column for p in problems)
        notices.append(Notice("formula-uncached", f"{count} 个公式单元格没有保存的计算结果（列：{cols}），所在行已拒绝；"
                                                  "请在 Excel 或 WPS 中打开该工作簿、保存后重新载入",
                              f"{count} formula cells have no saved value (columns: {cols.replace('、', ', ')}); their "
                              "rows were rejected; open the workbook in Excel or WPS, save it and reload", file=file))
    return problems


def read_workbook(path: Path) -> list[RawTable]:
    """Every visible sheet named after a table; warnings about the others on the first table."""
    data = path.read_bytes()
    kind = file_kind(data)
    suffix = path.suffix.lower().lstrip(".")
    if kind == "zip-damaged":
        raise _damaged(path.name, zipfile.BadZipFile("truncated"))
    if kind not in WORKBOOKS:
        zh, en = KINDS[kind]
        hint = ("如果是 CSV，请把它改名为 <表名>.csv 放进一个文件夹，用 --data 指定该文件夹",
                "if it is a CSV file, name it <table>.csv, put it in a folder and pass the folder with --data") \
            if kind == "text" else ("请指定 .xlsx、.xls 或 .ods 工作簿", "pass an .xlsx, .xls or .ods workbook")
        raise SourceError(f"这不是工作簿，而是{zh}（可能是改了扩展名）", f"this is not a workbook but {en} (perhaps renamed)",
                          code="workbook-kind", file=path.name, hint_zh=hint[0], hint_en=hint[1])
    notices = []
    if kind != suffix and {kind, suffix} != {"xlsx", "xlsm"}:
        zh, en = KINDS[kind]
        notices.append(Notice("workbook-kind", f"该文件实际上是{zh}，已按此读取；建议改正扩展名",
                              f"the file is really {en} and was read as such; consider fixing its suffix", file=path.name))
    reader = _openpyxl_sheets if kind in ("xlsx", "xlsm") else _calamine_sheets
    sheets = reader(data, path.name, lambda name: find_table(name) is not None)
    tables, not_read = [], []
    for sheet in sheets:
        table = find_table(sheet.name)
        label = f"{path.name}:{sheet.name}"
        if table is None:
            not_read.append(sheet.name)
        elif sheet.hidden:
            notices.append(Notice("hidden-sheet", f"隐藏的工作表“{sheet.name}”（{table.label}表）未读取；如需读取请取消隐藏",
                                  f"hidden sheet '{sheet.name}' (table {table.name}) was not read; unhide it to read it",
                                  file=path.name))
        else:
            tables.append(sheet_table(sheet, table, label))
    if not_read:
        names = "、".join(f"“{n}”" for n in not_read)
        notices.append(Notice("sheet-not-read", f"工作表 {names} 不对应任何表，未读取（工作表名应为表名，如“企业”或 enterprises）",
                              f"sheet(s) {', '.join(not_read)} match no table and were not read (a sheet is named after "
                              "its table, e.g. 企业 or enterprises)", file=path.name))
    return _first_gets(tables, notices, path.name)


def _first_gets(tables: list[RawTable], notices: list[Notice], file: str) -> list[RawTable]:
    if not tables:
        raise no_tables(file, notices)
    tables[0].notices[:0] = notices
    return tables
