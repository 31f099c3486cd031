"""The reader's result: one `RawTable` per table found, all cells as text, with the planner's row
numbers, the warnings met while reading, and the rows the reader could not read right.

A row the reader cannot read right (more cells than the header, bytes that are not UTF-8, a formula
without its saved value) is kept in the frame and listed in `problems`; `validate_table` calls
`reject_unreadable`, which rejects each such row with the reader's reason, so `read = loaded +
rejected` holds and the planner finds the row in the rejected-rows file.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loaders.columns import comment_or_blank_head
from loaders.header_row import check_header
from loaders.tables import TABLES, Table
from queries.errors import Notice, SourceError

ROW = "_row"
WHOLE_ROW = "整行 / whole row"  # the column named in a rejection that concerns the row as a whole


@dataclass(frozen=True)
class RowProblem:
    """Rows to reject for one reason: `zh`/`en` may hold `{v}` (the row's value) and `{w}` (its extra).

    >>> p = RowProblem("D", "多出单元格“{v}”", "extra cells '{v}'", rows=(5,), values=("x",), extras=("",))
    >>> p.rows
    (5,)
    """

    column: str
    zh: str
    en: str
    rows: tuple[int, ...]
    values: tuple[str, ...]
    extras: tuple[str, ...]
    code: str = "row-unreadable"


@dataclass
class RawTable:
    table: Table
    file: str  # what the planner opened: file name, or "book.xlsx:sheet"
    frame: pd.DataFrame  # text cells, columns as written in the header, plus ROW
    notices: list[Notice] = field(default_factory=list)  # warnings met while reading (and, on the first
    # table of a source, those about the source as a whole: files or sheets not read)
    problems: list[RowProblem] = field(default_factory=list)

    def reject_unreadable(self, checker) -> None:
        """Reject the rows the reader could not read right, through the validator's checker
        (`Checker.reject(mask, column, zh, en, values=, extra=, code=)`): the one hook `validate_table` calls."""
        row = checker.frame[ROW]
        for p in self.problems:
            values = row.map(dict(zip(p.rows, p.values))).fillna("")
            extras = row.map(dict(zip(p.rows, p.extras))).fillna("")
            checker.reject(row.isin(p.rows), p.column, p.zh, p.en, values=values, extra=extras, code=p.code)


def finish(frame: pd.DataFrame, rows) -> pd.DataFrame:
    """Number rows as the planner sees them (`rows`: the first row's number, or one per row), then
    drop comment rows (first cell starting with '#') and blank rows.

    Only the first column is scanned in full: a row can be blank only if its first cell is, so
    the other cells are looked at just for those rows.
    """
    for col in frame.columns:
        if frame[col].hasnans:
            frame[col] = frame[col].fillna("")
    frame[ROW] = range(rows, rows + len(frame)) if isinstance(rows, int) else list(rows)
    if len(frame.columns) > 1:
        comment, blank = comment_or_blank_head(frame.iloc[:, 0])
        if blank.any():
            rest = frame.loc[blank].drop(columns=[ROW]).astype(str)
            blank[blank] = rest.apply(lambda col: col.str.strip() == "").all(axis=1).to_numpy()
        if comment.any() or blank.any():
            frame = frame[~comment & ~blank]
    return frame.reset_index(drop=True)


def empty_raw(table: Table, file: str, notice: Notice) -> RawTable:
    """A table given but holding no rows (an empty file, a header only): every column, no row."""
    frame = pd.DataFrame({c.id: pd.Series(dtype=object) for c in table.columns})
    frame[ROW] = pd.Series(dtype="int64")
    return RawTable(table, file, frame, [notice])


def to_raw(table: Table, file: str, header: list[str], body: pd.DataFrame, first_row: int,
           notices: list[Notice]) -> RawTable:
    """The body (columns by position) under its checked header, numbered from `first_row`."""
    has_data = [not h and i < body.shape[1] and bool((body.iloc[:, i] != "").any()) for i, h in enumerate(header)]
    keep, names, more = check_header(header, has_data, table, file)  # has_data: asked for unnamed columns only
    body = body.iloc[:, keep]
    body.columns = names
    frame = finish(body, first_row)
    if frame.empty:
        more.append(Notice("no-data-rows", "表头下没有数据行，该表按空表载入",
                           "there are no data rows under the header; the table loads empty", file=file))
    return RawTable(table, file, frame, notices + more)


def find_table(name: str) -> Table | None:
    """The table a file stem or sheet name stands for (its name or Chinese label, any case).

    >>> find_table(" Enterprises ").label, find_table("企业").name, find_table("企业 (1)")
    ('企业', 'enterprises', None)
    """
    name = name.strip().lower()
    return next((t for t in TABLES if name in (t.name, t.label)), None)


def no_tables(where: str, notices: list[Notice]) -> SourceError:
    """The error for a folder, workbook or JSON file holding no table: which names were expected."""
    expected = "、".join(f"{t.label}（{t.name}）" for t in TABLES)
    hidden = any(n.code == "hidden-sheet" for n in notices)
    return SourceError(f"没有找到可识别的表：文件或工作表应以表名命名：{expected}",
                       f"no recognised table: files or sheets are named after their table: "
                       f"{', '.join(f'{t.name} ({t.label})' for t in TABLES)}", code="no-tables", file=where,
                       hint_zh=("隐藏的工作表不会被读取；" if hidden else "") + "可用 chainkg template 文件夹 生成模板",
                       hint_en=("hidden sheets are not read; " if hidden else "") + "chainkg template DIR writes templates")
