"""Read raw tables (all cells as text) from a folder of CSV/JSON files, one XLSX or one JSON file.

Each raw frame keeps a `_row` column with the row number a planner sees: the spreadsheet row
(header = 1) for CSV and XLSX, the record number (first = 1) for JSON. Rows whose first cell starts
with `#` are comments (the templates' explanation row) and are skipped, as are blank rows.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from loaders.columns import comment_or_blank_head
from loaders.tables import TABLES, Table
from queries.errors import SourceError

ROW = "_row"



PROGRESS_BYTES = 20 * 1024 * 1024  # show a progress bar for files larger than this
CHUNK_ROWS = 200_000


@dataclass
class RawTable:
    table: Table
    file: str  # what the planner opened: file name, or "book.xlsx:sheet"
    frame: pd.DataFrame  # text cells, columns as written in the header, plus ROW


def detect_encoding(data: bytes) -> str:
    """Return 'utf-8-sig', 'utf-8' or 'gb18030' for the bytes of a CSV file."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _finish(frame: pd.DataFrame, first_row: int) -> pd.DataFrame:
    """Number rows as the planner sees them, then drop comment and blank rows.

    Only the first column is scanned in full: a row can be blank only if its first cell is, so
    the other cells are looked at just for those rows.
    """
    for col in frame.columns:
        if frame[col].hasnans:
            frame[col] = frame[col].fillna("")
    frame[ROW] = range(first_row, first_row + len(frame))
    if len(frame.columns) > 1:
        comment, blank = comment_or_blank_head(frame.iloc[:, 0])
        if blank.any():
            rest = frame.loc[blank].drop(columns=[ROW]).astype(str)
            blank[blank] = rest.apply(lambda col: col.str.strip() == "").all(axis=1).to_numpy()
        if comment.any() or blank.any():
            frame = frame[~comment & ~blank]
    return frame.reset_index(drop=True)


def read_csv(path: Path) -> pd.DataFrame:
    """Parse from the bytes (the C parser decodes UTF-8 itself: far faster than from a str)."""
    data = path.read_bytes()
    options = dict(dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False,
                   encoding=detect_encoding(data))
    if len(data) < PROGRESS_BYTES:
        return _finish(pd.read_csv(io.BytesIO(data), **options), first_row=2)
    chunks = []
    with tqdm(desc=path.name, unit=" rows", leave=False) as bar:
        for chunk in pd.read_csv(io.BytesIO(data), chunksize=CHUNK_ROWS, **options):
            chunks.append(chunk)
            bar.update(len(chunk))
    return _finish(pd.concat(chunks, ignore_index=True), first_row=2)


def _json_cell(v: object) -> str:
    """A JSON value as the text a CSV cell would hold; lists become |-separated."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, list):
        return "|".join(map(str, v))
    if isinstance(v, bool):
        return "是" if v else "否"
    return v if isinstance(v, str) else f"{v:g}" if isinstance(v, float) else str(v)


def read_json_records(records: object, where: str) -> pd.DataFrame:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise SourceError("应为对象列表", "expected a list of objects", code="json-shape", file=where)
    frame = pd.DataFrame.from_records(records, columns=list(dict.fromkeys(k for r in records for k in r)))
    frame = frame.astype(object).map(_json_cell)
    return _finish(frame, first_row=1)


def _find_table(stem: str) -> Table | None:
    stem = stem.strip().lower()
    return next((t for t in TABLES if stem in (t.name, t.label)), None)


def read_folder(folder: Path) -> list[RawTable]:
    """Read every `<table>.csv` or `<table>.json` in a folder (file stem = table name or Chinese label)."""
    tables = []
    for path in sorted(folder.iterdir()):
        table = _find_table(path.stem)
        if table is None or path.suffix.lower() not in (".csv", ".json"):
            continue
        if path.suffix.lower() == ".csv":
            frame = read_csv(path)
        else:
            frame = read_json_records(json.loads(path.read_text(encoding="utf-8-sig")), path.name)
        tables.append(RawTable(table, path.name, frame))
    return tables


def read_xlsx(path: Path) -> list[RawTable]:
    """Read one workbook with a sheet per table (sheet name = table name or Chinese label)."""
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
    tables = []
    for sheet, frame in sheets.items():
        table = _find_table(sheet)
        if table is not None:
            tables.append(RawTable(table, f"{path.name}:{sheet}", _finish(frame, first_row=2)))
    return tables


def read_json_file(path: Path) -> list[RawTable]:
    """Read one JSON object mapping table name to a list of row objects."""
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    if not isinstance(data, dict):
        raise SourceError("应为以表名为键的对象", "expected an object keyed by table name", code="json-shape",
                          file=path.name)
    tables = []
    for name, records in data.items():
        table = _find_table(name)
        if table is not None:
            tables.append(RawTable(table, f"{path.name}:{name}",
                                   read_json_records(records, f"{path.name}:{name}")))
    return tables


def read_source(source: Path) -> list[RawTable]:
    """Read a folder, an .xlsx workbook or a .json file into raw tables."""
    source = Path(source)
    if not source.exists():
        raise SourceError("找不到该文件或文件夹，请检查 --data 的路径", "no such file or folder: check the --data path",
                          code="source-missing", file=str(source))
    if source.is_dir():
        return read_folder(source)
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(source)
    if suffix == ".json":
        return read_json_file(source)
    raise SourceError("不支持的数据源（应为文件夹、.xlsx 或 .json）",
                      "unsupported source (expected a folder, .xlsx or .json)", code="source-kind", file=str(source))
