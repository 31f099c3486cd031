"""One CSV file -> a `RawTable`: the encoding (`loaders.encoding`), the delimiter, the header row,
and the rows that cannot be read right.

The clean path stays pandas' C parser on the file's bytes: the first lines are parsed apart (with
the csv module) only to choose the delimiter (",", tab or ";": the one whose header names the
most columns of the table) and to find the header row below any title rows. pandas is then asked
for every row with `header=None` from the header line on, so a row with more cells than the
header stops it (instead of shifting the columns, as `header=0` does); that file, and any file
with bytes that are not UTF-8, is parsed again by the csv module (a loop per row, on these rare
files only), which keeps every good row and lists the others for rejection:

- a row with more non-empty cells than the header is rejected, naming the extra cells (an
  unquoted comma inside a cell shifts every cell after it: loading the first cells would load
  wrong values); extra cells that are all empty (trailing commas) are dropped silently;
- a row holding bytes that are not UTF-8 is rejected, naming the byte offset (its text cannot
  be trusted); the other rows load.

The tool's own CSV exports prefix formula-like text with an apostrophe; `unescape_formulas` takes
it off again (CSV only: a workbook cell is stored as text and needs no prefix).
"""
from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from loaders.encoding import KINDS, WORKBOOKS, Decoded, decode, file_kind
from loaders.header_row import HEADER_SEARCH, find_header, header_key, known_headers, letter, title_notice
from loaders.raw import ROW, WHOLE_ROW, RawTable, RowProblem, empty_raw, to_raw
from loaders.tables import Table
from queries.errors import Notice, SourceError

PROGRESS_BYTES = 20 * 1024 * 1024  # show a progress bar for files larger than this
CHUNK_ROWS = 200_000
HEAD_CHARS = 65536  # text the delimiter and header row are chosen on
DELIMITERS = {",": ("逗号", "comma"), "\t": ("制表符", "tab"), ";": ("分号", "semicolon")}
ESCAPED = r"^'(?='*[=+\-@\t\r])"  # the apostrophe `loaders.spreadsheet.csv_safe` puts before formula-like text
SHOWN = 80  # characters of a rejected row's text shown in its reason


def unescape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Take off the apostrophe the tool's CSV writer puts before text starting with = + - @, tab or
    carriage return (after any further apostrophes, so that text which itself starts with an
    apostrophe and a formula sign reads back exactly); every other apostrophe stays. Column by column.

    >>> f = pd.DataFrame({"a": ["'=1+1", "'+86 139", "'abc", "''=x", "-"], ROW: range(5)})
    >>> unescape_formulas(f)["a"].tolist()
    ['=1+1', '+86 139', "'abc", "'=x", '-']
    """
    for col in frame.columns:
        if col == ROW:
            continue
        s = frame[col].astype(str)
        quoted = s.str.startswith("'")
        if quoted.any():
            frame.loc[quoted, col] = s[quoted].str.replace(ESCAPED, "", regex=True)
    return frame


def _not_text(kind: str, file: str) -> SourceError:
    zh, en = KINDS[kind]
    hint_zh = "请在 Excel 或 WPS 中打开它并“另存为”CSV（UTF-8），或直接用 --data 指定该工作簿" if kind in WORKBOOKS else \
        "请放入 CSV 文本文件（在 Excel 或 WPS 中“另存为”CSV UTF-8）"
    hint_en = "open it in Excel or WPS and 'Save as' CSV (UTF-8), or pass the workbook itself with --data" \
        if kind in WORKBOOKS else "put a CSV text file here (in Excel or WPS: 'Save as' CSV UTF-8)"
    return SourceError(f"这不是 CSV 文本文件，而是{zh}（可能是改了扩展名）", f"this is not a CSV text file but {en} "
                       "(perhaps renamed)", code="not-text", file=file, hint_zh=hint_zh, hint_en=hint_en)


def _head_records(head: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The first records of the text and the line each one ends on."""
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    rows, ends = [], []
    try:
        for row in itertools.islice(reader, HEADER_SEARCH):
            rows.append(row)
            ends.append(reader.line_num)
    except csv.Error:
        pass  # a quote left open at the cut of the head: the records before it are enough
    return rows, ends


