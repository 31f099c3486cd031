"""Which row is the header, and whether its cells can be read: title rows above it, empty headers,
repeated headers.

A header cell names a column by its id, its Chinese label or "标签(id)", compared without case,
spaces or full-width brackets (as `loaders.validate` does). The header is the row, among the first
`HEADER_SEARCH`, that names the most columns of the table; rows above it (a title such as
"乌海市重点企业名录（2024）") are skipped with a warning. When no row names a column, the first row is
the header and the validator reports the columns it misses.

Two header cells naming the same column (企业名称 twice, or 企业名称 and name) are an error for the
whole source (`repeated-header`): which one holds the data cannot be told. Two equal headers that
name no column of the table are only a warning (such columns are not read anyway).
"""
from __future__ import annotations

import re

from openpyxl.utils import get_column_letter

from loaders.tables import Table
from queries.errors import Notice, SourceError

HEADER_SEARCH = 10


def header_key(header: str) -> str:
    """'企业名称（name）' and '企业名称(name)' compare equal.

    >>> header_key(" 企业名称（Name） ")
    '企业名称(name)'
    """
    return re.sub(r"\s+", "", header).lower().replace("（", "(").replace("）", ")")


def known_headers(table: Table) -> dict[str, str]:
    """Each accepted header spelling (as `header_key`) -> the column id."""
    return {header_key(s): c.id for c in table.columns for s in (c.id, c.label, f"{c.label}({c.id})")}


def letter(position: int) -> str:
    """The spreadsheet column letter of a 0-based position: 0 -> 'A', 27 -> 'AB'."""
    return get_column_letter(position + 1)


def find_header(rows: list[list[str]], table: Table, file: str = "") -> int:
    """The index, among the first rows, of the row naming the most columns of `table` (the first
    such row). No row naming any column is `header-not-found`: the file is not that table (or
    every header is misspelt), and loading it would only reject every row; a file of one line loads
    as an empty table.

    >>> from loaders.tables import TABLES_BY_NAME
    >>> find_header([["乌海市重点企业名录（2024）"], ["企业编号", "企业名称"], ["L1", "甲"]], TABLES_BY_NAME["enterprises"])
    1
    """
    known = known_headers(table)
    scores = [sum(header_key(str(c)) in known for c in row) for row in rows[:HEADER_SEARCH]]
    best = max(scores, default=0)
    filled = sum(any(str(c).strip() for c in row) for row in rows[:HEADER_SEARCH])
    if not best and filled > 1:  # one line alone is a header of an empty table, whatever it says
        wanted = "、".join(c.label for c in table.columns if c.required)
        raise SourceError(f"前{HEADER_SEARCH}行中找不到“{table.label}”表的表头（应含 {wanted} 等列）",
                          f"no header of table {table.name} in the first {HEADER_SEARCH} rows (expected columns such "
                          f"as {', '.join(table.required)})", code="header-not-found", file=file,
                          hint_zh="请检查文件是否选对，或从 chainkg template 的模板复制表头",
                          hint_en="check that this is the right file, or copy the header from a chainkg template")
    return scores.index(best) if best else 0


def title_notice(above: list[list[str]], file: str) -> Notice:
    """The warning for the rows above the header (a title, a date line, ...)."""
    texts = [" ".join(str(c).strip() for c in row if str(c).strip()) for row in above]
    shown = "；".join(t for t in texts if t) or "（空行）"
    n = len(above) + 1
    return Notice("title-row", f"表头在第{n}行，其上的{len(above)}行（“{shown}”）不是表头，已跳过",
                  f"the header is on row {n}; the {len(above)} row(s) above it ('{shown}') are not a header and "
                  "were skipped", file=file)


def check_header(header: list[str], has_data: list[bool], table: Table, file: str
                 ) -> tuple[list[int], list[str], list[Notice]]:
    """The positions of the columns to read, their headers, and warnings.

    A column with an empty header is dropped: silently when it is empty too (Excel's trailing
    columns), with a warning when it holds data. Raises `repeated-header` when two headers name
    the same column of the table.
    """
    known = known_headers(table)
    keep: list[int] = []
    names: list[str] = []
    notices: list[Notice] = []
    seen: dict[str, int] = {}  # column id or unknown header key -> first position
    unnamed = [i for i, h in enumerate(header) if not h and has_data[i]]
    if unnamed:
        cols = "、".join(letter(i) for i in unnamed)
        notices.append(Notice("header-empty", f"第{cols}列没有表头，其中的数据未读取；如需读取请填写表头",
                              f"column(s) {cols.replace('、', ', ')} have no header and were not read; give them a "
                              "header to read them", file=file))
    for i, h in enumerate(header):
        if not h:
            continue
        key = header_key(h)
        target = known.get(key, "?" + key)
        if target in seen:
            j = seen[target]
            if not target.startswith("?"):
                raise SourceError(
                    f"表头重复：第{letter(j)}列“{header[j]}”和第{letter(i)}列“{h}”都是“{table.column(target).label}”"
                    f"（{target}）列，无法判断哪一列是数据",
                    f"repeated header: column {letter(j)} '{header[j]}' and column {letter(i)} '{h}' both name column "
                    f"{target} ({table.column(target).label}); which one holds the data cannot be told",
                    code="repeated-header", file=file, column=h,
                    hint_zh="请删除或改名其中一列后重新载入", hint_en="delete or rename one of them and reload")
            notices.append(Notice("header-repeated", f"第{letter(j)}列和第{letter(i)}列的表头都是“{h}”，不是本表的列，未读取",
                                  f"columns {letter(j)} and {letter(i)} both have the header '{h}', which is not a "
                                  "column of this table; not read", file=file))
            continue
        seen[target] = i
        keep.append(i)
        names.append(h)
    return keep, names, notices
