"""Read raw tables (all cells as text) from a folder of CSV/JSON files, one workbook (.xlsx, .xlsm,
.xls, .ods) or one JSON file.

Each raw frame keeps a `_row` column with the row number a planner sees: the spreadsheet row
(header = 1, or lower when title rows stand above it) for CSV and workbooks, the record number
(first = 1) for JSON. Rows whose first cell starts with `#` are comments (the templates'
explanation row) and are skipped, as are blank rows.

Files as they come (issue 12): CSV encodings and damaged bytes in `loaders.encoding`, delimiters,
title rows and rows with extra cells in `loaders.csv_file`, workbooks (hidden sheets, merged cells,
formulas without values, dates, numbers) in `loaders.sheets`, header checks in
`loaders.header_row`. What cannot be read at all raises `SourceError` (codes: source-missing,
source-kind, not-text, encoding-unknown, encoding-damaged, csv-syntax, workbook-kind,
workbook-damaged, repeated-header, json-syntax, json-encoding, json-shape, no-tables); what can be
read with a caveat is a `Notice` on the table (codes: file-not-read, sheet-not-read,
json-key-not-read, file-empty, no-data-rows, title-row, csv-delimiter, bad-bytes, encoding-big5,
header-empty, header-repeated, hidden-sheet, merged-cells, formula-uncached, workbook-kind);
rows that cannot be read right are `RawTable.problems`, rejected by the validator.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from loaders.csv_file import read_csv_table
from loaders.encoding import KINDS, decode, file_kind
from loaders.raw import ROW, RawTable, empty_raw, find_table, finish, no_tables
from loaders.sheets import read_workbook
from loaders.tables import Table
from queries.errors import Notice, SourceError

__all__ = ["ROW", "RawTable", "detect_encoding", "read_source", "read_folder", "read_json_file"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
FOLDER_SUFFIXES = (".csv", ".json")


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV file's bytes: 'utf-8-sig', 'utf-8', 'gb18030', 'utf-16', 'cp950', ...

    >>> detect_encoding("企业".encode("gb18030")), detect_encoding(b"\\xef\\xbb\\xbfa")
    ('gb18030', 'utf-8-sig')
    """
    return decode(data, "").encoding


def _json_cell(v: object) -> str:
    """A JSON value as the text a CSV cell would hold; lists become |-separated."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, list):
        return "|".join(map(str, v))
    if isinstance(v, bool):
        return "是" if v else "否"
    return v if isinstance(v, str) else f"{v:g}" if isinstance(v, float) else str(v)


def read_json_records(records: object, where: str, table: Table) -> RawTable:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise SourceError("应为对象列表", "expected a list of objects", code="json-shape", file=where)
    if not records:
        return empty_raw(table, where, Notice("no-data-rows", "没有数据行，该表按空表载入",
                                              "no data rows; the table loads empty", file=where))
    frame = pd.DataFrame.from_records(records, columns=list(dict.fromkeys(k for r in records for k in r)))
    frame = frame.astype(object).map(_json_cell)
    return RawTable(table, where, finish(frame, 1))


def _json(path: Path) -> object:
    """The parsed JSON of a file in any encoding `decode` knows; bad bytes or syntax: an error."""
    data = path.read_bytes()
    kind = file_kind(data) if data else "text"
    if kind != "text":
        zh, en = KINDS[kind]
        raise SourceError(f"这不是 JSON 文本文件，而是{zh}", f"this is not a JSON text file but {en}", code="not-text",
                          file=path.name)
    decoded = decode(data, path.name)
    if decoded.bad_lines:
        b = decoded.bad_lines[0]
        raise SourceError(f"JSON 文件第{b.line}行（字节偏移 {b.offset}）含有不是 UTF-8 编码的字节",
                          f"the JSON file holds bytes that are not UTF-8 on line {b.line} (byte offset {b.offset})",
                          code="json-encoding", file=path.name, row=b.line,
                          hint_zh="请将文件另存为 UTF-8", hint_en="save the file as UTF-8")
    text = decoded.text if decoded.text is not None else data.decode(decoded.encoding)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(f"JSON 格式错误：第{e.lineno}行第{e.colno}列附近", f"malformed JSON at line {e.lineno}, "
                          f"column {e.colno}: {e.msg}", code="json-syntax", file=path.name,
                          hint_zh="请检查该处的逗号、引号和括号", hint_en="check the commas, quotes and brackets there") from None


def _not_read_notice(names: list[str], where: str) -> Notice:
    return Notice("file-not-read", f"以下文件未读取：{'、'.join(names)}（只读取以表名命名的 .csv 或 .json 文件，如 企业.csv、"
                                   "enterprises.csv；工作簿请直接用 --data 指定）",
                  f"these files were not read: {', '.join(names)} (only .csv or .json files named after a table are "
                  "read, e.g. 企业.csv or enterprises.csv; pass a workbook itself with --data)", file=where)


def read_folder(folder: Path) -> list[RawTable]:
    """Read every `<table>.csv` or `<table>.json` in a folder (file stem = table name or Chinese label);
    the other files (hidden ones and a README aside) are listed in a warning on the first table."""
    tables, not_read = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.stem.upper() == "README":
            continue  # hidden files; a dataset's README (the built-in data has one)
        table = find_table(path.stem) if path.is_file() else None
        suffix = path.suffix.lower()
        if table is None or suffix not in FOLDER_SUFFIXES:
            not_read.append(path.name + ("/" if path.is_dir() else ""))
        elif suffix == ".csv":
            tables.append(read_csv_table(path, table))
        else:
            tables.append(read_json_records(_json(path), path.name, table))
    notices = [_not_read_notice(not_read, folder.name)] if not_read else []
    if not tables:
        raise no_tables(str(folder), notices)
    tables[0].notices[:0] = notices
    return tables


def read_json_file(path: Path) -> list[RawTable]:
    """Read one JSON object mapping table name to a list of row objects."""
    data = _json(path)
    if not isinstance(data, dict):
        raise SourceError("应为以表名为键的对象", "expected an object keyed by table name", code="json-shape",
                          file=path.name)
    tables, not_read = [], []
    for name, records in data.items():
        table = find_table(name)
        if table is None:
            not_read.append(name)
        else:
            tables.append(read_json_records(records, f"{path.name}:{name}", table))
    notices = [Notice("json-key-not-read", f"键 {'、'.join(not_read)} 不对应任何表，未读取",
                      f"key(s) {', '.join(not_read)} match no table and were not read", file=path.name)] if not_read else []
    if not tables:
        raise no_tables(path.name, notices)
    tables[0].notices[:0] = notices
    return tables


def read_source(source: Path) -> list[RawTable]:
    """Read a folder, a workbook (.xlsx, .xlsm, .xls, .ods) or a .json file into raw tables."""
    source = Path(source)
    if not source.exists():
        raise SourceError("找不到该文件或文件夹，请检查 --data 的路径", "no such file or folder: check the --data path",
                          code="source-missing", file=str(source))
    if source.is_dir():
        return read_folder(source)
    suffix = source.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(source)
    if suffix == ".json":
        return read_json_file(source)
    raise SourceError("不支持的数据源（应为文件夹、.xlsx、.xls、.ods 或 .json）",
                      "unsupported source (expected a folder, .xlsx, .xls, .ods or .json)", code="source-kind",
                      file=str(source), hint_zh="CSV 文件请放进一个文件夹，用 --data 指定该文件夹",
                      hint_en="put CSV files in a folder and pass the folder with --data")