def _layout(head: str, table: Table, file: str) -> tuple[str, int, int, list[list[str]]]:
    """The delimiter, the header's record index, the lines before it, and the head's records."""
    known = known_headers(table)
    best = None
    for delimiter in DELIMITERS:
        rows, ends = _head_records(head, delimiter)
        named = max((sum(header_key(c) in known for c in r) for r in rows), default=0)
        width = max((len(r) for r in rows[:1]), default=0)
        score = (named, width if width > 1 else 0)
        if best is None or score > best[0]:
            best = (score, delimiter, rows, ends)
    _, delimiter, rows, ends = best
    at = find_header(rows, table, file)
    return delimiter, at, (ends[at - 1] if at else 0), rows


def _slow(text: str, delimiter: str, skip_lines: int, decoded: Decoded, first_row: int
          ) -> tuple[pd.DataFrame, np.ndarray, list[RowProblem]]:
    """Parse with the csv module, one record at a time: every record from the header on (as wide
    as the widest), each data record's number of cells, and the rows holding bytes that are not UTF-8."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, spans, start = [], [], 1
    try:
        for record in reader:
            if reader.line_num > skip_lines:
                records.append(record)
                spans.append((start, reader.line_num))
            start = reader.line_num + 1
    except csv.Error as e:
        raise SourceError(f"CSV 格式错误（第{reader.line_num}行附近）：{e}", f"malformed CSV (near line "
                          f"{reader.line_num}): {e}", code="csv-syntax", hint_zh="请检查引号是否成对",
                          hint_en="check that quotes are paired") from None
    width = max(map(len, records), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in records], columns=range(width), dtype=object)
    problems = []
    bad = iter(decoded.bad_lines)
    line = next(bad, None)
    rows, shown, offsets = [], [], []
    for i, (first, last) in enumerate(spans[1:]):
        while line is not None and line.line < first:
            line = next(bad, None)
        if line is None:
            break
        if line.line <= last:
            rows.append(first_row + i)
            shown.append(delimiter.join(records[i + 1])[:SHOWN])
            offsets.append(str(line.offset))
    if rows:
        problems.append(RowProblem(
            WHOLE_ROW, "本行含有不是 UTF-8 编码的字节（从文件的字节偏移 {w} 起），读出为“{v}”，内容不可信，已拒绝此行；请将文件另存为 UTF-8",
            "the row holds bytes that are not UTF-8 (from byte offset {w} of the file), read as '{v}': its text cannot "
            "be trusted; row rejected; save the file as UTF-8", tuple(rows), tuple(shown), tuple(offsets), code="bad-bytes"))
    lengths = np.fromiter(map(len, records[1:]), dtype=np.int64, count=max(len(records) - 1, 0))
    return frame, lengths, problems


def _cut_extra(frame: pd.DataFrame, width: int, lengths: np.ndarray, first_row: int, delimiter: str
               ) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Cut the cells beyond the header's `width` (frame row 0 is the header; `lengths`: each data
    row's number of cells). A row with more cells than the header is rejected when one of them is
    not empty, or when not every row has them: an unquoted comma shifts the row's cells, and its
    last cell may well be empty. Trailing empty cells on every row are Excel's formatting, dropped.
    Whole-column work; a loop only over the rows rejected."""
    if frame.shape[1] <= width:
        return frame, []
    extra = frame.iloc[1:, width:].fillna("").astype(str)
    filled = extra.apply(lambda col: col.str.strip() != "")
    over = lengths > width
    bad = over & (filled.any(axis=1).to_numpy() | ~over.all())
    frame = frame.iloc[:, :width]
    if not bad.any():
        return frame, []
    at = np.flatnonzero(bad)
    cells = [delimiter.join(row[:n - width]).strip(delimiter)[:SHOWN] if "".join(row).strip() else "（空 / empty）"
             for row, n in zip(extra.iloc[at].values.tolist(), lengths[at])]
    counts = [str(n) for n in lengths[at]]
    word_zh, word_en = DELIMITERS[delimiter]
    return frame, [RowProblem(
        letter(width),
        f"本行有{{w}}个单元格，多于表头的{width}列；多出的“{{v}}”对应不到任何列（可能是某个单元格里的{word_zh}没有加引号，"
        "使后面的单元格错位），已拒绝此行",
        f"the row has {{w}} cells, more than the {width} columns of the header; the extra '{{v}}' belongs to no "
        f"column (perhaps an unquoted {word_en} inside a cell shifted the cells after it); row rejected",
        tuple(int(first_row + k) for k in at), tuple(cells), tuple(counts), code="extra-cells")]


def _fast(path: Path, data: bytes, decoded: Decoded, delimiter: str, skip_lines: int) -> pd.DataFrame:
    """pandas' C parser from the header line on, every cell text, header as the first row."""
    options = dict(header=None, sep=delimiter, skiprows=skip_lines, dtype=str, keep_default_na=False,
                   na_filter=False, skip_blank_lines=False)
    if decoded.text is None:
        source, options["encoding"] = io.BytesIO(data), decoded.encoding
    else:
        source = io.StringIO(decoded.text)
    if len(data) < PROGRESS_BYTES:
        return pd.read_csv(source, **options)
    chunks = []
    with tqdm(desc=path.name, unit=" rows", leave=False) as bar:
        for chunk in pd.read_csv(source, chunksize=CHUNK_ROWS, **options):
            chunks.append(chunk)
            bar.update(len(chunk))
    return pd.concat(chunks, ignore_index=True)


def read_csv_table(path: Path, table: Table, parser_checks: bool = True) -> RawTable:
    """Read one CSV file of `table`: see the module's docstring for what is detected.

    UTF-8 is decoded once, by the parser (`decode(parser_checks=True)`); when it meets a byte that
    is not UTF-8, the file is read again with the encoding checked first."""
    file = path.name
    data = path.read_bytes()
    empty = Notice("file-empty", "文件是空的（没有任何内容），该表按空表载入", "the file is empty (no content); the table loads empty",
                   file=file)
    if not data:
        return empty_raw(table, file, empty)
    kind = file_kind(data)
    if kind != "text":
        raise _not_text(kind, file)
    decoded = decode(data, file, parser_checks)
    head = decoded.text[:HEAD_CHARS] if decoded.text is not None else \
        data[:HEAD_CHARS].decode("utf-8", "ignore").lstrip("\ufeff")
    if not head.strip():
        return empty_raw(table, file, empty)
    delimiter, at, skip_lines, rows = _layout(head, table, file)
    notices = list(decoded.notices)
    if at:
        notices.append(title_notice(rows[:at], file))
    if delimiter != ",":
        zh, en = DELIMITERS[delimiter]
        notices.append(Notice("csv-delimiter", f"文件以{zh}分隔（不是逗号），已按{zh}读取", f"the file is separated by "
                              f"{en}s, not commas; it was read that way", file=file))
    first_row = at + 2
    problems: list[RowProblem] = []
    frame = None
    if not decoded.bad_lines:
        try:
            frame = _fast(path, data, decoded, delimiter, skip_lines)
        except pd.errors.ParserError:  # a row wider than pandas guessed from the first lines
            frame = None
        except pd.errors.EmptyDataError:
            return empty_raw(table, file, empty)
        except UnicodeDecodeError:
            if not decoded.unchecked:
                raise
            return read_csv_table(path, table, parser_checks=False)
    if frame is None:
        text = decoded.text if decoded.text is not None else data.decode(decoded.encoding)
        frame, lengths, problems = _slow(text, delimiter, skip_lines, decoded, first_row)
        frame, extra = _cut_extra(frame, len(rows[at]) if rows else frame.shape[1], lengths, first_row, delimiter)
    else:
        extra = []  # pandas stops at (ParserError) any row wider than the header line
    header = [str(c).strip() for c in frame.iloc[0]] if len(frame) else []
    raw = to_raw(table, file, header, frame.iloc[1:], first_row, notices)
    raw.problems = problems + extra
    if (b"'" in data) if decoded.text is None else ("'" in decoded.text):
        unescape_formulas(raw.frame)
    return raw
